using System.Globalization;
using System.Xml;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Reports;
using NtkCluster.Networks;
using NtkCluster.Numerics.Models;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using Xunit;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// The figure builders: each series holds exactly the outcome's numbers (read back from the OxyPlot model and from
/// the CSV it writes), axes are logarithmic where the quantity spans decades, and the SVG is well-formed XML with one
/// marker per data point.
/// </summary>
public sealed class FigureBuilderTests
{
    private static (double X, double Y)[] Points(Figure f, int series) =>
        ((LineSeries)f.Plot.Series[series]).Points.Select(p => (p.X, p.Y)).ToArray();

    private static double?[][] CsvRows(Figure f, out string[] header)
    {
        var lines = f.Table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',').Select(c => c.Length == 0 ? (double?)null : double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Fact]
    public void Epsilon_figure_plots_the_sweeps_medians_on_log_log_axes_and_its_csv_holds_the_same_bits()
    {
        var sweep = ReportSamples.Sweep();
        var f = FigureBuilder.EpsilonAgainstFeatures(sweep);

        Assert.Equal(2, f.Plot.Series.Count);
        Assert.Equal(new[] { (10.0, 14.27), (20.0, 6.03), (40.0, 0.87123456789) }, Points(f, 0));
        // Leverage at M = 20 has ε = NaN: no point is drawn for it, the CSV keeps it.
        Assert.Equal(new[] { (10.0, 8.4500000001), (40.0, 0.8201) }, Points(f, 1));
        Assert.All(f.Plot.Axes, a => Assert.IsType<LogarithmicAxis>(a));
        Assert.Contains(f.Plot.Annotations, a => a is LineAnnotation { Type: LineAnnotationType.Horizontal, Y: 1 });

        var rows = CsvRows(f, out var header);
        Assert.Equal(new[] { "features", "epsilon_plain", "epsilon_leverage" }, header);
        Assert.Equal(3, rows.Length);
        foreach (var row in rows)
        {
            int m = (int)row[0]!.Value;
            Assert.Equal(BitConverter.DoubleToInt64Bits(sweep.Points.Single(p => p.Features == m && p.Sampling == "plain").Epsilon), BitConverter.DoubleToInt64Bits(row[1]!.Value));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sweep.Points.Single(p => p.Features == m && p.Sampling == "leverage").Epsilon), BitConverter.DoubleToInt64Bits(row[2]!.Value));
        }
    }

    [Fact]
    public void Error_figure_has_both_samplings_and_exact_krr_as_a_line_across_the_m_range()
    {
        var sweep = ReportSamples.Sweep();
        var f = FigureBuilder.ErrorAgainstFeatures(sweep);

        Assert.Equal(3, f.Plot.Series.Count);
        Assert.Equal(new[] { (10.0, 3916.125), (20.0, 3035.5), (40.0, 2667.25) }, Points(f, 0));
        Assert.Equal(new[] { (10.0, 4374.0625), (20.0, 3423.0), (40.0, 2625.875) }, Points(f, 1));
        Assert.Equal(new[] { (10.0, 2583.0009765625), (40.0, 2583.0009765625) }, Points(f, 2));
        Assert.Equal("exact KRR", f.Plot.Series[2].Title);
        Assert.IsType<LogarithmicAxis>(f.Plot.Axes.Single(a => a.Position == AxisPosition.Bottom));
        Assert.Contains("test MSE", f.Plot.Axes.Single(a => a.Position == AxisPosition.Left).Title);

        var rows = CsvRows(f, out var header);
        Assert.Equal(new[] { "features", "test_mse_plain", "test_mse_leverage", "test_mse_exact_krr" }, header);
        Assert.Equal(new double?[] { 20, 3035.5, 3423.0, 2583.0009765625 }, rows[1]);

        var without = FigureBuilder.ErrorAgainstFeatures(ReportSamples.Sweep(withExact: false));
        Assert.Equal(2, without.Plot.Series.Count);
        Assert.All(CsvRows(without, out _), r => Assert.Null(r[3]));
    }

    [Fact]
    public void Gap_figure_plots_each_widths_test_gap_for_both_initializations()
    {
        var runs = new[] { ReportSamples.Run(100, 0.332123, 0.417, 1), ReportSamples.Run(1000, 0.175, null, 2), ReportSamples.Run(4000, 0.144, 0.141, 3) };
        var f = FigureBuilder.GapAgainstWidth(runs);

        Assert.Equal(new[] { (100.0, 0.332123), (1000.0, 0.175), (4000.0, 0.144) }, Points(f, 0));
        Assert.Equal(new[] { (100.0, 0.417), (4000.0, 0.141) }, Points(f, 1));
        Assert.All(f.Plot.Axes, a => Assert.IsType<LogarithmicAxis>(a));
        var rows = CsvRows(f, out var header);
        Assert.Equal(new[] { "width", "test_gap_gaussian", "test_gap_leverage" }, header);
        Assert.Equal(new double?[] { 1000, 0.175, null }, rows[1]);
    }

    [Fact]
    public void Training_curves_plot_loss_gap_and_kernel_drift_per_recorded_step()
    {
        var run = ReportSamples.Run(400, 0.2, 0.25, 5);
        var loss = FigureBuilder.LossCurve(run);
        var gap = FigureBuilder.GapCurve(run);
        var drift = FigureBuilder.DriftCurve(run);

        Assert.Equal(run.Gaussian.Trajectory.Select(p => ((double)p.Step, p.Loss)), Points(loss, 0));
        Assert.Equal(run.Leverage.Trajectory.Select(p => ((double)p.Step, p.Loss)), Points(loss, 1));
        Assert.Equal(run.Gaussian.Trajectory.Select(p => ((double)p.Step, p.TrainGap!.Value)), Points(gap, 0));
        // The leverage run's gap is missing at one step: four points, not five.
        Assert.Equal(run.Leverage.Trajectory.Where(p => p.TrainGap is not null).Select(p => ((double)p.Step, p.TrainGap!.Value)), Points(gap, 1));
        Assert.Equal(run.Gaussian.Trajectory.Select(p => ((double)p.Step, p.KernelDrift!.Value)), Points(drift, 0));
        Assert.Equal(run.Leverage.Trajectory.Select(p => ((double)p.Step, p.KernelDrift!.Value)), Points(drift, 1));
        // Drift starts at exactly 0, which a log axis cannot show.
        Assert.IsType<LinearAxis>(drift.Plot.Axes.Single(a => a.Position == AxisPosition.Left));
        Assert.IsType<LogarithmicAxis>(loss.Plot.Axes.Single(a => a.Position == AxisPosition.Left));

        var rows = CsvRows(drift, out var header);
        Assert.Equal(new[] { "step", "kernel_drift_gaussian", "kernel_drift_leverage" }, header);
        Assert.Equal(run.Gaussian.Trajectory.Select(p => p.KernelDrift), rows.Select(r => r[1]));
        Assert.Equal(run.Leverage.Trajectory.Select(p => p.KernelDrift), rows.Select(r => r[2]));
    }

    [Fact]
    public void Training_curves_of_networks_with_different_step_counts_keep_each_networks_own_steps()
    {
        // As --steps auto gives them: the Gaussian network recorded every 25 steps to 100, the leverage one every 30 to 120.
        var run = ReportSamples.Run(400, 0.2, 0.25, 5);
        var leverage = Enumerable.Range(0, 5).Select(i => new TrainingPoint(i * 30, 200.5 / (i + 1), 1.0 / (i + 2), 0.02 * i)).ToList();
        run = run with { Leverage = run.Leverage with { Trajectory = leverage } };
        var loss = FigureBuilder.LossCurve(run);

        Assert.Equal(run.Gaussian.Trajectory.Select(p => ((double)p.Step, p.Loss)), Points(loss, 0));
        Assert.Equal(leverage.Select(p => ((double)p.Step, p.Loss)), Points(loss, 1));
        var rows = CsvRows(loss, out _);
        Assert.Equal(new double?[] { 0, 25, 30, 50, 60, 75, 90, 100, 120 }, rows.Select(r => r[0]));
        Assert.Equal(new double?[] { 30, null, 200.5 / 2 }, rows[2]);
        Assert.Equal(new double?[] { 100, run.Gaussian.Trajectory[^1].Loss, null }, rows[7]);
        Assert.Contains("every 25 steps for Gaussian, 30 for leverage", loss.Caption);
    }

    /// <summary>
    /// The SVG parses as XML, names every series in its legend, and draws one circle marker per data point — plus
    /// one per series in the legend — so no point was dropped or added on the way to the picture.
    /// </summary>
    [Fact]
    public void Each_svg_is_well_formed_and_draws_one_marker_per_point()
    {
        var sweep = ReportSamples.Sweep();
        var run = ReportSamples.Run(400, 0.2, 0.25, 5);
        var runs = new[] { ReportSamples.Run(100, 0.3, 0.4, 1), run };
        foreach (var f in new[]
                 {
                     FigureBuilder.EpsilonAgainstFeatures(sweep), FigureBuilder.ErrorAgainstFeatures(sweep), FigureBuilder.GapAgainstWidth(runs),
                     FigureBuilder.LossCurve(run), FigureBuilder.GapCurve(run), FigureBuilder.DriftCurve(run),
                 })
        {
            var xml = ParseSvg(SvgFigure.Document(f));
            var series = f.Plot.Series.Cast<LineSeries>().ToList();
            int points = series.Where(s => s.MarkerType == MarkerType.Circle).Sum(s => s.Points.Count);
            int legendMarkers = series.Count(s => s.MarkerType == MarkerType.Circle);
            Assert.True(points + legendMarkers == Count(xml, "ellipse"), $"{f.Name}: {Count(xml, "ellipse")} ellipses for {points} points and {legendMarkers} legend entries");
            var texts = xml.GetElementsByTagName("text").Cast<XmlElement>().Select(e => e.InnerText).ToList();
            // Subscript markup (q_[λ]) is drawn as a lowered <tspan>: the element's text is the title without the markup.
            Assert.All(series, s => Assert.Contains(FigureText.Plain(s.Title), texts));
            Assert.Contains(FigureText.Plain(f.Plot.Axes[0].Title), texts);
            Assert.Contains(FigureText.Plain(f.Plot.Axes[1].Title), texts);
            Assert.All(texts, t => Assert.DoesNotContain("_", t));
        }
    }

    internal static XmlDocument ParseSvg(string svg)
    {
        var doc = new XmlDocument { XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        doc.Load(reader);
        Assert.Equal("svg", doc.DocumentElement!.LocalName);
        return doc;
    }

    internal static int Count(XmlDocument doc, string element) => doc.GetElementsByTagName(element).Count;

    [Theory]
    [InlineData("features", "features")]
    [InlineData("test_mse_exact_krr", "test MSE exact KRR")]
    [InlineData("train_mse_ntk_krr", "train MSE NTK KRR")]
    [InlineData("epsilon_exact", "ε exact")]
    [InlineData("s_lambda_exact", "sλ exact")]
    [InlineData("steps_lambda", "steps lambda")]
    [InlineData("max_move_gaussian", "max move Gaussian")]
    public void A_table_column_is_headed_in_words_for_people(string column, string heading) =>
        Assert.Equal(heading, FigureTable.Heading(column));
}
