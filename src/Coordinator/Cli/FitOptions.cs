using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster.Coordinator.Cli;

/// <summary>The data and model options shared by <c>fit</c> and the commands built on it, read and validated up front.</summary>
public sealed record FitOptions(string TrainPath, string? TestPath, double? TestFraction, ulong SplitSeed, string[]? Targets,
    FitSettings Settings, int Workers, double? BlockTimeoutSeconds)
{
    public static readonly string[] ValueOptions =
        ["train", "test", "test-fraction", "split-seed", "target", "kernel", "lambda", "solver", "features", "sampling", "seed", "workers",
         "block-timeout", "leverage", "pool", "first-stage"];

    public static readonly string[] Flags = ["standardize", "scale-target", "normalize"];

    /// <param name="featuresOverride">Commands with their own feature list (sweep) pass the count to validate against.</param>
    public static FitOptions Read(CliArguments a, int? featuresOverride = null)
    {
        string train = a.RequiredText("train");
        string kernelSpec = a.RequiredText("kernel");
        var kernel = KernelSpec.Parse(kernelSpec); // unknown kernels fail before any data is read
        double lambda = a.Number("lambda") ?? throw new UsageException("'ntk fit' needs --lambda L (the ridge regularization, > 0)");
        if (!(lambda > 0)) throw new UsageException($"--lambda must be > 0, got {a.Text("lambda")}");
        string solver = a.Text("solver") ?? (a.Has("features") || featuresOverride is not null ? "features" : "exact");
        if (solver is not ("exact" or "features")) throw new UsageException($"unknown --solver '{solver}' (known: exact, features)");
        long features = 0;
        if (solver == "features")
        {
            features = featuresOverride ?? a.Integer("features") ?? throw new UsageException("--solver features needs --features M (the number of random-feature draws)");
            if (features <= 0) throw new UsageException($"--features must be a positive number of draws, got {features}");
            if (features > 10_000_000) throw new UsageException($"--features {features} is more than this program supports (10 000 000)");
        }
        else if (a.Has("features")) throw new UsageException("--features applies to --solver features, not exact");
        string sampling = a.Text("sampling") ?? "plain";
        if (sampling is not ("plain" or "leverage")) throw new UsageException($"unknown --sampling '{sampling}' (known: plain, leverage)");
        string leverage = a.Text("leverage") ?? "auto";
        if (leverage is not ("auto" or "exact" or "scalable")) throw new UsageException($"unknown --leverage '{leverage}' (known: auto, exact, scalable)");
        long pool = a.Integer("pool") ?? 0;
        if (a.Has("pool") && (pool <= 0 || pool > 10_000_000)) throw new UsageException($"--pool must be between 1 and 10 000 000 candidates, got {pool}");
        long firstStage = a.Integer("first-stage") ?? 0;
        if (a.Has("first-stage") && (firstStage <= 0 || firstStage > 100_000)) throw new UsageException($"--first-stage must be between 1 and 100 000 draws, got {firstStage}");
        if (a.Has("test") && a.Has("test-fraction")) throw new UsageException("give --test FILE or --test-fraction F, not both");
        double? fraction = a.Number("test-fraction");
        if (fraction is double f && !(f > 0 && f < 1)) throw new UsageException($"--test-fraction must be between 0 and 1, got {a.Text("test-fraction")}");
        if (a.Has("split-seed") && !a.Has("test-fraction")) throw new UsageException("--split-seed goes with --test-fraction");
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        double? blockTimeout = a.Number("block-timeout");
        if (blockTimeout is double bt && !(bt > 0)) throw new UsageException("--block-timeout must be > 0 seconds");
        var targets = a.Text("target")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (targets is { Length: 0 }) throw new UsageException("--target needs a column name");
        return new FitOptions(train, a.Text("test"), fraction, a.Seed("split-seed") ?? 0, targets,
            new FitSettings
            {
                KernelSpec = kernel.Spec, Lambda = lambda, Exact = solver == "exact", Features = (int)features, Sampling = sampling,
                LeverageMode = leverage, PoolSize = (int)pool, FirstStageFeatures = (int)firstStage,
                Seed = a.Seed("seed") ?? 0, Standardize = a.Has("standardize"), ScaleTarget = a.Has("scale-target"), Normalize = a.Has("normalize"),
            },
            (int)workers, blockTimeout);
    }

    /// <summary>Reads the training data and the test set (a file, a split, or none).</summary>
    public (Dataset Train, Dataset? Test) LoadData()
    {
        var all = Dataset.FromTable(CsvTable.Read(TrainPath), Targets);
        if (TestFraction is double f)
        {
            if (all.Rows < 2) throw new NtkCluster.Numerics.Errors.InvalidInputException($"{TrainPath}: {all.Rows} row(s) cannot be split into training and test sets");
            var split = TrainTestSplit.Split(all, f, SplitSeed);
            return (split.Train, split.Test);
        }
        if (TestPath is null) return (all, null);
        // Columns are matched by name, as predict does: a test file may order them differently.
        var testTable = CsvTable.Read(TestPath);
        var testTargets = Dataset.FromTable(testTable, all.TargetNames);
        var test = new Dataset(all.FeatureNames, Dataset.FeaturesFor(testTable, all.FeatureNames, all.TargetNames), all.TargetNames, testTargets.Y);
        return (all, test);
    }
}
