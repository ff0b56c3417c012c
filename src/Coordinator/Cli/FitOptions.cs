using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster.Coordinator.Cli;

/// <summary>The data and model options shared by <c>fit</c> and the commands built on it, read and validated up front.</summary>
public sealed record FitOptions(DataOptions Data, FitSettings Settings)
{
    public static readonly string[] ValueOptions =
        [.. DataOptions.ValueOptions, "kernel", "lambda", "solver", "features", "sampling", "seed", "leverage", "pool", "first-stage"];

    public static readonly string[] Flags = DataOptions.Flags;

    public int Workers => Data.Workers;
    public double? BlockTimeoutSeconds => Data.BlockTimeoutSeconds;

    public (Dataset Train, Dataset? Test) LoadData(Action<string> note) => Data.LoadData(note);

    /// <param name="featuresOverride">Commands with their own feature list (sweep) pass the count to validate against.</param>
    /// <param name="gridPoint">Commands that search a grid of kernels and λ (cv) pass its first point, read by them.</param>
    public static FitOptions Read(ParsedOptions a, int? featuresOverride = null, (string KernelSpec, double Lambda)? gridPoint = null)
    {
        var data = DataOptions.Read(a);
        string kernelSpec = gridPoint?.KernelSpec ?? a.RequiredText("kernel");
        var kernel = KernelSpec.Parse(kernelSpec); // unknown kernels fail before any data is read
        double lambda = gridPoint?.Lambda ?? a.Number("lambda") ?? throw new UsageException("'ntk fit' needs --lambda L (the ridge regularization, > 0)");
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
        if (leverage is not ("auto" or "exact" or "scalable" or "subsample")) throw new UsageException($"unknown --leverage '{leverage}' (known: auto, exact, scalable, subsample)");
        long pool = a.Integer("pool") ?? 0;
        if (a.Has("pool") && (pool <= 0 || pool > 10_000_000)) throw new UsageException($"--pool must be between 1 and 10 000 000 candidates, got {pool}");
        long firstStage = a.Integer("first-stage") ?? 0;
        if (a.Has("first-stage") && (firstStage <= 0 || firstStage > 100_000)) throw new UsageException($"--first-stage must be between 1 and 100 000 draws, got {firstStage}");
        return new FitOptions(data,
            new FitSettings
            {
                KernelSpec = kernel.Spec, Lambda = lambda, Exact = solver == "exact", Features = (int)features, Sampling = OptionNames.ParseSampling(sampling),
                LeverageMode = OptionNames.ParseScoring(leverage), PoolSize = (int)pool, FirstStageFeatures = (int)firstStage,
                Seed = a.Seed("seed") ?? 0, Standardize = data.Standardize, ScaleTarget = data.ScaleTarget, Normalize = data.Normalize,
            });
    }
}
