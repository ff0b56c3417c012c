using System.Globalization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk width-sweep</c>: the gap to NTK ridge regression against width, Gaussian and leverage initialization side by side.</summary>
public static class WidthSweepCommand
{
    /// <summary>train-nn's options, with a list of widths instead of one, and both initializations always.</summary>
    public static readonly string[] ValueOptions = [.. NetworkOptions.ValueOptions.Where(o => o != "init"), "widths"];

    public static readonly string[] Flags = [.. DataOptions.Flags, "json"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk width-sweep --train FILE [--test FILE | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                               [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                               --widths M1,M2,... --lambda L [--kappa K] [--lr ETA] --steps T|auto [--max-steps N] [--seed S]
                               [--standardize] [--scale-target] [--normalize] [--workers N] [--block-timeout S]
                               [--checkpoint-every N] [--leverage auto|exact|scalable|subsample] [--pool P]
                               [--json] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F]]
        """, """
        Trains the network of 'ntk train-nn' at each width with Gaussian (Def 3.5) and leverage (Def 3.8)
        initialization and prints the relative gaps ‖u_nn − u*‖/‖u*‖ to NTK ridge regression side by side: the
        theorems predict they shrink as the width grows.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>(TrainNetworkCommand.NetworkHelp)
    {
        ["widths"] = new("M1,M2,...", "the widths to train, each with both initializations (required)"),
        ["json"] = new("", "print a JSON object with every run as the last line of stdout (default: off)"),
    },
        "ntk width-sweep --train data.csv --test-fraction 0.3 --standardize --normalize --scale-target --widths 100,1000,4000 --lambda 1e-3 --steps 20000");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var widths = a.RequiredText("widths").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(NetworkOptions.ParseWidth).ToArray();
        if (widths.Length == 0) throw new UsageException("--widths needs at least one width");
        var options = NetworkOptions.Read(a, "width-sweep", widths[0]);
        var held = new HeldNotes("width-sweep");
        var (train, test) = options.Data.LoadData(held.Note);
        stderr.WriteLine($"ntk width-sweep: {DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)}" +
                         (test is null ? "" : $", {test.Rows} test rows") + $", widths {string.Join(",", widths)}");
        held.WriteTo(stderr);
        await using var cluster = await options.Data.StartRunnerAsync("width-sweep", stderr);
        var results = new List<(int Width, NetworkOutcome Gaussian, NetworkOutcome Leverage)>();
        foreach (int w in widths)
        {
            var g = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, options.Settings with { Width = w, Init = NetworkInitialization.Gaussian }));
            var l = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, options.Settings with { Width = w, Init = NetworkInitialization.Leverage }));
            results.Add((w, g, l));
        }
        var s = options.Settings;
        string gapKind = test is null ? "train" : "test";
        string steps = s.AutoSteps
            ? $"steps auto (at most {s.Steps}): {string.Join(", ", results.Select(r => $"{r.Width}: {r.Gaussian.Model.Steps}/{r.Leverage.Model.Steps}"))} (gaussian/leverage)"
            : $"{s.Steps} steps";
        stdout.WriteLine($"lambda {F(s.Lambda)}, kappa {F(s.Kappa)}, {steps}, seed {s.Seed}; {gapKind} gap ‖u_nn − u*‖/‖u*‖ and network {gapKind} MSE");
        if ((results[0].Gaussian.KrrTestMse ?? results[0].Gaussian.KrrTrainMse) is double krr) stdout.WriteLine($"NTK KRR {gapKind} MSE: {F(krr)}");
        stdout.WriteLine($"{"width",8} {"gap gaussian",13} {"gap leverage",13} {"MSE gaussian",13} {"MSE leverage",13} {"flips g",8} {"flips l",8}");
        foreach (var (w, g, l) in results)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{w,8} {Gap(g, test is null),13:G4} {Gap(l, test is null),13:G4} {(g.TestMse ?? g.TrainMse),13:G5} {(l.TestMse ?? l.TrainMse),13:G5} {g.PatternFlips,8:P1} {l.PatternFlips,8:P1}"));
        foreach (var warning in results.SelectMany(r => r.Gaussian.Warnings.Concat(r.Leverage.Warnings)).Distinct())
            stderr.WriteLine($"ntk width-sweep: warning: {warning}");
        if (a.Has("json"))
        {
            var points = string.Join(",", results.SelectMany(r => new[] { (r.Width, o: r.Gaussian), (r.Width, o: r.Leverage) })
                .Select(p => TrainNetworkCommand.Json(p.o, s with { Width = p.Width, Init = OptionNames.ParseInitialization(p.o.Model.Init) }, train.Rows, test?.Rows, null).ToString()));
            stdout.WriteLine("{\"command\":\"width-sweep\",\"points\":[" + points + "]}");
        }
        return 0;
    }

    private static double Gap(NetworkOutcome o, bool train) => (train ? o.TrainGap : o.TestGap) ?? double.NaN;

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}
