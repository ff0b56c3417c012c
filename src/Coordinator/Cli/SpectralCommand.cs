using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk spectral</c>: how well one draw of M features approximates K+λI, and what Theorem 3.3 asks for.</summary>
public static class SpectralCommand
{
    /// <summary>fit's options without the test set and the solver: spectral measures the features on the training rows.</summary>
    public static readonly string[] ValueOptions =
        [.. FitOptions.ValueOptions.Except(["test", "test-fraction", "split-seed", "solver"]), "eps", "delta", "exact-rows", "rows"];

    public static readonly string[] Flags = [.. FitOptions.Flags, "json"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk spectral --train FILE|DIR|GLOB [--target COL] [--columns A,B,...] --kernel SPEC --lambda L --features M
                            [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                            [--sampling plain|leverage] [--seed S] [--eps E] [--delta D] [--exact-rows N]
                            [--leverage auto|exact|scalable|subsample] [--pool P] [--first-stage S] [--standardize] [--scale-target]
                            [--normalize] [--workers N] [--block-timeout S] [--json] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        Draws M features as 'ntk fit' would and reports:
          epsilon   the smallest ε with (1−ε)(K+λI) ⪯ ΨΨᵀ+λI ⪯ (1+ε)(K+λI) (eq. 2), from the generalized
                    eigenvalues; exact up to --exact-rows rows, beyond that measured on a seeded subsample of that
                    many rows, which gives a lower bound, not a certificate
          s_lambda  the statistical dimension tr[(K+λI)⁻¹K] (eq. 4)
          m_bound   Theorem 3.3's M for ε = --eps and δ = --delta: 3ε⁻²·s_q·ln(16·s_q·s_λ/δ), with s_q = s_λ for exact
                    leverage sampling, the corrected mean score for scalable leverage sampling, and max τ over the
                    candidate pool for plain sampling

        --train may name a directory or a quoted glob of Parquet or CSV parts (a partitioned dataset): the statistics
        of --standardize/--scale-target come from all rows, read per partition, and ε is measured on a hashed sample of
        --exact-rows rows gathered in partition order (all rows when there are no more, and then ε is exact). Beyond
        that, the leverage scores τ, s_lambda and ‖K‖ are estimated on the sample (λ scaled by S/n there), as a note says.
        With --cluster the workers read the parts from the same paths, or this program ships them (--rows).
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["features"] = new("M", "random-feature draws w_1..w_M to measure (required)", OptionKind.Integer),
        ["json"] = new("", "print a JSON summary as the last line of stdout: epsilon, s_lambda, m_bound, … (default: off)"),
    },
        "ntk spectral --train data.csv --kernel rbf:gamma=0.1 --lambda 1e-3 --features 400 --sampling leverage --standardize");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        if (!a.Has("features")) throw new UsageException("'ntk spectral' needs --features M");
        var options = FitOptions.Read(a);
        double eps = a.Number("eps") ?? 0.25, delta = a.Number("delta") ?? 0.1;
        if (!(eps > 0)) throw new UsageException($"--eps must be > 0, got {a.Text("eps")}");
        if (!(delta > 0 && delta < 1)) throw new UsageException($"--delta must be between 0 and 1, got {a.Text("delta")}");
        long exactRows = a.Integer("exact-rows") ?? 3000;
        if (exactRows < 10 || exactRows > 50_000) throw new UsageException($"--exact-rows must be between 10 and 50 000, got {exactRows}");
        var r = PartitionedData.IsPartitioned(options.Data.TrainPath)
            ? await RunPartitionedAsync(options, eps, delta, (int)exactRows, stderr)
            : await RunInMemoryAsync(options, eps, delta, (int)exactRows, stderr);

