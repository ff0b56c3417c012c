using System.Globalization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Reports;

/// <summary>Puts a report together from its jobs' outcomes: the facts of the run, the findings, figures and tables.</summary>
public static class ReportAssembler
{
    /// <param name="partitioned">For a partitioned dataset: the jobs on all rows, and the sample the others ran on.</param>
    /// <param name="classifier">With <c>--task classify</c>: the classifier's scores, a table of the report (<see cref="ConfusionTable"/>).</param>
    public static ReportDocument Build(ReportContext context, ReportSettings settings, SweepOutcome sweep, IReadOnlyList<WidthRun> runs,
        PartitionedRun? partitioned = null, ReportClassifier? classifier = null)
    {
        var largest = runs.MaxBy(r => r.Width) ?? throw new ArgumentException("a report needs at least one width", nameof(runs));
        var figures = new List<Figure>
        {
            FigureBuilder.EpsilonAgainstFeatures(sweep),
            FigureBuilder.ErrorAgainstFeatures(sweep),
            FigureBuilder.GapAgainstWidth(runs),
            FigureBuilder.LossCurve(largest),
            FigureBuilder.GapCurve(largest),
        };
        if (largest.Gaussian.Trajectory.Any(p => p.KernelDrift is not null)) figures.Add(FigureBuilder.DriftCurve(largest));

        var s = settings.Sweep;
        var n = settings.Network;
        ulong lastSeed = s.Seed + (ulong)settings.Repeats - 1;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("data", context.TrainPath),
            new("rows", $"{context.TrainRows} training" + (context.TestRows is int t ? $", {t} test" : "") + $"; test set: {context.TestSet}"),
            new("columns", $"{context.Features} feature(s); target {context.Target}"),
            new("preprocessing", context.Preprocessing),
            new("random features", $"kernel {s.KernelSpec}, λ = {F(s.Lambda)}, M = {string.Join(", ", settings.FeatureCounts)}; medians over seeds " +
                                   (settings.Repeats == 1 ? $"{s.Seed}" : $"{s.Seed}–{lastSeed}") + $"; leverage scores {s.LeverageMode.Name()}, pool " +
                                   (s.PoolSize > 0 ? $"{s.PoolSize}" : "max(20M, 10 000)") + SLambdaText(sweep, partitioned)),
            new("networks", $"two-layer ReLU, widths {string.Join(", ", settings.Widths)}, λ = {F(n.Lambda)}, κ = {F(n.Kappa)}, {StepsText(n, runs)}, " +
                            $"η = {F(largest.Gaussian.LearningRate)} at width {largest.Width}" + (n.LearningRate is null ? " (default: 1/(κ²λₘₐₓ(H(0)) + λ))" : "") +
                            $", seed {n.Seed}"),
            new("ran", $"{context.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, {context.Where}, " +
                       $"backend {context.Backend}, {context.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s"),
            new("program", $"ntk {context.Version}"),
            new("command", context.CommandLine),
        };

