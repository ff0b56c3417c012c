using NtkCluster.Coordinator.Hosting;
using NtkCluster.Protocol.Hosting;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>--cluster H:P</c> and <c>--tls-certificate PATH</c>: run a command's job on a running multi-node cluster
/// instead of in this process.
/// </summary>
public static class ClusterOptions
{
    public static readonly string[] ValueOptions = ["cluster", "tls-certificate"];

    public const string HelpText = """
          --cluster H:P       run the job on the running cluster whose coordinator ('ntk coordinator') is at H:P, which
                              must be the address it advertises; this program reads the data and ships it (the nodes need
                              no shared files), shows the job's progress, and writes the results here. Without it, the
                              job runs in this process. --workers then means blocks in flight (default: the workers'
                              threads added up)
          --tls-certificate F the cluster's TLS certificate (.pfx; or NTK_TLS_CERTIFICATE, password in NTK_TLS_PASSWORD)
        """;

    /// <summary>Reads both options; a malformed H:P is a usage error (exit code 2).</summary>
    public static (ClusterAddress? Cluster, string? TlsCertificate) Read(CliArguments a)
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

    /// <summary>The job runner of a command: this process, or the cluster's coordinator.</summary>
    public static async Task<IJobRunner> StartRunnerAsync(string command, ClusterAddress? cluster, string? tlsCertificate, int workers,
        bool workersGiven, double? blockTimeoutSeconds, TextWriter stderr)
    {
        void Progress(string line) => stderr.WriteLine($"ntk {command}: {line}");
        if (cluster is null)
            return await LocalCluster.StartAsync(workers, Progress, blockTimeoutSeconds is double s ? TimeSpan.FromSeconds(s) : null);
        var tls = TransportTls.Resolve(tlsCertificate);
        return await RemoteCluster.ConnectAsync(cluster, tls, Progress, workersGiven ? workers : 0, blockTimeoutSeconds);
    }
}
