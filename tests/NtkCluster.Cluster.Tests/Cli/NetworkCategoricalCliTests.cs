using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Two-layer network models on data with text columns through the real command line: <c>train-nn --model</c> and
/// <c>--checkpoint</c> store the one-hot encoding, <c>predict</c> and <c>inspect</c> apply and show it as for a kernel
/// model, and the reference is independent of the encoder: the same network trained on the columns one-hot encoded by
/// hand (0/1 numeric columns named <c>column=category</c>, categories in ordinal order, where the text column stood).
/// </summary>
public sealed class NetworkCategoricalCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", name);

    private static readonly string[] Shape = ["--width", "48", "--lambda", "0.01", "--workers", "2", "--quiet"];

    private static readonly string[] Network = [.. Shape, "--steps", "30"];

    private async Task<CliRun> Run(params string[] args)
    {
        var run = await Ntk.RunAsync(args);
        output.WriteLine(run.ToString());
        return run;
    }

    [Fact]
    public async Task Predict_with_the_network_model_on_the_held_out_rows_reproduces_train_nn_out_to_the_byte()
    {
        string model = _dir.PathOf("net.json"), outPath = _dir.PathOf("out.csv"), predicted = _dir.PathOf("predicted.csv");
        var train = await Run(["train-nn", "--train", Fixture("cars-train.csv"), "--test-fraction", "0.3", "--split-seed", "4", "--standardize",
            "--scale-target", .. Network, "--model", model, "--out", outPath]);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("\"categorical\":[{\"name\":\"body\",\"codes\":false,\"categories\":[", File.ReadAllText(model));

        // The held-out rows as a file of their own: the split's rule on the file's row indices.
        string[] lines = File.ReadAllLines(Fixture("cars-train.csv"));
        int n = lines.Length - 1;
        var indices = new Dataset(["i"], Matrix<double>.Build.Dense(n, 1, (i, _) => i), ["y"], Matrix<double>.Build.Dense(n, 1));
        var held = TrainTestSplit.Split(indices, 0.3, 4).Test.X.Column(0).Select(i => lines[(int)i + 1]);
        string test = _dir.Write("held-out.csv", string.Join("\n", held.Prepend(lines[0])) + "\n");

        var predict = await Run("predict", "--model", model, "--data", test, "--out", predicted);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(File.ReadAllBytes(outPath), File.ReadAllBytes(predicted));
        Assert.Equal(18 + 1, File.ReadAllLines(predicted).Length); // round(0.3 · 60) held-out rows and the header
    }

    [Fact]
    public async Task A_network_on_text_columns_predicts_as_one_trained_on_the_columns_one_hot_encoded_by_hand()
    {
        string byHandTrain = _dir.Write("train-by-hand.csv", OneHotByHand(Fixture("cars-train.csv"), Fixture("cars-train.csv")));
        string byHandTest = _dir.Write("test-by-hand.csv", OneHotByHand(Fixture("cars-test.csv"), Fixture("cars-train.csv")));
        // No --standardize: it leaves the encoder's one-hot columns 0/1 but would scale the hand-made ones.
        string[] settings = ["--scale-target", "--normalize", .. Network];
        var encoded = await Run(["train-nn", "--train", Fixture("cars-train.csv"), .. settings, "--model", _dir.PathOf("text.json"), "--out", _dir.PathOf("text-train.csv")]);
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        var byHand = await Run(["train-nn", "--train", byHandTrain, .. settings, "--model", _dir.PathOf("hand.json"), "--out", _dir.PathOf("hand-train.csv")]);
        Assert.True(byHand.ExitCode == 0, byHand.ToString());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("hand-train.csv")), File.ReadAllBytes(_dir.PathOf("text-train.csv")));

        // New rows: the test file's unseen 'coupe' is all zeros in the hand-made columns, as the stored encoding makes it.
        var fromText = await Run("predict", "--model", _dir.PathOf("text.json"), "--data", Fixture("cars-test.csv"), "--out", _dir.PathOf("text-test.csv"));
        Assert.True(fromText.ExitCode == 0, fromText.ToString());
        Assert.Contains(fromText.StderrLines, l => l.Contains("1 row(s) have a category not seen in training, encoded as all zeros: body (1)", StringComparison.Ordinal));
        var fromHand = await Run("predict", "--model", _dir.PathOf("hand.json"), "--data", byHandTest, "--out", _dir.PathOf("hand-test.csv"));
        Assert.True(fromHand.ExitCode == 0, fromHand.ToString());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("hand-test.csv")), File.ReadAllBytes(_dir.PathOf("text-test.csv")));
        Assert.Equal(21, File.ReadAllLines(_dir.PathOf("text-test.csv")).Length);

        var inspect = await Run("inspect", "--model", _dir.PathOf("text.json"));
        Assert.Contains(inspect.StdoutLines, l => l.StartsWith("categorical:", StringComparison.Ordinal) &&
                                                  l.EndsWith("body: hatchback|sedan|suv|van|wagon, fuel: diesel|electric|petrol", StringComparison.Ordinal));
        var refused = await Run("predict", "--model", _dir.PathOf("text.json"), "--data", Fixture("cars-test.csv"), "--out", _dir.PathOf("never.csv"),
            "--unknown-category", "error");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Single(refused.StderrLines);
        Assert.Contains("column 'body' has category 'coupe', not seen in training", refused.Stderr);
        Assert.False(File.Exists(_dir.PathOf("never.csv")));
    }

    [Fact]
    public async Task A_checkpoint_keeps_the_encoding_resumes_bitwise_and_refuses_data_encoded_otherwise_in_one_line()
    {
        string data = _dir.Write("kinds.csv", KindsCsv(lastKind: "c"));
        string other = _dir.Write("kinds-other.csv", KindsCsv(lastKind: "d"));
        string[] common = ["train-nn", "--train", data, "--standardize", .. Shape, "--checkpoint-every", "4"];
        var full = await Run([.. common, "--steps", "20", "--model", _dir.PathOf("full.json")]);
        Assert.True(full.ExitCode == 0, full.ToString());
        var half = await Run([.. common, "--steps", "10", "--checkpoint", _dir.PathOf("half.ckpt")]);
        Assert.True(half.ExitCode == 0, half.ToString());
        Assert.Contains("{\"name\":\"kind\",\"codes\":false,\"categories\":[\"a\",\"b\",\"c\"]}", File.ReadAllText(_dir.PathOf("half.ckpt")));

        var resumed = await Run([.. common, "--steps", "20", "--resume", _dir.PathOf("half.ckpt"), "--model", _dir.PathOf("resumed.json")]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("full.json")), File.ReadAllBytes(_dir.PathOf("resumed.json")));

        string[] otherRun = ["train-nn", "--train", other, "--standardize", .. Shape, "--checkpoint-every", "4"];
        var refused = await Run([.. otherRun, "--steps", "20", "--resume", _dir.PathOf("half.ckpt"), "--model", _dir.PathOf("never.json")]);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Single(refused.StderrLines);
        Assert.Contains("half.ckpt: the checkpoint's data has categorical column 'kind' as a|b|c, this run's has categorical column 'kind' as a|b|c|d",
            refused.Stderr);
        Assert.False(File.Exists(_dir.PathOf("never.json")));
    }

    [Fact]
    public async Task A_network_on_a_partitioned_dataset_stores_the_encoding_a_single_file_gives()
    {
        string parts = Directory.CreateDirectory(_dir.PathOf("parts")).FullName;
        string[] lines = File.ReadAllLines(Fixture("cars-train.csv"));
        for (int p = 0; p < 3; p++)
            File.WriteAllLines(Path.Combine(parts, $"part-{p}.csv"), lines.Skip(1).Where((_, i) => i % 3 == p).Prepend(lines[0]));
        var run = await Run(["train-nn", "--train", parts, "--standardize", .. Network, "--model", _dir.PathOf("parts.json")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var single = await Run(["train-nn", "--train", Fixture("cars-train.csv"), "--standardize", .. Network, "--model", _dir.PathOf("file.json")]);
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.Equal(ModelCodec.ParseJson(File.ReadAllText(_dir.PathOf("file.json")))!.Preprocessing!.Categorical!.Select(Describe),
            ModelCodec.ParseJson(File.ReadAllText(_dir.PathOf("parts.json")))!.Preprocessing!.Categorical!.Select(Describe));
        var predict = await Run("predict", "--model", _dir.PathOf("parts.json"), "--data", Fixture("cars-test.csv"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(21, predict.StdoutLines.Length);

        static string Describe(CategoricalColumn c) => $"{c.Name}:{c.Codes}:{string.Join("|", c.Categories)}:{c.Fill}";
    }

    /// <summary>x, a text column 'kind' of a, b and c (the last row's kind given), y: 24 rows.</summary>
    private static string KindsCsv(string lastKind)
    {
        var sb = new StringBuilder("x,kind,y\n");
        for (int i = 0; i < 24; i++)
        {
            string kind = i == 23 ? lastKind : "abc"[i % 3].ToString();
            sb.Append(CultureInfo.InvariantCulture, $"{0.25 * i - 3},{kind},{Math.Sin(0.5 * i) + (i % 3)}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// <paramref name="path"/> with each text column replaced, where it stood, by one 0/1 column per category of
    /// <paramref name="trainingPath"/>'s column (ordinal order, named <c>column=category</c>); numeric cells kept as written.
    /// </summary>
    private static string OneHotByHand(string path, string trainingPath)
    {
        string[][] Rows(string p) => File.ReadAllLines(p).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var training = Rows(trainingPath);
        var rows = Rows(path);
        string[] header = training[0];
        var categories = new SortedSet<string>?[header.Length];
        for (int c = 0; c < header.Length; c++)
            if (training.Skip(1).Any(r => !double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                categories[c] = new SortedSet<string>(training.Skip(1).Select(r => r[c]), StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.AppendJoin(",", rows[0].SelectMany((name, c) => categories[c] is { } k ? k.Select(v => $"{name}={v}") : [name])).Append('\n');
        foreach (var row in rows.Skip(1))
            sb.AppendJoin(",", row.SelectMany((cell, c) => categories[c] is { } k ? k.Select(v => v == cell ? "1" : "0") : [cell])).Append('\n');
        return sb.ToString();
    }
}
