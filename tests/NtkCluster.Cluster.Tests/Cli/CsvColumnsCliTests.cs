using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>--columns</c> on a CSV file with a text column and gaps in it, as a newcomer's own data has: the columns left out
/// are not read, so fit (loaded and streamed) and predict give exactly what they give on the file without them.
/// </summary>
public sealed class CsvColumnsCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>TestData.Csv's rows with a 'city' column of text (empty in every third row) inserted before the target.</summary>
    private string WithCity(string name, string numeric)
    {
        var lines = numeric.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Skip(1).Select((l, i) =>
        {
            int cut = l.LastIndexOf(',');
            return $"{l[..cut]},{(i % 3 == 0 ? "" : i % 2 == 0 ? "Bern" : "Zurich")}{l[cut..]}";
        });
        return _dir.Write(name, string.Join('\n', rows.Prepend("x1,x2,x3,city,y")) + "\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_text_column_left_out_by_columns_does_not_stop_fit_or_predict(bool stream)
    {
        string numeric = TestData.Csv(300, seed: 4);
        string plain = _dir.Write("plain.csv", numeric), city = WithCity("city.csv", numeric);
        string[] how = stream ? ["--stream"] : [];
        string[] Fit(string train, string model) =>
            ["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "40", "--standardize", "--model", model, "--workers", "1", .. how];

        var refused = await Ntk.RunAsync(Fit(city, _dir.PathOf("refused.json")));
        Assert.Equal(2, refused.ExitCode);
        // Loaded whole, the text column is a categorical feature whose empty cells are missing values, refused without
        // --missing; streamed, categorical features cannot be encoded at all.
        Assert.Contains(stream ? "categorical features (text columns, --categorical) are one-hot encoded in a file loaded whole"
            : "city.csv: missing values in city (100): use --missing", refused.Stderr);

        var reference = await Ntk.RunAsync(Fit(plain, _dir.PathOf("plain.json")));
        var chosen = await Ntk.RunAsync([.. Fit(city, _dir.PathOf("city.json")), "--columns", "x1,x2,x3,y"]);
        output.WriteLine(chosen.ToString());
        Assert.True(reference.ExitCode == 0, reference.ToString());
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        // The same model file, byte for byte: the left-out column changed nothing.
        Assert.Equal(File.ReadAllText(_dir.PathOf("plain.json")), File.ReadAllText(_dir.PathOf("city.json")));

        var predicted = await Ntk.RunAsync("predict", "--model", _dir.PathOf("city.json"), "--data", city, "--columns", "x1,x2,x3", "--out", _dir.PathOf("p.csv"));
        var expected = await Ntk.RunAsync("predict", "--model", _dir.PathOf("plain.json"), "--data", plain, "--out", _dir.PathOf("q.csv"));
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        Assert.True(expected.ExitCode == 0, expected.ToString());
        Assert.Equal(File.ReadAllText(_dir.PathOf("q.csv")), File.ReadAllText(_dir.PathOf("p.csv")));
    }
}
