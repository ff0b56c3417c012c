using System.Text.Json;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// The same jobs as real processes on the native OpenBLAS backend and on MathNet's managed one (NTK_BACKEND), so
/// the suite covers both backends without switching the process-wide backend under tests that run in parallel.
/// </summary>
public sealed class BackendProcessTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static TheoryData<string, string[]> Jobs => new()
    {
        { "exact-ntk", ["--kernel", "ntk", "--lambda", "0.1", "--solver", "exact", "--standardize", "--normalize"] },
        { "primal-rbf", ["--kernel", "rbf:gamma=0.05", "--lambda", "0.1", "--features", "40", "--standardize"] },
        { "dual-laplace", ["--kernel", "laplace:gamma=0.05", "--lambda", "0.1", "--features", "400", "--standardize"] },
        { "leverage-rbf", ["--kernel", "rbf:gamma=0.05", "--lambda", "0.1", "--features", "60", "--sampling", "leverage", "--standardize"] },
    };

    private async Task<(double[][] Predictions, JsonElement Json)> FitAndPredict(string backend, string name, string[] options)
    {
        var env = new Dictionary<string, string> { ["NTK_BACKEND"] = backend };
        string model = _dir.PathOf($"{name}-{backend}.json"), predictions = _dir.PathOf($"{name}-{backend}.csv");
        var fit = await NtkProcess.RunAsync(_dir.Path, env, ["fit", "--train", Fixture("letters-train.csv"), "--model", model, "--json", .. options]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.DoesNotContain("notice", fit.Stderr);
        var predict = await NtkProcess.RunAsync(_dir.Path, env, "predict", "--model", model, "--data", Fixture("letters-test.csv"), "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var doc = JsonDocument.Parse(CliRun.Lines(fit.Stdout)[^1]);
        return (TestData.Parse(predictions).Rows, doc.RootElement.Clone());
    }

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task Native_and_managed_backends_give_the_same_model_within_1e_9(string name, string[] options)
    {
        var (native, nativeJson) = await FitAndPredict("openblas", name, options);
        var (managed, managedJson) = await FitAndPredict("managed", name, options);
        Assert.Equal("openblas", nativeJson.GetProperty("backend").GetString());
        Assert.Equal("managed", managedJson.GetProperty("backend").GetString());
        Assert.Equal(managed.Length, native.Length);
        double worst = 0, scale = managed.SelectMany(r => r).Max(Math.Abs);
        for (int i = 0; i < managed.Length; i++)
            for (int j = 0; j < managed[i].Length; j++)
                worst = Math.Max(worst, Math.Abs(managed[i][j] - native[i][j]));
        Assert.True(worst / scale <= 1e-9, $"{name}: backends differ by {worst / scale:E2} relative");
    }

    [Fact]
    public async Task Without_OpenBLAS_everything_runs_on_the_managed_backend_with_one_notice()
    {
        var missing = new Dictionary<string, string> { ["NTK_OPENBLAS_LIBRARY"] = "libntk-no-such-blas.so.0" };
        var run = await NtkProcess.RunAsync(_dir.Path, missing,
            "fit", "--train", Fixture("letters-train.csv"), "--kernel", "rbf:gamma=0.05", "--lambda", "0.1", "--features", "30", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var notices = CliRun.Lines(run.Stderr).Where(l => l.Contains("notice", StringComparison.Ordinal)).ToArray();
        Assert.Single(notices);
        Assert.Contains("apt-get install libopenblas0", notices[0]);
        using var doc = JsonDocument.Parse(CliRun.Lines(run.Stdout)[^1]);
        Assert.Equal("managed", doc.RootElement.GetProperty("backend").GetString());

        missing["NTK_BACKEND"] = "openblas";
        var forced = await NtkProcess.RunAsync(_dir.Path, missing,
            "fit", "--train", Fixture("letters-train.csv"), "--kernel", "rbf:gamma=0.05", "--lambda", "0.1", "--features", "30");
        Assert.True(forced.ExitCode == 2, forced.ToString());
        Assert.Single(CliRun.Lines(forced.Stderr));
        Assert.Contains("libntk-no-such-blas.so.0", forced.Stderr);
    }
}
