using NtkCluster.Coordinator.Hosting;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>--cluster H:P</c> and <c>--tls-certificate PATH</c>: run a command's job on a running multi-node cluster
/// instead of in this process.
/// </summary>
public static class ClusterOptions
{
    public static readonly string[] ValueOptions = ["cluster", "tls-certificate"];

    /// <summary>Reads both options; a malformed H:P is a usage error (exit code 2).</summary>
    public static (ClusterAddress? Cluster, string? TlsCertificate) Read(ParsedOptions a)
    {
        var text = a.Text("cluster");
        string? tls = a.Text("tls-certificate");
        if (text is null)
        {
            if (tls is not null) throw new UsageException("--tls-certificate goes with --cluster (local mode uses no network)");
            return (null, null);
        }
        try
        {
            return (ClusterAddress.Parse(text, "--cluster"), tls);
        }
        catch (NtkCluster.Numerics.Errors.InvalidInputException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// The job runner of a command: this process, or the cluster's coordinator — either way reporting its jobs'
    /// progress to one <see cref="ProgressRenderer"/> on <paramref name="stderr"/>.
    /// </summary>
    /// <param name="quiet"><c>--quiet</c>: no progress, warnings only.</param>
    /// <param name="notesInBar">See <see cref="ProgressRenderer"/>: for a command that prints results between its jobs.</param>
    /// <param name="verbose"><c>--verbose</c>: the jobs' notes, and every stage's first line too (see <see cref="ProgressRenderer"/>).</param>
    /// <param name="inProcess">Local mode only: run the jobs <see cref="InProcessJobRunner"/> serves without an actor system
    /// (the others still start a local cluster when submitted). <c>NTK_LOCAL_CLUSTER=1</c> turns it off, to compare.</param>
    public static async Task<IJobRunner> StartRunnerAsync(string command, ClusterAddress? cluster, string? tlsCertificate, int workers,
        bool workersGiven, double? blockTimeoutSeconds, TextWriter stderr, bool quiet, bool notesInBar = false,
        NtkCluster.Numerics.Partitions.RowDelivery rows = NtkCluster.Numerics.Partitions.RowDelivery.Auto, bool verbose = false, bool inProcess = false)
    {
        var renderer = new ProgressRenderer(command, stderr, ProgressRenderer.ModeFor(quiet, stderr), notesInBar: notesInBar, verbose: verbose);
        try
        {
            IJobRunner runner;
            if (cluster is null && inProcess && Environment.GetEnvironmentVariable("NTK_LOCAL_CLUSTER") != "1")
                runner = new InProcessJobRunner(workers, renderer.Report, blockTimeoutSeconds is double t ? TimeSpan.FromSeconds(t) : null);
            else if (cluster is null)
                runner = await LocalCluster.StartAsync(workers, renderer.Report, blockTimeoutSeconds is double s ? TimeSpan.FromSeconds(s) : null);
            else
                runner = await RemoteCluster.ConnectAsync(cluster, TransportTls.Resolve(tlsCertificate), renderer.Report, workersGiven ? workers : 0,
                    blockTimeoutSeconds, rows);
            renderer.Start();
            return new RenderedJobRunner(runner, renderer);
        }
        catch
        {
            await renderer.DisposeAsync();
            throw;
        }
    }
}
