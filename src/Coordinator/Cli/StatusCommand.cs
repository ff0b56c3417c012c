using System.Globalization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk status</c>: the nodes of a running cluster and the jobs its coordinator runs.</summary>
public static class StatusCommand
{
    public static readonly string[] ValueOptions = ClusterOptions.ValueOptions;

    public static readonly string[] Flags = ["json"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk status --cluster H:P [--json] [--tls-certificate F]
        """, """
        Asks the coordinator at H:P (the address it advertises) for the cluster's members — address, roles, compute
        threads, and status as the coordinator sees it: Joining, Up, Leaving, Exiting, Down, or Unreachable — and the
        jobs it is running (id, kind, start, latest progress). Does not join the cluster.
        exit codes: 0 the coordinator answered, 1 it could not be reached, 2 bad usage
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["cluster"] = new("H:P", "the coordinator's address, as it advertises it (required)"),
        ["json"] = new("", "one JSON object instead: workers (worker nodes Up and reachable), nodes, jobs, … (default: off)"),
    },
        "ntk status --cluster 10.0.0.5:4053");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var (cluster, tls) = ClusterOptions.Read(a);
        if (cluster is null) throw new UsageException("'ntk status' needs --cluster H:P, the coordinator's address");
        var status = await RemoteCluster.StatusAsync(cluster, TransportTls.Resolve(tls));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int workers = status.Nodes.Count(n => n.Roles.Contains(BlockSharding.WorkerRole) && n.Status == "Up" && n.Reachable);
        if (a.Has("json"))
        {
            var nodes = status.Nodes.Select(n => (object?)new JsonLine().Add("address", n.Address).Add("roles", JsonLine.Array(n.Roles))
                .Add("status", Shown(n)).Add("membership", n.Status).Add("reachable", n.Reachable).Add("threads", n.Threads > 0 ? n.Threads : (int?)null));
            var jobs = status.Jobs.Select(j => (object?)new JsonLine().Add("id", j.JobId).Add("kind", j.Kind)
                .Add("started", Started(j)).Add("seconds", Math.Max(0, now - j.StartedUnixMs) / 1000.0)
                .Add("last_progress", j.LastProgress).Add("client", j.Client));
            stdout.WriteLine(new JsonLine().Add("command", "status").Add("cluster", cluster.ToString()).Add("coordinator", status.Coordinator)
                .Add("coordinator_version", status.Version).Add("workers", workers).Add("nodes", JsonLine.Array(nodes)).Add("jobs", JsonLine.Array(jobs))
                .Add("version", ProgramInfo.Version).ToString());
            return NtkCli.Success;
        }
        stdout.WriteLine($"coordinator {status.Coordinator} (ntk {status.Version}): {workers} worker node(s) Up, {status.Jobs.Length} job(s) running");
        int width = Math.Max(30, status.Nodes.Select(n => n.Address.Length).DefaultIfEmpty(0).Max());
        stdout.WriteLine($"{"NODE".PadRight(width)}  {"ROLES",-12} {"THREADS",7}  STATUS");
        foreach (var n in status.Nodes)
            stdout.WriteLine($"{n.Address.PadRight(width)}  {string.Join(",", n.Roles),-12} {(n.Threads > 0 ? n.Threads.ToString(CultureInfo.InvariantCulture) : "-"),7}  {Shown(n)}");
        if (status.Jobs.Length > 0)
        {
            stdout.WriteLine();
            foreach (var j in status.Jobs)
                stdout.WriteLine($"job {j.JobId} ({j.Kind}) from {j.Client}, started {Started(j)} ({Math.Max(0, now - j.StartedUnixMs) / 1000.0:0} s ago)" +
                                 (j.LastProgress is null ? "" : $": {j.LastProgress}"));
        }
        return NtkCli.Success;
    }

    /// <summary>Unreachable overrides the membership status (an unreachable member is still "Up" in the gossip).</summary>
    private static string Shown(NodeStatus n) => n.Reachable ? n.Status : "Unreachable";

    private static string Started(JobStatus j) =>
        DateTimeOffset.FromUnixTimeMilliseconds(j.StartedUnixMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
