using System.Globalization;
using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// <c>ntk report</c> end to end on tiny data (few M, widths and steps, so it takes seconds), and its bad input:
/// one line on stderr, exit code 2, and no report — not even half of one — left behind.
/// </summary>
public sealed class ReportCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] FigureNames = ["epsilon-vs-m", "error-vs-m", "gap-vs-width", "training-loss", "training-gap", "kernel-drift"];

    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[] Tiny(string train, string outDir) =>
    [
        "report", "--train", train, "--out", outDir, "--test-fraction", "0.25", "--standardize", "--scale-target", "--normalize",
        "--features", "4,8,16", "--repeats", "1", "--pool", "400", "--widths", "8,32", "--steps", "12", "--workers", "2",
    ];

    /// <summary>Files and directories directly in the temp directory, hidden ones included.</summary>
    private string[] Entries() => Directory.GetFileSystemEntries(_dir.Path).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Report_writes_every_figure_with_its_numbers_and_a_self_contained_html_page()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        string outDir = _dir.PathOf("report");
        var run = await Ntk.RunAsync(Tiny(train, outDir));
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());

        var expected = FigureNames.SelectMany(n => new[] { n + ".svg", n + ".csv" }).Concat(["networks.csv", "report.html", "report.md", ".ntk-report"]).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFileSystemEntries(outDir).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "report", "train.csv" }, Entries()); // no staging directory left beside it
        // The default target is named before any work, so a file whose target is not its last column is caught at once.
        Assert.StartsWith("ntk report: 48 training rows × 3 features, target 'y' (the last column; choose another with --target COL), 16 test rows",
            run.StderrLines[0]);

        foreach (var name in FigureNames)
        {
            // One marker per finite value in the CSV's series columns (the exact-KRR reference line has none), plus one per
            // marked series in the legend: the SVG draws exactly the numbers the CSV holds.
            var (header, rows) = ReadCsv(Path.Combine(outDir, name + ".csv"));
            var marked = Enumerable.Range(1, header.Length - 1).Where(c => !header[c].EndsWith("exact_krr", StringComparison.Ordinal)).ToList();
            int values = rows.Sum(r => marked.Count(c => r[c] is double v && double.IsFinite(v)));
            var svg = FigureBuilderTests.ParseSvg(File.ReadAllText(Path.Combine(outDir, name + ".svg")));
            Assert.True(values + marked.Count == FigureBuilderTests.Count(svg, "ellipse"),
                $"{name}: {FigureBuilderTests.Count(svg, "ellipse")} markers for {values} values in {marked.Count} series");
            Assert.True(rows.Length >= 2, $"{name}.csv has {rows.Length} rows");
        }
        var (epsHeader, epsRows) = ReadCsv(Path.Combine(outDir, "epsilon-vs-m.csv"));
        Assert.Equal(new[] { "features", "epsilon_plain", "epsilon_leverage" }, epsHeader);
        Assert.Equal(new double?[] { 4, 8, 16 }, epsRows.Select(r => r[0]));
        Assert.All(epsRows, r => Assert.True(r[1] > 0 && r[2] > 0));
        // 12 steps recorded every step (T/20 rounds down to 1), and the drift at step 0 is exactly 0.
        var (_, driftRows) = ReadCsv(Path.Combine(outDir, "kernel-drift.csv"));
        Assert.Equal(Enumerable.Range(0, 13).Select(i => (double?)i), driftRows.Select(r => r[0]));
        Assert.Equal(new double?[] { 0, 0 }, driftRows[0][1..]);
        Assert.All(driftRows, r => Assert.True(r[1] >= 0 && r[2] >= 0));
        var (_, netRows) = ReadCsv(Path.Combine(outDir, "networks.csv"));
        Assert.Equal(new double?[] { 8, 32 }, netRows.Select(r => r[0]));
        // The final drift in the summary is the trajectory's last point at the largest width.
        Assert.Equal(driftRows[^1][1], netRows[1][8]);

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Equal(FigureNames.Length, Regex.Matches(html, "<svg[ >]").Count);
        foreach (var name in FigureNames) Assert.Contains($"<h2 id=\"{name}\">", html);
        Assert.DoesNotMatch(new Regex(@"\b(src|href|action)\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<(link|script|iframe|img|object|embed)\b|@import|url\((?!#)", RegexOptions.IgnoreCase), html);
        // In-page references (clip paths) point at ids that exist, and ids are unique across the inlined figures.
        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(Regex.Matches(html, @"url\(#([^)]+)\)").Select(m => m.Groups[1].Value), id => Assert.Contains(id, ids));
        // The only URLs are XML namespace names, which are identifiers, not fetched.
        foreach (Match m in Regex.Matches(html, @"https?://[^\s""'<>]+")) Assert.StartsWith("http://www.w3.org/", m.Value);
        foreach (var fact in new[] { train, $"ntk {ProgramInfo.Version}", "seed 0", "UTC", "worker(s)", "rbf:gamma=0.3333" }) Assert.Contains(fact, html);

        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var name in FigureNames) Assert.Matches($@"!\[[^\]]+\]\({name}\.svg\)", md);
        // Tables are headed in words for people; the CSV files keep the machine-readable names (checked above).
        Assert.Contains("| features | ε plain | ε leverage |", md);
        Assert.Contains("<tr><th>features</th><th>test MSE plain</th><th>test MSE leverage</th><th>test MSE exact KRR</th></tr>", html);
        Assert.Contains("<th>test gap Gaussian</th><th>test gap leverage</th><th>test MSE Gaussian</th>", html);
        Assert.All(Regex.Matches(html, "<th>([^<]*)</th>").Select(m => m.Groups[1].Value), h => Assert.DoesNotContain("_", h));
        Assert.All(md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)), l => Assert.DoesNotContain("_", l));
        Assert.Contains("report.html", run.StdoutLines[^1]);

        // A second run replaces the earlier report in place, with the same numbers (same seeds).
        var first = FigureNames.Select(n => File.ReadAllText(Path.Combine(outDir, n + ".csv"))).ToArray();
        File.Delete(Path.Combine(outDir, "networks.csv"));
        var again = await Ntk.RunAsync(Tiny(train, outDir));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, "networks.csv")));
        Assert.Equal(new[] { "report", "train.csv" }, Entries());
        Assert.Equal(first, FigureNames.Select(n => File.ReadAllText(Path.Combine(outDir, n + ".csv"))));

        // The marker lists what the report wrote; a file of the user's put there since makes the next run refuse, and
        // nothing is deleted (issue 15, item 4).
        var marker = File.ReadAllLines(Path.Combine(outDir, ".ntk-report"));
        Assert.Equal(expected.Where(n => n != ".ntk-report").Order(StringComparer.Ordinal), marker.Skip(1).Order(StringComparer.Ordinal));
        File.Copy(train, Path.Combine(outDir, "input.csv"));
        var before = Directory.GetFileSystemEntries(outDir).Order(StringComparer.Ordinal).ToArray();
        await AssertBadInput(Tiny(train, outDir), ["report", "train.csv"], "did not write (input.csv)");
        Assert.Equal(before, Directory.GetFileSystemEntries(outDir).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_directory_that_only_looks_like_a_report_is_refused_and_nothing_deleted()
    {
        // An earlier report's kind of files, the run's own input among them, but no marker: ntk did not make it.
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        Directory.CreateDirectory(_dir.PathOf("old"));
        File.WriteAllText(_dir.PathOf("old/report.html"), "<html></html>");
        File.WriteAllText(_dir.PathOf("old/notes.md"), "mine");
        File.Copy(train, _dir.PathOf("old/data.csv"));
        await AssertBadInput(Tiny(train, _dir.PathOf("old")), ["old", "train.csv"], "not created by ntk report");
        Assert.Equal(["data.csv", "notes.md", "report.html"],
            Directory.GetFileSystemEntries(_dir.PathOf("old")).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_existing_empty_directory_is_filled_not_replaced()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        if (OperatingSystem.IsWindows()) return;
        string outDir = Directory.CreateDirectory(_dir.PathOf("empty")).FullName;
        // A mode no staging directory gets: it survives only if the directory itself is kept (it may be the user's
        // working directory, --out .).
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(outDir, Mode);
        var run = await Ntk.RunAsync(Tiny(train, outDir));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.True(File.Exists(Path.Combine(outDir, ".ntk-report")));
        Assert.Equal(new[] { "empty", "train.csv" }, Entries());
        Assert.Equal(Mode, File.GetUnixFileMode(outDir));
    }

    /// <summary>
    /// --steps auto (the default): every network trains the fewest steps whose exponent η·T·(κ²λ_min(H)+λ) reaches 5
    /// — networks.csv shows T and the exponent, and one step fewer would not have reached it — unless the cap stops it
    /// first, which the report says as a warning and in its findings.
    /// </summary>
    [Fact]
    public async Task Steps_auto_trains_each_network_to_the_convergence_target_or_to_the_cap()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        string[] Auto(string outDir, params string[] steps)
        {
            var args = Tiny(train, outDir).ToList();
            args.RemoveRange(args.IndexOf("--steps"), 2);
            return [.. args, .. steps];
        }

        var converged = await Ntk.RunAsync(Auto(_dir.PathOf("auto"), "--max-steps", "5000"));
        output.WriteLine(converged.ToString());
        Assert.True(converged.ExitCode == 0, converged.ToString());
        var (header, rows) = ReadCsv(Path.Combine(_dir.PathOf("auto"), "networks.csv"));
        foreach (var init in new[] { "gaussian", "leverage" })
            foreach (var row in rows)
            {
                double steps = row[Array.IndexOf(header, $"steps_{init}")]!.Value, exponent = row[Array.IndexOf(header, $"exponent_{init}")]!.Value;
                Assert.True(steps is > 1 and < 5000, $"width {row[0]}, {init}: {steps} steps");
                Assert.True(exponent >= 5 && exponent * (steps - 1) / steps < 5, $"width {row[0]}, {init}: {steps} steps, exponent {exponent}");
            }
        Assert.DoesNotContain("too few steps", converged.Stderr);
        Assert.Contains("Every network trained to convergence", converged.Stdout);
        Assert.Contains("--steps auto", File.ReadAllText(Path.Combine(_dir.PathOf("auto"), "report.md")));

        var capped = await Ntk.RunAsync([.. Auto(_dir.PathOf("capped"), "--steps", "auto", "--max-steps", "3"), "--target", "x3"]);
        Assert.True(capped.ExitCode == 0, capped.ToString());
        Assert.Contains("target 'x3', 16 test rows", capped.StderrLines[0]);
        (header, rows) = ReadCsv(Path.Combine(_dir.PathOf("capped"), "networks.csv"));
        Assert.All(rows, r => Assert.Equal(3, r[Array.IndexOf(header, "steps_gaussian")]));
        Assert.All(rows, r => Assert.True(r[Array.IndexOf(header, "exponent_leverage")] < 5));
        Assert.Contains("stopped at its cap of 3 steps", capped.Stderr);
        Assert.Contains("4 of 4 networks did not train to convergence", capped.Stdout);
    }

    private async Task<string> AssertBadInput(string[] args, string[] entriesAfter, params string[] mustContain)
    {
        var run = await Ntk.RunAsync(args);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 2, $"expected exit code 2\n{run}");
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Equal("", run.Stdout);
        foreach (var text in mustContain) Assert.Contains(text, run.StderrLines[0]);
        Assert.Equal(entriesAfter.Order(StringComparer.Ordinal), Entries());
        return run.StderrLines[0];
    }

    [Fact]
    public async Task Missing_train_file_leaves_no_report()
    {
        string missing = _dir.PathOf("nope.csv");
        await AssertBadInput(Tiny(missing, _dir.PathOf("report")), [], "ntk report: error:", "nope.csv");
    }

    [Fact]
    public async Task Unwritable_out_fails_before_any_work()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        string file = _dir.Write("afile", "x");
        // Under a regular file (root may write anywhere, so permissions would not make this fail).
        await AssertBadInput(Tiny(train, Path.Combine(file, "report")), ["afile", "train.csv"], "cannot write the report to", "does not exist");
        await AssertBadInput(Tiny(train, file), ["afile", "train.csv"], "cannot write the report to", "it is a file");
    }

    [Fact]
    public async Task A_directory_of_other_files_is_not_replaced()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        Directory.CreateDirectory(_dir.PathOf("mine"));
        File.WriteAllText(_dir.PathOf("mine/notes.txt"), "keep me");
        await AssertBadInput(Tiny(train, _dir.PathOf("mine")), ["mine", "train.csv"], "not created by ntk report");
        Assert.Equal("keep me", File.ReadAllText(_dir.PathOf("mine/notes.txt")));
    }

    [Fact]
    public async Task A_bad_target_found_after_the_staging_directory_was_made_leaves_nothing()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        await AssertBadInput([.. Tiny(train, _dir.PathOf("report")), "--target", "nosuch"], ["train.csv"], "nosuch");
    }

    [Fact]
    public async Task Bad_options_are_usage_errors()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        await AssertBadInput(["report", "--train", train], ["train.csv"], "--out");
        await AssertBadInput(["report", "--train", train, "--out", _dir.PathOf("r"), "--widths", "10,x"], ["train.csv"], "--widths", "'x'");
        await AssertBadInput(["report", "--train", train, "--out", _dir.PathOf("r"), "--nn-lambda", "0"], ["train.csv"], "--nn-lambda");
        await AssertBadInput(["report", "--train", train, "--out", _dir.PathOf("r"), "--steps", "lots"], ["train.csv"], "--steps 'lots'", "auto");
        await AssertBadInput(["report", "--train", train, "--out", _dir.PathOf("r"), "--steps", "100", "--max-steps", "50"], ["train.csv"], "--max-steps");
        await AssertBadInput(["report", "--train", train, "--out", _dir.PathOf("r"), "--max-steps", "0"], ["train.csv"], "--max-steps", "got 0");
    }

    private static (string[] Header, double?[][] Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        return (lines[0].Split(','), lines.Skip(1)
            .Select(l => l.Split(',').Select(c => c.Length == 0 ? (double?)null : double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray());
    }
}
