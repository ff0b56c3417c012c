using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator;
using Xunit;

namespace NtkCluster.Cluster.Tests.Tools;

/// <summary>
/// <c>ntk inspect</c> on models made by the real <c>fit</c> and <c>train-nn</c>: every field reports what the model
/// was fitted with, text and JSON agree, and missing, truncated or foreign files are refused with one line.
/// </summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<JsonElement> InspectJson(string model)
    {
        var run = await Ntk.RunAsync("inspect", "--model", model, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.StdoutLines);
        using var doc = JsonDocument.Parse(run.StdoutLines[0]);
        return doc.RootElement.Clone();
    }

    /// <summary>The text form's lines (one run, no error).</summary>
    private static async Task<string[]> InspectText(string model)
    {
        var run = await Ntk.RunAsync("inspect", "--model", model);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Stderr);
        return run.StdoutLines;
    }

    /// <summary>The text form has the line "<paramref name="key"/>:   <paramref name="value"/>".</summary>
    private static void AssertTextField(string[] lines, string key, string value) =>
        Assert.Contains(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal) && l.EndsWith(" " + value, StringComparison.Ordinal));

    /// <summary>The keys of the text form's lines, in order.</summary>
    private static string[] TextKeys(string[] lines) => lines.Select(l => l[..l.IndexOf(':')]).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private async Task<string> Fit(string name, string trainCsv, params string[] options)
    {
        string train = _dir.Write(name + ".csv", trainCsv), model = _dir.PathOf(name + ".json");
        var fit = await Ntk.RunAsync(["fit", "--train", train, "--model", model, "--quiet", .. options]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        return model;
    }

    [Theory]
    [InlineData("rbf:gamma=0.5", "plain", 1)]
    [InlineData("ntk", "leverage", 3)]
    public async Task A_random_feature_model_reports_its_settings(string kernel, string sampling, int columnsPerDraw)
    {
        string model = await Fit("rf", TestData.Csv(50, seed: 3), "--kernel", kernel, "--lambda", "0.25", "--features", "40",
            "--sampling", sampling, "--seed", "11", "--standardize", "--normalize");
        var j = await InspectJson(model);
        Assert.Equal("random-features", j.GetProperty("kind").GetString());
        Assert.Equal("regress", j.GetProperty("task").GetString());
        Assert.Equal(kernel, j.GetProperty("kernel").GetString());
        Assert.Equal(0.25, j.GetProperty("lambda").GetDouble());
        Assert.Equal(40, j.GetProperty("features").GetInt32());
        Assert.Equal(40 * columnsPerDraw, j.GetProperty("feature_columns").GetInt32());
        Assert.Equal(sampling, j.GetProperty("sampling").GetString());
        Assert.Equal(11UL, j.GetProperty("seed").GetUInt64());
        Assert.Equal(["x1", "x2", "x3"], Strings(j.GetProperty("feature_names")));
        Assert.Equal(["y"], Strings(j.GetProperty("target_names")));
        Assert.True(j.GetProperty("standardize").GetBoolean());
        Assert.False(j.GetProperty("scale_target").GetBoolean());
        Assert.True(j.GetProperty("normalize").GetBoolean());
        Assert.Equal(ProgramInfo.Version, j.GetProperty("program_version").GetString());
        Assert.Equal(new FileInfo(model).Length, j.GetProperty("file_bytes").GetInt64());
        Assert.False(j.TryGetProperty("n_train", out _));
        Assert.False(j.TryGetProperty("classes", out _));
        if (sampling == "plain")
        {
            Assert.False(j.TryGetProperty("leverage_mode", out _));
            Assert.False(j.TryGetProperty("pool", out _));
        }
        else
        {
            // --leverage auto on 50 rows ran exact scores; the default pool is max(20M, 10000).
            Assert.Equal("exact", j.GetProperty("leverage_mode").GetString());
            Assert.Equal(10000, j.GetProperty("pool").GetInt32());
        }
    }

    [Fact]
    public async Task A_leverage_model_shows_the_mode_that_ran_and_its_pool_in_text_and_json()
    {
        string model = await Fit("lev", TestData.Csv(60, seed: 9), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "20",
            "--sampling", "leverage", "--leverage", "scalable", "--pool", "3000");
        var j = await InspectJson(model);
        Assert.Equal("leverage", j.GetProperty("sampling").GetString());
        Assert.Equal("scalable", j.GetProperty("leverage_mode").GetString());
        Assert.Equal(3000, j.GetProperty("pool").GetInt32());

        var text = await InspectText(model);
        Assert.Equal(j.EnumerateObject().Select(p => p.Name).ToArray(), TextKeys(text));
        AssertTextField(text, "leverage_mode", "scalable");
        AssertTextField(text, "pool", "3000");
    }

    [Fact]
    public async Task A_leverage_model_from_before_the_mode_was_recorded_says_so()
    {
        string model = await Fit("old", TestData.Csv(40, seed: 10), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "15",
            "--sampling", "leverage");
        // The file as an older ntk wrote it: the same model without the two fields.
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(model))!.AsObject();
        Assert.Equal("exact", (string?)doc["leverage_mode"]);
        Assert.True(doc.Remove("leverage_mode") && doc.Remove("pool"));
        File.WriteAllText(model, doc.ToJsonString() + "\n");

        var j = await InspectJson(model);
        Assert.Equal("leverage", j.GetProperty("sampling").GetString());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("leverage_mode").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("pool").ValueKind);
        var text = await InspectText(model);
        AssertTextField(text, "leverage_mode", "not recorded");
        AssertTextField(text, "pool", "not recorded");
    }

    [Fact]
    public async Task An_exact_model_reports_its_training_rows_and_the_text_form_has_the_same_fields()
    {
        string model = await Fit("exact", TestData.Csv(37, seed: 4), "--kernel", "laplace:gamma=0.2", "--lambda", "0.5", "--solver", "exact",
            "--scale-target");
        var j = await InspectJson(model);
        Assert.Equal("exact-krr", j.GetProperty("kind").GetString());
        Assert.Equal("exact", j.GetProperty("formulation").GetString());
        Assert.Equal(37, j.GetProperty("n_train").GetInt32());
        Assert.False(j.TryGetProperty("features", out _));
        Assert.False(j.GetProperty("standardize").GetBoolean());
        Assert.True(j.GetProperty("scale_target").GetBoolean());

        var text = await InspectText(model);
        Assert.Equal(j.EnumerateObject().Select(p => p.Name).ToArray(), TextKeys(text));
        AssertTextField(text, "kernel", "laplace:gamma=0.2");
        AssertTextField(text, "n_train", "37");
    }

    [Fact]
    public async Task A_classifier_reports_its_label_column_and_classes()
    {
        var rng = new Random(5);
        var sb = new StringBuilder("a,b,kind\n");
        foreach (int label in Enumerable.Repeat(new[] { 7, 2, 5 }, 12).SelectMany(l => l))
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{label + rng.NextDouble():R},{rng.NextDouble():R},{label}\n"));
        string model = await Fit("clf", sb.ToString(), "--task", "classify", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "30");
        var j = await InspectJson(model);
        Assert.Equal("classifier", j.GetProperty("kind").GetString());
        Assert.Equal("classify", j.GetProperty("task").GetString());
        Assert.Equal("kind", j.GetProperty("label_column").GetString());
        Assert.Equal([2L, 5L, 7L], j.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        Assert.Equal(["a", "b"], Strings(j.GetProperty("feature_names")));
    }

    [Fact]
    public async Task A_network_reports_width_init_steps_and_kappa()
    {
        string train = _dir.Write("nn.csv", TestData.Csv(30, seed: 6)), model = _dir.PathOf("nn.json");
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--width", "24", "--lambda", "0.01", "--kappa", "0.5", "--steps", "7",
            "--seed", "3", "--lr", "0.05", "--no-reference", "--standardize", "--quiet", "--model", model);
        Assert.True(run.ExitCode == 0, run.ToString());
        var j = await InspectJson(model);
        Assert.Equal("network", j.GetProperty("kind").GetString());
        Assert.Equal(24, j.GetProperty("width").GetInt32());
        Assert.Equal("gaussian", j.GetProperty("init").GetString());
        Assert.Equal(7, j.GetProperty("steps").GetInt32());
        Assert.Equal(0.5, j.GetProperty("kappa").GetDouble());
        Assert.Equal(0.05, j.GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.01, j.GetProperty("lambda").GetDouble());
        Assert.Equal(3UL, j.GetProperty("seed").GetUInt64());
        Assert.True(j.GetProperty("standardize").GetBoolean());
        Assert.False(j.TryGetProperty("leverage_mode", out _));
    }

    [Fact]
    public async Task A_leverage_initialized_network_reports_the_mode_and_pool()
    {
        string train = _dir.Write("nnl.csv", TestData.Csv(30, seed: 7)), model = _dir.PathOf("nnl.json");
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--width", "16", "--lambda", "0.01", "--steps", "3", "--init", "leverage",
            "--pool", "2500", "--no-reference", "--quiet", "--model", model);
        Assert.True(run.ExitCode == 0, run.ToString());
        var j = await InspectJson(model);
        Assert.Equal("leverage", j.GetProperty("init").GetString());
        Assert.Equal("exact", j.GetProperty("leverage_mode").GetString()); // auto on 30 rows
        Assert.Equal(2500, j.GetProperty("pool").GetInt32());
    }

    [Fact]
    public async Task Missing_truncated_and_foreign_files_are_refused_with_one_line()
    {
        string model = await Fit("ok", TestData.Csv(20, seed: 8), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "10");
        string whole = File.ReadAllText(model);
        var cases = new (string Path, string Expected)[]
        {
            (_dir.PathOf("absent.json"), "model file not found"),
            (_dir.Write("truncated.json", whole[..(whole.Length / 2)]), "truncated or not JSON"),
            (_dir.Write("foreign.json", "{\"name\": \"something else\"}"), "not an NtkCluster model file"),
            (_dir.Write("data.csv", TestData.Csv(3)), "truncated or not JSON"),
        };
        foreach (var (path, expected) in cases)
        {
            var run = await Ntk.RunAsync("inspect", "--model", path);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Single(run.StderrLines);
            Assert.StartsWith("ntk inspect: error: ", run.Stderr, StringComparison.Ordinal);
            Assert.Contains(expected, run.Stderr);
            Assert.Contains(Path.GetFileName(path), run.Stderr);
            Assert.Empty(run.Stdout);
        }
    }
}
