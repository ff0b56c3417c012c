using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Exact KRR through the whole program — CSV reading, preprocessing, kernel rows computed by sharded block entities,
/// the solve, the model file, <c>ntk predict</c> — against scikit-learn's KernelRidge and an independent numpy NTK
/// (tests/NtkCluster.Numerics.Tests/Fixtures/make_fixtures.py) on rows of UCI Letter Recognition.
/// </summary>
public sealed class FixtureEndToEndTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public FixtureEndToEndTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static TheoryData<string, string, string, string[]> Cases => new()
    {
        { "rbf-raw", "letters", "rbf:gamma=0.02", ["--lambda", "0.5"] },
        { "laplace-raw", "letters", "laplace:gamma=0.05", ["--lambda", "0.5"] },
        { "rbf-standardized", "letters", "rbf:gamma=0.05", ["--lambda", "0.1", "--standardize"] },
        { "ntk-normalized", "letters", "ntk", ["--lambda", "0.1", "--standardize", "--normalize"] },
        { "rbf-two-targets", "letters-2t", "rbf:gamma=0.02", ["--lambda", "0.5", "--target", "letter,x.box"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Exact_fit_then_predict_matches_the_reference_within_1e_6_relative(string fixture, string data, string kernel, string[] extra)
    {
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("predictions.csv");
        var fit = await Ntk.RunAsync([
            "fit", "--train", Fixture($"{data.Replace("letters", "letters-train")}.csv"), "--kernel", kernel, "--solver", "exact",
            "--model", model, "--workers", "2", .. extra]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture($"{data.Replace("letters", "letters-test")}.csv"), "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());

        var expected = ReadCsv(Fixture($"expected-{fixture}.csv"));
        var actual = ReadCsv(predictions);
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxExpected = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(expected[i][j] - actual[i][j]));
                maxExpected = Math.Max(maxExpected, Math.Abs(expected[i][j]));
            }
        }
        double relative = maxDiff / maxExpected;
        _output.WriteLine($"{fixture}: max |diff| / max |expected| = {relative:E2}");
        Assert.True(relative <= 1e-6, $"{fixture}: relative error {relative:E2}");
    }

    private static double[][] ReadCsv(string path) =>
        File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
}
