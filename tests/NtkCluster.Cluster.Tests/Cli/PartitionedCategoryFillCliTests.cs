using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Numerics.Partitions;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>--test-fraction</c> with <c>--missing mean|median</c> on a partitioned dataset: a categorical column's fill (its
/// most frequent category) comes from the rows on the training side of the hashed split only, as the single file's
/// does (<see cref="SplitCategoryFillTests"/>), while the categories stay those of every row. The parts are made so that
/// the held-out rows tip the most frequent category; which rows are held out is decided here by the split's own rule
/// (<see cref="RowSplit.Keeps"/>), and the colours are counted here, row by row.
/// </summary>
public sealed class PartitionedCategoryFillCliTests(ITestOutputHelper output) : IDisposable
{
    public const ulong SplitSeed = 7;
    public const double Fraction = 0.3;
    private const int Rows = 240;

    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Three CSV parts of <c>x,color,y</c>: every held-out row 'red'; the training rows in turn a missing colour ('NA',
    /// or <paramref name="missingAs"/> written in its place), 'blue', 'blue', 'red', 'green' — so 'blue' leads the
    /// training rows and 'red' all of them. Returns the directory.
    /// </summary>
    public static string TippedParts(string root, string name, string missingAs = "NA")
    {
        var split = new RowSplit(SplitSeed, Fraction, TestSide: false);
        var all = new Dictionary<string, int>();
        var training = new Dictionary<string, int>();
        var parts = new[] { new StringBuilder("x,color,y\n"), new StringBuilder("x,color,y\n"), new StringBuilder("x,color,y\n") };
        int trainingRow = 0;
        for (int i = 0; i < Rows; i++)
        {
            bool keeps = split.Keeps(i);
            string color = !keeps ? "red" : (trainingRow++ % 5) switch { 0 => "NA", 1 or 2 => "blue", 3 => "red", _ => "green" };
            if (color != "NA")
            {
                all[color] = all.GetValueOrDefault(color) + 1;
                if (keeps) training[color] = training.GetValueOrDefault(color) + 1;
            }
            double y = 0.01 * i + (color switch { "red" => 1.0, "blue" => -1.0, "green" => 0.5, _ => 0.0 });
            parts[i * 3 / Rows].Append(CultureInfo.InvariantCulture, $"{(i * 37 % 101) * 0.1},{(color == "NA" ? missingAs : color)},{y:R}\n");
        }
        // The held-out rows tip it: without the split the fill would be 'red'.
        Assert.True(training["blue"] > training["red"] && training["blue"] > training["green"], $"training: {string.Join(", ", training)}");
        Assert.True(all["red"] > all["blue"], $"all rows: {string.Join(", ", all)}");
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        for (int p = 0; p < parts.Length; p++) File.WriteAllText(Path.Combine(dir, $"part-{p:00000}.csv"), parts[p].ToString());
        return dir;
    }

    /// <summary>The fit's options: primal random features (what <c>--missing</c> on parts allows), the split, the fill.</summary>
    public static string[] FitArguments(string train, string model) =>
    [
        "fit", "--train", train, "--test-fraction", Fraction.ToString("R", CultureInfo.InvariantCulture), "--split-seed",
        SplitSeed.ToString(CultureInfo.InvariantCulture), "--missing", "mean", "--kernel", "rbf:gamma=0.2", "--lambda", "0.1",
        "--features", "30", "--seed", "5", "--standardize", "--model", model,
    ];

    /// <summary>Asserts the model's stored encoding of 'color': every row's categories, and <paramref name="fill"/>.</summary>
    internal static void AssertStoredColor(string model, string fill)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(model));
        var color = json.RootElement.GetProperty("preprocessing").GetProperty("categorical")[0];
        Assert.Equal("color", color.GetProperty("name").GetString());
        Assert.Equal(["blue", "green", "red"], color.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(fill, color.GetProperty("fill").GetString());
    }

    private async Task<CliRun> Run(params string[] args)
    {
        var run = await Ntk.RunAsync(args);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    [Fact]
    public async Task A_split_of_parts_fills_with_the_training_rows_category_and_fits_as_the_parts_with_that_category_written_in()
    {
        string tipped = TippedParts(_dir.Path, "tipped");
        await Run(FitArguments(tipped, _dir.PathOf("tipped.json")));
        AssertStoredColor(_dir.PathOf("tipped.json"), "blue");

        // The same rows with the training rows' category written into the missing cells: the split holds out the same
        // rows (their positions are unchanged) and every row reads the same, so the model is the same to the byte.
        string blue = TippedParts(_dir.Path, "blue", missingAs: "blue");
        await Run(FitArguments(blue, _dir.PathOf("blue.json")));
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("blue.json")), File.ReadAllBytes(_dir.PathOf("tipped.json")));
        // Whereas every row's most frequent category (what the census gave before) is another model: the test can fail.
        string red = TippedParts(_dir.Path, "red", missingAs: "red");
        await Run(FitArguments(red, _dir.PathOf("red.json")));
        Assert.NotEqual(File.ReadAllBytes(_dir.PathOf("red.json")), File.ReadAllBytes(_dir.PathOf("tipped.json")));

        // Without a split the fill is still every row's.
        await Run("fit", "--train", tipped, "--missing", "mean", "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--features", "30", "--model",
            _dir.PathOf("whole.json"));
        AssertStoredColor(_dir.PathOf("whole.json"), "red");
    }

    [Fact]
    public async Task Cross_validation_of_a_split_of_parts_fills_from_the_training_side_before_the_folds_as_one_files_cv()
    {
        string tipped = TippedParts(_dir.Path, "tipped");
        var run = await Run("cv", "--train", tipped, "--test-fraction", "0.3", "--split-seed", "7", "--missing", "median", "--kernel", "rbf",
            "--gamma", "0.2", "--lambda", "0.1,1", "--features", "30", "--folds", "3", "--model", _dir.PathOf("cv.json"));
        AssertStoredColor(_dir.PathOf("cv.json"), "blue");
        Assert.Contains(run.StdoutLines, l => l.StartsWith("3-fold cross-validation", StringComparison.Ordinal));
    }
}
