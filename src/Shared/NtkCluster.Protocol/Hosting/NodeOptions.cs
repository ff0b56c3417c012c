namespace NtkCluster.Protocol.Hosting;

/// <summary>How one NtkCluster node joins the actor system: address, seeds, roles, compute threads.</summary>
public sealed record NodeOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (local mode, tests).</summary>
    public int Port { get; init; }

    /// <summary>Seed node addresses as host:port; empty means "join myself" (the first node of a cluster).</summary>
    public IReadOnlyList<string> Seeds { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();

    /// <summary>Threads of the compute dispatcher: how many blocks this node computes at once.</summary>
    public int ComputeThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Serialize every message even between actors of one process (tests of the wire format).</summary>
    public bool SerializeMessages { get; init; }

    public string LogLevel { get; init; } = "WARNING";
}