        string samplingText = r.Sampling == "leverage" ? $"leverage ({r.ScoreMode} scores)" : "plain";
        stdout.WriteLine($"kernel {options.Settings.KernelSpec}, lambda {F(options.Settings.Lambda)}, M = {options.Settings.Features} draws, sampling {samplingText}, seed {options.Settings.Seed}");
        stdout.WriteLine(r.EpsilonIsExact
            ? $"epsilon   {F(r.Epsilon)}   (exact, all {r.Rows} rows)"
            : $"epsilon ≥ {F(r.Epsilon)}   (lower bound from {r.RowsUsed} of {r.Rows} rows, not a certificate)");
        stdout.WriteLine($"s_lambda  {F(r.SLambda)}   ({(r.SLambdaIsExact ? "exact" : "estimate")}; n = {r.Rows})");
        stdout.WriteLine($"tau       max {F(r.MaxTau)}, mean {F(r.MeanTau)} over the candidate pool ({r.ScoreMode switch { "exact" => "exact scores", "subsample" => "corrected scores on a row subsample", _ => "scalable upper bounds" }})");
        if (r.FirstStageEpsilon is double e1) stdout.WriteLine($"first stage upper spectral error (subsample estimate) {F(e1)}");
        stdout.WriteLine($"m_bound   {F(r.MBound)}   (Theorem 3.3 at eps {F(eps)}, delta {F(delta)}, s_q {F(r.SQ)})");
        foreach (var c in r.Caveats) stdout.WriteLine($"note: {c}");
        if (a.Has("json"))
        {
            stdout.WriteLine(new JsonLine()
                .Add("command", "spectral").Add("epsilon", r.Epsilon).Add("epsilon_exact", r.EpsilonIsExact).Add("rows", r.Rows)
                .Add("rows_used", r.RowsUsed).Add("s_lambda", r.SLambda).Add("s_lambda_exact", r.SLambdaIsExact)
                .Add("m_bound", r.MBound).Add("s_q", r.SQ).Add("eps", eps).Add("delta", delta)
                .Add("features", options.Settings.Features).Add("sampling", r.Sampling).Add("score_mode", r.ScoreMode)
                .Add("tau_max", r.MaxTau).Add("tau_mean", r.MeanTau).Add("first_stage_epsilon", r.FirstStageEpsilon)
                .Add("kernel_norm", r.KernelNorm).Add("kernel", options.Settings.KernelSpec).Add("lambda", options.Settings.Lambda)
                .Add("seed", options.Settings.Seed).Add("caveats", string.Join("; ", r.Caveats)).Add("seconds", r.Seconds).Add("peak_mb", PeakMemory.Megabytes())
                .Add("backend", DenseBackend.Current.Name).Add("version", ProgramInfo.Version).ToString());
        }
        return 0;
    }

    private static async Task<SpectralOutcome> RunInMemoryAsync(FitOptions options, double eps, double delta, int exactRows, TextWriter stderr)
    {
        var held = new HeldNotes("spectral");
        var (train, _) = options.LoadData(held.Note);
        EnsureFits(Math.Min(train.Rows, exactRows));
        stderr.WriteLine($"ntk spectral: {DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)}, " +
                         options.Data.Where);
        held.WriteTo(stderr);
        await using var cluster = await options.Data.StartRunnerAsync("spectral", stderr);
        return await cluster.RunAsync<SpectralOutcome>(new SubmitSpectral(train, options.Settings, eps, delta, exactRows));
    }

    /// <summary>
    /// A directory or glob (<see cref="PartitionedData"/>): the partitions' descriptors go to the job, which reads them
    /// where it runs — this process, or the workers of a cluster (the shared-path mode) — and gathers a hashed sample
    /// of at most --exact-rows rows (all rows when there are no more): see <see cref="SpectralAnalyzer.AnalyzePartitionedAsync"/>.
    /// </summary>
    private static async Task<SpectralOutcome> RunPartitionedAsync(FitOptions options, double eps, double delta, int exactRows, TextWriter stderr)
    {
        var data = PartitionedData.Resolve(options.Data, note => stderr.WriteLine($"ntk spectral: note: {note}"));
        EnsureFits(data.Train.RowCount is long known ? (int)Math.Min(known, exactRows) : exactRows);
        stderr.WriteLine($"ntk spectral: {PartitionedData.Describe(data.Train)} × {data.Columns.FeatureNames.Length} features, {DataLine.Target(data.Columns.TargetNames, options.Data.Targets is not null)}, " +
                         $"measured on a hashed sample of at most {exactRows} rows (all rows when there are no more)" + PartitionedData.Delivery(options.Data) +
                         $", {options.Data.Where}");
        await using var cluster = await options.Data.StartRunnerAsync("spectral", stderr);
        return await cluster.RunAsync<SpectralOutcome>(data.SpectralSubmission(options.Settings, eps, delta, exactRows));
    }

    private static void EnsureFits(int rows) =>
        NtkCluster.Numerics.Solvers.MemoryBudget.EnsureFits(NtkCluster.Numerics.Solvers.MemoryBudget.DenseBytes(rows, rows, 5),
            $"the spectral report on {rows} rows", "use a smaller --exact-rows");

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}
