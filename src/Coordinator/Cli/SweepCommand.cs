using System.Globalization;
using System.Text;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk sweep</c>: ε and test error for plain and leverage sampling side by side over a list of M.</summary>
public static class SweepCommand
{
    /// <summary>fit's options without the solver and sampling (a sweep compares both samplings' random features).</summary>
    public static readonly string[] ValueOptions = [.. FitOptions.ValueOptions.Except(["solver", "sampling"]), "repeats", "exact-rows", "rows"];

    public static readonly string[] Flags = [.. FitOptions.Flags, "json"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk sweep --train FILE|DIR|'GLOB' [--test FILE|DIR|'GLOB' | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                         [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                         --kernel SPEC --lambda L --features M1,M2,... [--repeats R] [--seed S] [--exact-rows N]
                         [--leverage auto|exact|scalable|subsample] [--pool P] [--first-stage S] [--standardize] [--scale-target]
                         [--normalize] [--workers N] [--block-timeout S] [--json] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        For each M, fits plain and leverage-sampled random features with seeds S … S+R−1 and prints the medians of ε
        (eq. 2; a subsample lower bound beyond --exact-rows rows) and of the test MSE (training MSE without a test
        set), beside exact KRR's when n allows, and the smallest M in the list at which each sampling reaches ε ≤ 1
        and comes within 5% of exact KRR's error. A directory or quoted glob of parts is swept with both samplings,
        every fit the partitioned fit of ntk fit --train DIR, and ε measured on the --exact-rows rows of smallest hash.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["features"] = new("M1,M2,...", "the feature counts to compare (required)"),
        ["repeats"] = new("R", "seeds per M, S … S+R−1; medians are reported (default 1)", OptionKind.Integer),
        ["seed"] = new("S", "the first seed (default 0)", OptionKind.Seed),
        ["json"] = new("", "print a JSON object with every point as the last line of stdout (default: off)"),
    },
        "ntk sweep --train data.csv --test-fraction 0.2 --kernel rbf:gamma=0.1 --lambda 1e-3 --features 50,100,200,400 --repeats 5 --standardize");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var list = a.RequiredText("features").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var counts = new List<int>();
        foreach (var item in list)
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int m) || m <= 0 || m > 1_000_000)
                throw new UsageException($"--features: '{item}' is not a positive number of draws (give a list such as 50,100,200)");
            counts.Add(m);
        }
        if (counts.Count == 0) throw new UsageException("--features needs at least one count");
        long repeats = a.Integer("repeats") ?? 1;
        if (repeats < 1 || repeats > 100) throw new UsageException($"--repeats must be between 1 and 100, got {repeats}");
        long exactRows = a.Integer("exact-rows") ?? 3000;
        if (exactRows < 10 || exactRows > 50_000) throw new UsageException($"--exact-rows must be between 10 and 50 000, got {exactRows}");
        var options = FitOptions.Read(a, featuresOverride: counts.Max());
        SweepOutcome r;
        if (PartitionedData.Applies(options))
        {
            // A directory or glob: every fit is the partitioned fit, ε on a hashed sample of at most --exact-rows rows.
            var data = PartitionedData.Prepare(options, classify: false, note => stderr.WriteLine($"ntk sweep: note: {note}"), "swept");
            stderr.WriteLine($"ntk sweep: {PartitionedData.Describe(data.Train)}" + (data.Test is null ? "" : $", test {PartitionedData.Describe(data.Test)}") +
                             $", M = {string.Join(",", counts)}, {repeats} seed(s), plain and leverage sampling" +
                             PartitionedData.Delivery(options.Data));
            await using var runner = await options.Data.StartRunnerAsync("sweep", stderr);
            r = await runner.RunAsync<SweepOutcome>(new SubmitPartitionedSweep(data.Train.Source, data.Train.Partitions, data.Columns,
                data.Test?.Partitions, data.Split, options.Settings, counts.ToArray(), (int)repeats, (int)exactRows));
        }
        else
        {
            var held = new HeldNotes("sweep");
            var (train, test) = options.LoadData(held.Note);
            stderr.WriteLine($"ntk sweep: {DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)}" +
                             (test is null ? "" : $", {test.Rows} test rows") + $", M = {string.Join(",", counts)}, {repeats} seed(s)");
            held.WriteTo(stderr);
            await using var cluster = await options.Data.StartRunnerAsync("sweep", stderr);
            r = await cluster.RunAsync<SweepOutcome>(new SubmitSweep(train, test, options.Settings, counts.ToArray(), (int)repeats, (int)exactRows));
        }

        string err = r.HasTest ? "test MSE" : "train MSE";
        string epsLabel = r.EpsilonIsExact ? "ε" : "ε≥";
        stdout.WriteLine($"kernel {options.Settings.KernelSpec}, lambda {F(options.Settings.Lambda)}, n = {r.Rows}" +
                         (r.SLambda is double sl ? $", s_lambda {F(sl)}" : "") + $"; medians over {r.Repeats} seed(s)" +
                         (r.EpsilonIsExact ? "" : $"; ε is a lower bound from a {exactRows}-row subsample"));
        if (r.ExactError is double ee) stdout.WriteLine($"exact KRR {err}: {F(ee)}");
        if (r.PoolSize > 0)
            stdout.WriteLine($"candidate pool P = {r.PoolSize}: max τ / P = {F(r.PoolFloor)}" + (r.PoolFloor > 1
                ? $", so leverage ε stays above about {F(r.PoolFloor - 1)} at any M (the pool's own error; a larger --pool lowers it)"
                : " (below 1: the pool does not limit leverage ε)"));
        stdout.WriteLine($"{"M",7} {epsLabel + " plain",11} {epsLabel + " leverage",11} {err + " plain",16} {err + " leverage",19}");
        foreach (var m in counts)
        {
            var p = r.Points.First(q => q.Features == m && q.Sampling == "plain");
            var l = r.Points.First(q => q.Features == m && q.Sampling == "leverage");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m,7} {p.Epsilon,11:G4} {l.Epsilon,11:G4} {p.Error,16:G6} {l.Error,19:G6}"));
        }
        foreach (var sampling in new[] { "plain", "leverage" })
        {
            var pts = r.Points.Where(q => q.Sampling == sampling).OrderBy(q => q.Features).ToList();
            string epsNeeded = pts.FirstOrDefault(q => q.Epsilon <= 1) is { } e ? e.Features.ToString(CultureInfo.InvariantCulture) : "not reached";
            string errNeeded = r.ExactError is double x
                ? (pts.FirstOrDefault(q => q.Error <= 1.05 * x) is { } w ? w.Features.ToString(CultureInfo.InvariantCulture) : "not reached")
                : "n/a";
            stdout.WriteLine($"{sampling}: M for ε ≤ 1: {epsNeeded}; M within 5% of exact KRR's {err}: {errNeeded}");
        }
        if (a.Has("json"))
        {
            var json = new StringBuilder("[");
            foreach (var p in r.Points)
            {
                if (json.Length > 1) json.Append(',');
                json.Append(new JsonLine().Add("features", p.Features).Add("sampling", p.Sampling).Add("epsilon", p.Epsilon)
                    .Add("error", p.Error).Add("train_error", p.TrainError).Add("seconds", p.Seconds).ToString());
            }
            json.Append(']');
            var line = new JsonLine().Add("command", "sweep").Add("rows", r.Rows).Add("repeats", r.Repeats)
                .Add("epsilon_exact", r.EpsilonIsExact).Add("error_kind", r.HasTest ? "test_mse" : "train_mse")
                .Add("exact_error", r.ExactError).Add("s_lambda", r.SLambda).Add("pool_size", r.PoolSize).Add("pool_floor", r.PoolFloor).Add("seconds", r.Seconds)
                .Add("backend", DenseBackend.Current.Name).Add("version", ProgramInfo.Version).ToString();
            stdout.WriteLine(line[..^1] + ",\"points\":" + json + "}");
        }
        return 0;
    }

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}
