using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// How a partitioned job's rows reach the workers (<c>--rows</c>), decided before the job starts: every worker node's
/// data probe is asked for the size and content fingerprint of each of the dataset's files as that node sees them, and
/// compared with the client's (carried by the partitions' descriptors).
/// </summary>
public static class DataPlaneCheck
{
    /// <summary>The decision: ship or not, the note that says which and why, or the one-line failure of <c>--rows shared</c>.</summary>
    public sealed record Decision(bool Ship, string Note, string? Failure);

    public static async Task<Decision> DecideAsync(ActorSystem system, IReadOnlyList<Member> workers, IReadOnlyList<DataPartition> partitions,
        RowDelivery rows)
    {
        if (rows == RowDelivery.Shipped) return new Decision(true, "rows: shipped by the client to the workers' caches (--rows shipped)", null);
        var files = partitions.GroupBy(p => p.Path, StringComparer.Ordinal).Select(g => g.First()).ToList();
        string[] paths = files.Select(f => f.Path).ToArray();
        var answers = await DataProbes.AskAllAsync<FilesProbed>(system, workers, new ProbeFiles(Guid.NewGuid().ToString("N"), paths), "data probe");
        string? problem = answers.Select(a => a.Silence ?? FirstDifference(a.Worker, files, a.Reply!)).FirstOrDefault(p => p is not null);
        if (problem is null)
            return new Decision(false, string.Create(CultureInfo.InvariantCulture,
                $"rows: read by the workers from the shared path (all {files.Count} file(s) have the client's size and fingerprint on all {workers.Count} worker(s))"), null);
        return rows == RowDelivery.Shared
            ? new Decision(false, "", $"--rows shared: {problem}")
            : new Decision(true, $"rows: shipped by the client to the workers' caches, because {problem}", null);
    }

    /// <summary>The first file a worker cannot read or sees differently, as a clause naming the worker and the path; null if none.</summary>
    public static string? FirstDifference(string worker, IReadOnlyList<DataPartition> files, FilesProbed probed)
    {
        for (int i = 0; i < files.Count; i++)
        {
            var expected = files[i].Fingerprint;
            var seen = i < probed.Files.Length ? probed.Files[i] : null;
            if (seen is null || seen.Path != files[i].Path) return $"worker {worker} did not report {files[i].Path}";
            if (seen.Error is { } error) return $"worker {worker} cannot read {files[i].Path} ({error})";
            if (seen.Size != expected.Size || seen.SampleHash != expected.SampleHash)
                return string.Create(CultureInfo.InvariantCulture,
                    $"worker {worker} sees a different file at {files[i].Path} ({seen.Size} bytes, fingerprint {seen.SampleHash}; the client's: {expected.Size} bytes, {expected.SampleHash})");
        }
        return null;
    }
}
