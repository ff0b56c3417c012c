using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// One valid model, fitted once per test class by the real <c>ntk fit</c> on features x1,x2,x3 and target y, for
/// the tests that need a model file to feed to <c>ntk predict</c>.
/// </summary>
public sealed class TrainedModelFixture : IAsyncLifetime
{
    private readonly CliTempDirectory _dir = new();

    public string ModelPath => _dir.PathOf("model.json");

    public string TrainPath => _dir.PathOf("train.csv");

    public async Task InitializeAsync()
    {
        _dir.Write("train.csv", TestData.Csv(40, seed: 7));
        var run = await Ntk.RunAsync("fit", "--train", TrainPath, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "20", "--workers", "2", "--model", ModelPath);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(ModelPath), run.ToString());
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
