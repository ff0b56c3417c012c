using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Execution;
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

    /// <summary>
    /// Counts a command's own stage over many jobs ("fold scores 3/125") on <paramref name="runner"/>'s renderer, if it
    /// has one (<see cref="ProgressRenderer.ReportOverall"/>). The count that reaches the total also finishes the
    /// renderer, so that its line is out (or the bar cleared) before the command prints its results.
    /// </summary>
    public static void ReportOverall(IJobRunner runner, ProgressUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (runner is not RenderedJobRunner rendered) return;
        rendered.Renderer.ReportOverall(update);
        if (update.IsComplete) rendered.Renderer.Finish();
    }

    /// <summary>A note of the command's own on <paramref name="runner"/>'s renderer, shown as the jobs' notes are (with --verbose).</summary>
    public static void Note(IJobRunner runner, string text)
    {
        if (runner is RenderedJobRunner rendered) rendered.Renderer.Report(ProgressUpdate.Note(text));
    }

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
