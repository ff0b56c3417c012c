using System.Globalization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Numerics.Models;
using NtkCluster.Spectral;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Turns job outcomes into figures. Every builder puts the outcome's numbers into the series unchanged and the same
/// numbers into the figure's table, so the CSV beside an SVG holds exactly what is drawn.
/// </summary>
public static class FigureBuilder
{
    /// <summary>ε against M for plain and leverage sampling (medians over the sweep's seeds), both axes logarithmic.</summary>
    public static Figure EpsilonAgainstFeatures(SweepOutcome sweep)
    {
        var (counts, plain, leverage) = BySampling(sweep, p => p.Epsilon);
        string eps = sweep.EpsilonIsExact ? "ε" : "ε (lower bound)";
        var model = ReportStyle.Model($"{eps} against the number of random features");
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Bottom, "random features M (draws)", logarithmic: true));
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Left, $"{eps} of ΨΨᵀ+λI against K+λI", logarithmic: true));
        model.Series.Add(Line("plain sampling (w ∼ p)", ReportStyle.Blue, MarkerType.Circle, counts, plain));
        model.Series.Add(Line($"leverage sampling (w ∼ q{FigureText.Subscript("λ")})", ReportStyle.Red, MarkerType.Circle, counts, leverage));
        model.Annotations.Add(new LineAnnotation
        {
            Type = LineAnnotationType.Horizontal, Y = 1, Color = ReportStyle.Grey, LineStyle = LineStyle.Dash, StrokeThickness = 1,
            Text = "ε = 1", TextColor = ReportStyle.Grey, TextLinePosition = 0.01, TextHorizontalAlignment = HorizontalAlignment.Left,
            TextVerticalAlignment = VerticalAlignment.Bottom,
        });
        string caption = $"Spectral approximation error ε of ΨΨᵀ+λI against K+λI (eq. 2), median over {Seeds(sweep.Repeats)}, for each number " +
                         "of random-feature draws M. Lower is better; ε ≤ 1 is where Theorem 3.3's guarantees start to bite." +
                         (sweep.EpsilonIsExact ? "" : " ε was measured on a row subsample, so it is a lower bound.") +
                         (sweep.PoolSize > 0 && sweep.PoolFloor > 1
                             ? $" The leverage candidate pool (P = {sweep.PoolSize}) limits leverage ε to about {F(sweep.PoolFloor - 1)} or more at any M."
                             : "");
        return new Figure("epsilon-vs-m", "ε against M", caption, model,
            Table(["features", "epsilon_plain", "epsilon_leverage"], counts, plain, leverage));
    }

    /// <summary>Test error (training error without a test set) against M for both samplings, beside exact KRR's.</summary>
    public static Figure ErrorAgainstFeatures(SweepOutcome sweep)
    {
        var (counts, plain, leverage) = BySampling(sweep, p => p.Error);
        string kind = sweep.HasTest ? "test" : "training";
        var model = ReportStyle.Model($"{Capital(kind)} error against the number of random features");
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Bottom, "random features M (draws)", logarithmic: true));
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Left, $"{kind} MSE (target units²)", logarithmic: false));
        model.Series.Add(Line("plain sampling", ReportStyle.Blue, MarkerType.Circle, counts, plain));
        model.Series.Add(Line("leverage sampling", ReportStyle.Red, MarkerType.Circle, counts, leverage));
        double?[] exact = counts.Select(_ => sweep.ExactError).ToArray();
        if (sweep.ExactError is double e)
        {
            // Drawn across the sweep's M range (it does not depend on M), at its two ends.
            var reference = ReportStyle.Series("exact KRR", ReportStyle.Grey, MarkerType.None, LineStyle.Dash);
            reference.Points.Add(new DataPoint(counts[0], e));
            reference.Points.Add(new DataPoint(counts[^1], e));
            model.Series.Add(reference);
        }
        string caption = $"{Capital(kind)} mean squared error of random-feature ridge regression, median over {Seeds(sweep.Repeats)}, against M" +
                         (sweep.ExactError is double x ? $"; the dashed line is exact kernel ridge regression ({F(x)})." : "; exact KRR did not fit in memory at this n.");
        return new Figure("error-vs-m", $"{Capital(kind)} error against M", caption, model,
            Table(["features", $"{kind}_mse_plain", $"{kind}_mse_leverage", $"{kind}_mse_exact_krr"], counts, plain, leverage, exact));
    }

    /// <summary>The relative gap ‖u_nn − u*‖/‖u*‖ to NTK ridge regression against width, both initializations, log-log.</summary>
    public static Figure GapAgainstWidth(IReadOnlyList<WidthRun> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("no widths to plot", nameof(runs));
        bool test = runs[0].Gaussian.TestGap is not null;
        string kind = test ? "test" : "training";
        var widths = runs.Select(r => (double)r.Width).ToArray();
        double?[] gaussian = runs.Select(r => Gap(r.Gaussian, test)).ToArray();
        double?[] leverage = runs.Select(r => Gap(r.Leverage, test)).ToArray();
        var model = ReportStyle.Model("Gap to NTK ridge regression against width");
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Bottom, "width m (hidden neurons)", logarithmic: true));
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Left, $"{kind} gap ‖u{FigureText.Subscript("nn")} − u*‖ / ‖u*‖", logarithmic: true));
        model.Series.Add(Line("Gaussian init (Def 3.5)", ReportStyle.Blue, MarkerType.Circle, widths, gaussian));
        model.Series.Add(Line("leverage init (Def 3.8)", ReportStyle.Red, MarkerType.Circle, widths, leverage));
        var s = runs[0].Gaussian.Model;
        var steps = runs.SelectMany(r => new[] { r.Gaussian.Model.Steps, r.Leverage.Model.Steps }).ToList();
        string after = steps.Min() == steps.Max() ? $"{steps[0]}" : $"{steps.Min()}–{steps.Max()} (per network, see the table)";
        string caption = $"Relative distance on the {kind} rows between the trained network's predictions uₙₙ and NTK ridge regression's u* " +
                         $"after {after} gradient steps (κ = {F(s.Setup.Kappa)}, λ = {F(s.Setup.Lambda)}), for each width. Theorems 3.6, 3.7 " +
                         "and 3.9 say it shrinks as the width grows, in the lazy regime (few activation patterns flipped) and once training has converged.";
        return new Figure("gap-vs-width", "Gap to NTK-KRR against width", caption, model,
            Table(["width", $"{kind}_gap_gaussian", $"{kind}_gap_leverage"], widths, gaussian, leverage));
    }

    /// <summary>The training loss ½‖Y − κ·u‖² + ½λ‖W‖²_F against the step, both initializations, at one width.</summary>
    public static Figure LossCurve(WidthRun run) => Curve(run, "training-loss", "Training loss",
        "loss ½‖Y − κu‖² + ½λ‖W‖² (preprocessed target units²)", logarithmic: true, LegendPosition.TopRight, p => p.Loss,
        $"The regularized training loss of the width-{run.Width} networks during gradient descent ({Every(run)}), in the preprocessed target's units.");

    /// <summary>The training-set gap to u* against the step.</summary>
    public static Figure GapCurve(WidthRun run) => Curve(run, "training-gap", "Gap to NTK-KRR during training",
        $"training gap ‖u{FigureText.Subscript("nn")} − u*‖ / ‖u*‖", logarithmic: true, LegendPosition.TopRight, p => p.TrainGap,
        $"How far the width-{run.Width} networks' training-set predictions are from NTK ridge regression's u* as training proceeds.");

    /// <summary>The kernel drift ‖H(t) − H(0)‖₂/‖H(0)‖₂ against the step (Lemma 4.1's lazy-regime quantity).</summary>
    public static Figure DriftCurve(WidthRun run) => Curve(run, "kernel-drift", "Kernel drift during training",
        "kernel drift ‖H(t) − H(0)‖₂ / ‖H(0)‖₂", logarithmic: false, LegendPosition.BottomRight, p => p.KernelDrift,
        $"How far the width-{run.Width} networks' finite-width kernel H(t) moves from H(0) during training. Lemma 4.1's lazy regime " +
        "keeps it small; the network then behaves like its NTK, and it grows smaller with width.");

    private static Figure Curve(WidthRun run, string name, string title, string yTitle, bool logarithmic, LegendPosition legend,
        Func<TrainingPoint, double?> value, string caption)
    {
        // With --steps auto the two networks may train for different step counts, so each is recorded at its own
        // steps: the table has a row per step either recorded, and an empty cell where the other was not recorded.
        var g = run.Gaussian.Trajectory.ToDictionary(p => p.Step);
        var l = run.Leverage.Trajectory.ToDictionary(p => p.Step);
        var steps = g.Keys.Union(l.Keys).Order().Select(t => (double)t).ToArray();
        double? At(Dictionary<int, TrainingPoint> points, double step) => points.TryGetValue((int)step, out var p) ? value(p) : null;
        double?[] gaussian = steps.Select(t => At(g, t)).ToArray(), leverage = steps.Select(t => At(l, t)).ToArray();
        var model = ReportStyle.Model($"{title} (width {run.Width})", legend);
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Bottom, "gradient-descent step t", logarithmic: false));
        model.Axes.Add(ReportStyle.Axis(AxisPosition.Left, yTitle, logarithmic));
        model.Series.Add(Line("Gaussian init", ReportStyle.Blue, MarkerType.Circle, steps, gaussian));
        model.Series.Add(Line("leverage init", ReportStyle.Red, MarkerType.Circle, steps, leverage));
        string column = name.Replace("training-", "").Replace('-', '_');
        return new Figure(name, title, caption, model, Table(["step", $"{column}_gaussian", $"{column}_leverage"], steps, gaussian, leverage));
    }

    /// <summary>
    /// A series of (x, y) points; a missing or non-finite y is left out of the series (a line cannot be drawn
    /// through it) and stays visible in the table as an empty cell or NaN.
    /// </summary>
    private static LineSeries Line(string title, OxyColor color, MarkerType marker, IReadOnlyList<double> x, IReadOnlyList<double?> y)
    {
        var series = ReportStyle.Series(title, color, marker);
        for (int i = 0; i < x.Count; i++)
            if (y[i] is double v && double.IsFinite(v)) series.Points.Add(new DataPoint(x[i], v));
        return series;
    }

    private static (double[] Counts, double?[] Plain, double?[] Leverage) BySampling(SweepOutcome sweep, Func<SweepPoint, double> value)
    {
        if (sweep.Points.Count == 0) throw new ArgumentException("the sweep has no points", nameof(sweep));
        var counts = sweep.Points.Select(p => p.Features).Distinct().Order().ToArray();
        double? Of(int m, string sampling) => sweep.Points.FirstOrDefault(p => p.Features == m && p.Sampling == sampling) is { } p ? value(p) : null;
        return (counts.Select(m => (double)m).ToArray(), counts.Select(m => Of(m, "plain")).ToArray(), counts.Select(m => Of(m, "leverage")).ToArray());
    }

    private static FigureTable Table(string[] columns, double[] x, params double?[][] ys) =>
        new(columns, x.Select((v, i) => new double?[] { v }.Concat(ys.Select(y => y[i])).ToArray()).ToArray());

    private static double? Gap(NetworkOutcome o, bool test) => test ? o.TestGap : o.TrainGap;

    private static string Every(WidthRun run)
    {
        static int Of(NetworkOutcome o) => o.Trajectory.Count > 1 ? o.Trajectory[1].Step - o.Trajectory[0].Step : 1;
        int g = Of(run.Gaussian), l = Of(run.Leverage);
        return g == l ? $"every {g} steps" : $"every {g} steps for Gaussian, {l} for leverage initialization";
    }

    private static string Seeds(int repeats) => repeats == 1 ? "1 seed" : $"{repeats} seeds";

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
