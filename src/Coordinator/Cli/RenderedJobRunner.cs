using NtkCluster.Coordinator.Hosting;
using NtkCluster.Protocol.Client;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// A command's job runner with its <see cref="ProgressRenderer"/>: the runner reports to the renderer, and after
/// every job the renderer finishes (clears its bar or prints the stage's last line) before the command prints
/// anything else; disposing stops both.
/// </summary>
public sealed class RenderedJobRunner(IJobRunner runner, ProgressRenderer renderer) : IJobRunner
{
    public int Window => runner.Window;

    public ProgressRenderer Renderer => renderer;

    public async Task<T> RunAsync<T>(object submission)
    {
        try
        {
            return await runner.RunAsync<T>(submission);
        }
        finally
        {
            renderer.Finish();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await runner.DisposeAsync();
        }
        finally
        {
            await renderer.DisposeAsync();
        }
    }
}
