using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Numerics.Benchmarks;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk bench gram</c>: the Gram accumulation's throughput on this machine and backend.</summary>
public static class BenchCommand
{
    public static readonly string[] ValueOptions = ["rows", "features", "repeats", "workers", "seed"];

    public static readonly string[] Flags = ["json", ProgressOptions.QuietFlag, ProgressOptions.VerboseFlag];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk bench gram --rows N --features M [--repeats R] [--workers W] [--seed S] [--json] [--quiet] [--verbose]
        """, """
        Times ΨᵀΨ for a random N×M matrix as a primal fit accumulates it: row blocks of 1024 rows, W blocks at once
        (one BLAS thread each, as in a fit), partials summed in block order; then one whole-matrix call with all cores
        as BLAS threads. Reports the best of R runs. gflops = N·M²/seconds/1e9 (the issue's convention; dsyrk does
        N·M·(M+1) flops). Progress (runs done, best times so far) goes to stderr, drawn only between the timed runs;
        the figures go to stdout.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["rows"] = new("N", "rows of the random matrix (required)", OptionKind.Integer),
        ["features"] = new("M", "columns of the random matrix (required)", OptionKind.Integer),
        ["repeats"] = new("R", "runs; the best is reported (default 3)", OptionKind.Integer),
        ["workers"] = new("W", "blocks at once (default: the number of cores)", OptionKind.Integer),
        ["seed"] = new("S", "seed of the random matrix (default 0)", OptionKind.Seed),
        ["json"] = new("", "print a JSON object as the last line of stdout (default: off)"),
    },
        "ntk bench gram --rows 20000 --features 2048 --json");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        long rows = a.Integer("rows") ?? throw new UsageException("--rows N is required");
        long features = a.Integer("features") ?? throw new UsageException("--features M is required");
        long repeats = a.Integer("repeats") ?? 3;
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (rows < 1 || rows > 10_000_000) throw new UsageException($"--rows must be between 1 and 10000000, got {rows}");
        if (features < 1 || features > 16384) throw new UsageException($"--features must be between 1 and 16384, got {features}");
        if (repeats < 1 || repeats > 100) throw new UsageException($"--repeats must be between 1 and 100, got {repeats}");
        if (workers < 1 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        NtkCluster.Numerics.Solvers.MemoryBudget.EnsureFits(
            NtkCluster.Numerics.Solvers.MemoryBudget.DenseBytes(rows, features, 2) + NtkCluster.Numerics.Solvers.MemoryBudget.DenseBytes(features, features, 3),
            $"a {rows}×{features} benchmark matrix", "use fewer rows or features");

        ulong seed = a.Seed("seed") ?? 0;

        // The renderer of every command, but never started: it draws only when told, between the timed runs, so that
        // no rendering thread competes with the Gram calls for the cores being measured.
        bool quiet = a.Has(ProgressOptions.QuietFlag);
        await using var progress = new ProgressRenderer("bench gram", stderr, ProgressRenderer.ModeFor(quiet, stderr),
            verbose: a.Has(ProgressOptions.VerboseFlag));
        // The data line every command starts with: here the matrix it draws.
        if (!quiet) stderr.WriteLine($"ntk bench gram: a random {rows}×{features} matrix (seed {seed}), {repeats} run(s), {workers} worker(s)");
        var matrix = GramBenchmark.RandomBlock((int)rows, (int)features, seed);
        double flops = rows * (double)features * features;
        double blocked = double.PositiveInfinity, whole = double.PositiveInfinity;
        double difference = 0;
        for (int r = 0; r < repeats; r++)
        {
            progress.Report(ProgressUpdate.Count("runs", r, repeats, "runs", r == 0 ? null : BestSoFar(blocked, whole)));
            progress.Render();
            var (gb, tb) = GramBenchmark.Blocked(matrix, (int)workers);
            var (gw, tw) = GramBenchmark.Whole(matrix, Environment.ProcessorCount);
            blocked = Math.Min(blocked, tb);
            whole = Math.Min(whole, tw);
            difference = (gb - gw).FrobeniusNorm() / gw.FrobeniusNorm();
        }
        progress.Report(ProgressUpdate.Count("runs", repeats, repeats, "runs", BestSoFar(blocked, whole)));
        progress.Finish(); // the bar is cleared before the figures are printed
        string backend = DenseBackend.Current.Name;
        stdout.WriteLine($"gram {rows}×{features} on {backend}: blocked ({workers} at once) {blocked:0.000} s = {flops / blocked / 1e9:0.0} GFLOP/s; " +
                         $"whole matrix {whole:0.000} s = {flops / whole / 1e9:0.0} GFLOP/s; relative difference {difference:0.0e0}");
        if (a.Has("json"))
        {
            stdout.WriteLine(new JsonLine().Add("command", "bench gram").Add("rows", rows).Add("features", features)
                .Add("seconds", blocked).Add("gflops", flops / blocked / 1e9)
                .Add("whole_seconds", whole).Add("whole_gflops", flops / whole / 1e9)
                .Add("relative_difference", difference).Add("workers", workers).Add("repeats", repeats)
                .Add("backend", backend).Add("backend_detail", (DenseBackend.Current as OpenBlasBackend)?.Configuration).Add("cores", Environment.ProcessorCount).Add("version", ProgramInfo.Version).ToString());
        }
        return NtkCli.Success;
    }

    private static string BestSoFar(double blocked, double whole) =>
        string.Create(CultureInfo.InvariantCulture, $"best blocked {blocked:0.000} s, whole {whole:0.000} s");
}
