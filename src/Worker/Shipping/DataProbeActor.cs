using Akka.Actor;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Worker.Shipping;

/// <summary>
/// A worker node's data probe, at <c>/user/ntk-data-probe</c>: tells the coordinator how this node sees a dataset's
/// files — each one's size and content fingerprint (<see cref="FileFingerprint"/>, at most 1 MiB read per file), or
/// why it cannot be read here — so a job can tell, before it starts, whether the workers share the client's files.
/// </summary>
public sealed class DataProbeActor : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = ShippingPaths.DataProbe;

    public DataProbeActor()
    {
        string worker = WorkerNames.Of(Context.System);
        Receive<ProbeFiles>(m =>
        {
            // Reading files blocks: off the actor's thread, answered when done.
            Task.Run(() => new FilesProbed(m.RequestId, worker, m.Paths.Select(Probe).ToArray())).PipeTo(Sender, Self);
        });
        // ntk predict --out-delivery: whether this node can write the parts where the client will find them.
        Receive<ProbeOutput>(m => Task.Run(() => new OutputProbed(m.RequestId, worker, ProbeWritable(m.Directory))).PipeTo(Sender, Self));
    }

    /// <summary>
    /// Null when this node can create (and remove) a file in <paramref name="directory"/>, else why not. The client
    /// made the directory with a random name just before asking, so a node that sees it shares the client's file system.
    /// </summary>
    public static string? ProbeWritable(string directory)
    {
        if (!Directory.Exists(directory)) return $"there is no directory {directory} there";
        string probe = Path.Combine(directory, $".ntk-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"it cannot create a file in {directory} ({e.Message})";
        }
    }

    /// <summary>One file as this node sees it.</summary>
    public static ProbedFile Probe(string path)
    {
        try
        {
            var fingerprint = FileFingerprint.Of(path);
            return new ProbedFile(path, fingerprint.Size, fingerprint.SampleHash, null);
        }
        catch (InvalidInputException e)
        {
            return new ProbedFile(path, 0, "", e.Message);
        }
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new DataProbeActor());
}