        var findings = Findings(sweep, runs);
        var tables = new List<ReportTable> { NetworkTable(runs) };
        if (partitioned is not null)
        {
            // The sweep's and the networks' numbers are the sample's: every caption of theirs says so first.
            string on = SampleText(partitioned);
            for (int i = 0; i < figures.Count; i++) figures[i] = figures[i] with { Caption = $"{on}. {figures[i].Caption}" };
            tables[0] = tables[0] with { Caption = $"{on}. {tables[0].Caption}" };
            tables.Insert(0, PartitionedTable(partitioned));
            facts[1] = new("rows", $"{partitioned.TrainRows} training rows in {partitioned.Partitions} partition(s); the sweep and the networks ran on " +
                                   (partitioned.Sampled ? $"a hashed sample of {partitioned.SampleRows} of them" : "all of them") +
                                   (partitioned.TestSampleRows is int ts ? $" and {ts} sampled test rows" : "") + $"; test set: {context.TestSet}");
            findings.Insert(0, PartitionedFinding(partitioned));
        }
        if (classifier is not null)
        {
            var confusion = ConfusionTable.Of(classifier);
            tables.Insert(0, confusion);
            findings.Insert(0, $"The one-vs-rest ridge classifier (M = {classifier.Features}) reaches {(classifier.OnTest ? "test" : "training")} " +
                               $"accuracy {F(classifier.Score.Accuracy)} and macro-F1 " +
                               $"{F(NtkCluster.Numerics.Classification.ClassMetrics.Of(classifier.Classes, classifier.Score.Confusion!).MacroF1)} " +
                               $"over {classifier.Classes.Count} classes (confusion matrix below).");
        }
        return new ReportDocument($"ntk report: {Path.GetFileName(Path.TrimEndingDirectorySeparator(context.TrainPath))}", facts, findings, figures,
            tables, runs.SelectMany(r => r.Gaussian.Warnings.Select(w => $"width {r.Width}, Gaussian init: {w}")
                .Concat(r.Leverage.Warnings.Select(w => $"width {r.Width}, leverage init: {w}"))).ToList());
    }

    /// <summary>The step rule and, when it chose per network, what it chose: a reader must see how long each network trained.</summary>
    private static string StepsText(NetworkSettings n, IReadOnlyList<WidthRun> runs)
    {
        if (!n.AutoSteps) return $"{n.Steps} steps";
        string chosen = string.Join("; ", runs.Select(r => $"width {r.Width}: {r.Gaussian.Model.Steps} (Gaussian), {r.Leverage.Model.Steps} (leverage)"));
        return $"steps chosen per network (--steps auto) as the fewest with η·T·(κ²λₘᵢₙ(H)+λ) ≥ {F(NetworkTrainer.ConvergedExponent)}, " +
               $"so that about e^(−{F(NetworkTrainer.ConvergedExponent)}) ≈ {Percent(Math.Exp(-NetworkTrainer.ConvergedExponent))} of the initial error " +
               $"remains (Lemma 4.1's linear rate, λₘᵢₙ of the NTK H), at most {n.Steps}: {chosen}";
    }

    /// <summary>Whether every network converged in the sense of the trainer's warning, and if not, which did not.</summary>
    private static string Convergence(IReadOnlyList<WidthRun> runs)
    {
        var all = runs.SelectMany(r => new[] { (r.Width, Init: "Gaussian", Run: r.Gaussian), (r.Width, Init: "leverage", Run: r.Leverage) }).ToList();
        var unfinished = all.Where(x => !(x.Run.ConvergenceExponent >= NetworkTrainer.ConvergedExponent)).ToList();
        string range = $"η·T·(κ²λₘᵢₙ(H)+λ) from {F(all.Min(x => x.Run.ConvergenceExponent))} to {F(all.Max(x => x.Run.ConvergenceExponent))}";
        return unfinished.Count == 0
            ? $"Every network trained to convergence ({range}: at most about {Percent(Math.Exp(-all.Min(x => x.Run.ConvergenceExponent ?? 0)))} of the initial error remains), so the gaps below are those of trained networks, not of unfinished training."
            : $"{unfinished.Count} of {all.Count} networks did not train to convergence ({range}; not converged: " +
              string.Join(", ", unfinished.Select(x => $"width {x.Width} {x.Init}")) + "): their gaps to NTK ridge regression include unfinished training, not only finite width.";
    }

    /// <summary>
    /// When a network came clearly closer to u* during training than where it ended (the final training gap more than
    /// 5% above the smallest recorded one), says so: then more steps would not close the gap, which a reader of the
    /// gap-against-width figure needs to know and should not have to dig out of the curve. Null when neither did.
    /// </summary>
    private static string? ClosestApproach(WidthRun run)
    {
        var parts = new List<string>();
        foreach (var (init, outcome) in new[] { ("Gaussian", run.Gaussian), ("leverage", run.Leverage) })
        {
            var gaps = outcome.Trajectory.Where(p => p.TrainGap is double g && double.IsFinite(g)).ToList();
            if (gaps.Count < 2) continue;
            var best = gaps.MinBy(p => p.TrainGap!.Value)!;
            double final = gaps[^1].TrainGap!.Value;
            if (final > 1.05 * best.TrainGap!.Value)
                parts.Add($"the {init} network's was smallest ({F(best.TrainGap)}) at step {best.Step} and {F(final)} at its last step {gaps[^1].Step}");
        }
        return parts.Count == 0 ? null
            : $"At width {run.Width} the training gap to NTK ridge regression did not fall to the end: {string.Join("; ", parts)}. More steps took it further from u* " +
              "while its activation patterns kept changing (flips and drift below), so the remaining gap is not for want of steps.";
    }

    private static List<string> Findings(SweepOutcome sweep, IReadOnlyList<WidthRun> runs)
    {
        var findings = new List<string>();
        string err = sweep.HasTest ? "test" : "training";
        foreach (var sampling in new[] { "plain", "leverage" })
        {
            var points = sweep.Points.Where(p => p.Sampling == sampling).OrderBy(p => p.Features).ToList();
            if (points.Count == 0) continue;
            string eps = points.FirstOrDefault(p => p.Epsilon <= 1) is { } e
                ? $"reaches ε ≤ 1 at M = {e.Features}"
                : $"does not reach ε ≤ 1 by M = {points[^1].Features} (ε = {F(points[^1].Epsilon)} there)";
            string close = sweep.ExactError is double x
                ? points.FirstOrDefault(p => p.Error <= 1.05 * x) is { } c
                    ? $", and comes within 5% of exact KRR's {err} MSE ({F(x)}) at M = {c.Features}"
                    : $", and does not come within 5% of exact KRR's {err} MSE ({F(x)}) by M = {points[^1].Features}"
                : "";
            findings.Add($"{Capital(sampling)} sampling {eps}{close}.");
        }
        findings.Add(Convergence(runs));
        var ordered = runs.OrderBy(r => r.Width).ToList();
        bool test = ordered[0].Gaussian.TestGap is not null;
        string kind = test ? "test" : "training";
        double? Gap(NetworkOutcome o) => test ? o.TestGap : o.TrainGap;
        string Both(WidthRun r) => $"{F(Gap(r.Gaussian))} (Gaussian init) and {F(Gap(r.Leverage))} (leverage init)";
        findings.Add(ordered.Count == 1
            ? $"At width {ordered[0].Width} the {kind} gap to NTK ridge regression is {Both(ordered[0])}."
            : $"The {kind} gap to NTK ridge regression goes from {Both(ordered[0])} at width {ordered[0].Width} to {Both(ordered[^1])} at width {ordered[^1].Width}.");
        var last = ordered[^1];
        if (ClosestApproach(last) is { } closest) findings.Add(closest);
        findings.Add($"At width {last.Width}, {Percent(last.Gaussian.PatternFlips)} (Gaussian) and {Percent(last.Leverage.PatternFlips)} (leverage) of the " +
                     $"activation patterns flipped during training, and the kernel drifted by {F(last.Gaussian.KernelDrift)} and {F(last.Leverage.KernelDrift)} " +
                     "relative to H(0): the smaller both are, the closer the network is to the lazy (NTK) regime the theorems assume.");
        return findings;
    }

    /// <summary>The sweep's s_λ: of the rows it ran on, which for a sampled partitioned dataset are not all rows.</summary>
    private static string SLambdaText(SweepOutcome sweep, PartitionedRun? p) => sweep.SLambda is not double sl ? ""
        : p is { Sampled: true }
            ? $"; sλ = {F(sl)} of the {p.SampleRows} sampled rows' kernel, about {F(p.PlainSpectral.SLambda)} estimated for all {p.TrainRows} rows (λ scaled to the sample)"
            : $"; sλ = {F(sl)}";

    /// <summary>Where the sweep's and the networks' numbers come from, for their captions.</summary>
    private static string SampleText(PartitionedRun p) => p.Sampled
        ? $"On a hashed sample of {p.SampleRows} of the {p.TrainRows} training rows" + (p.TestSampleRows is int t ? $" (and {t} sampled test rows)" : "") +
          " of the partitioned dataset, not on all rows (exact KRR and the NTK reference are n×n; ε measured on a sample is a lower bound for all rows)"
        : $"On all {p.TrainRows} training rows of the partitioned dataset" + (p.TestSampleRows is int t2 ? $" ({t2} test rows, a sample if the test set has more)" : "");

    private static string PartitionedFinding(PartitionedRun p)
    {
        string Eps(SpectralOutcome o) => o.EpsilonIsExact ? $"ε = {F(o.Epsilon)}" : $"ε ≥ {F(o.Epsilon)} (on {o.RowsUsed} sampled rows: a lower bound)";
        string fit = p.Fit is { } f
            ? $"; plain random features fitted per partition on all rows reach training MSE {F(f.TrainMse)}" + (f.TestMse is double t ? $" and test MSE {F(t)}" : "")
            : $"; no fit on all rows: {p.FitSkipped}";
        return $"On all {p.TrainRows} rows of {p.Source} ({p.Partitions} partition(s)) at M = {p.Features}: {Eps(p.PlainSpectral)} with plain sampling, " +
               $"{Eps(p.LeverageSpectral)} with leverage sampling{fit}.";
    }

    private static ReportTable PartitionedTable(PartitionedRun p)
    {
        double? B(bool b) => b ? 1 : 0;
        var rows = new[] { (Sampling: 0.0, Outcome: p.PlainSpectral), (Sampling: 1.0, Outcome: p.LeverageSpectral) }.Select(x => new double?[]
        {
            p.Features, x.Sampling, x.Outcome.Epsilon, B(x.Outcome.EpsilonIsExact), x.Outcome.RowsUsed, x.Outcome.Rows, x.Outcome.SLambda,
            B(x.Outcome.SLambdaIsExact), x.Outcome.MBound,
            x.Sampling == 0 ? p.Fit?.TrainMse : null, x.Sampling == 0 ? p.Fit?.TestMse : null,
        }).ToList();
        string notes = string.Join(" ", p.PlainSpectral.Caveats.Concat(p.LeverageSpectral.Caveats).Distinct().Select(c => Capital(c) + "."));
        return new ReportTable("partitioned", "All rows of the partitioned dataset",
            $"The jobs that read every row of {p.Source} per partition, at the sweep's largest M = {p.Features}. Sampling 0 is plain, 1 is leverage. " +
            "ε is eq. 2's, measured by 'ntk spectral' on the hashed sample of 'rows used' of the rows ('ε exact' = 1 when that is every row, " +
            "otherwise a lower bound); sλ and 'm bound' (Theorem 3.3 at ε = 0.25, δ = 0.1) are exact only when 'sλ exact' = 1. " +
            "Train MSE and test MSE are those of plain random features fitted on all rows (per-partition rounds)" +
            (p.Fit is null ? $" — not run: {p.FitSkipped}" : "") + ". " + notes,
            new FigureTable(["features", "sampling", "epsilon", "epsilon_exact", "rows_used", "rows", "s_lambda", "s_lambda_exact", "m_bound",
                "train_mse", "test_mse"], rows));
    }

    private static ReportTable NetworkTable(IReadOnlyList<WidthRun> runs)
    {
        bool test = runs[0].Gaussian.TestMse is not null;
        string kind = test ? "test" : "train";
        var rows = runs.Select(r => new double?[]
        {
            r.Width,
            test ? r.Gaussian.TestGap : r.Gaussian.TrainGap, test ? r.Leverage.TestGap : r.Leverage.TrainGap,
            test ? r.Gaussian.TestMse : r.Gaussian.TrainMse, test ? r.Leverage.TestMse : r.Leverage.TrainMse,
            test ? r.Gaussian.KrrTestMse : r.Gaussian.KrrTrainMse,
            r.Gaussian.PatternFlips, r.Leverage.PatternFlips, r.Gaussian.KernelDrift, r.Leverage.KernelDrift,
            r.Gaussian.MaxWeightMove, r.Leverage.MaxWeightMove, r.Gaussian.Model.Steps, r.Leverage.Model.Steps,
            r.Gaussian.ConvergenceExponent, r.Leverage.ConvergenceExponent, r.Gaussian.Seconds, r.Leverage.Seconds,
        }).ToList();
        return new ReportTable("networks", "Networks against NTK ridge regression",
            $"Per width and initialization: the {kind} gap ‖uₙₙ − u*‖/‖u*‖, the network's {kind} MSE beside NTK ridge regression's, the fraction of " +
            "activation patterns that flipped, the final kernel drift ‖H(T) − H(0)‖₂/‖H(0)‖₂, the largest weight move maxᵣ ‖wᵣ(T) − wᵣ(0)‖, " +
            "the steps T, the convergence exponent η·T·(κ²λₘᵢₙ(H)+λ) (≥ 5: converged) and seconds",
            new FigureTable(["width", $"{kind}_gap_gaussian", $"{kind}_gap_leverage", $"{kind}_mse_gaussian", $"{kind}_mse_leverage", $"{kind}_mse_ntk_krr",
                "flips_gaussian", "flips_leverage", "drift_gaussian", "drift_leverage", "max_move_gaussian", "max_move_leverage",
                "steps_gaussian", "steps_leverage", "exponent_gaussian", "exponent_leverage", "seconds_gaussian", "seconds_leverage"], rows));
    }

    private static string Percent(double v) => (100 * v).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string F(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
}
