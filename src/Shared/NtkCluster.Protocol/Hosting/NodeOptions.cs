using Microsoft.Extensions.Logging;

namespace NtkCluster.Protocol.Hosting;

/// <summary>How one NtkCluster node joins the actor system: address, seeds, roles, compute threads, transport security.</summary>
public sealed record NodeOptions
{
    /// <summary>The address the node binds (listens on).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The address other nodes reach this one at, when it differs from <see cref="Host"/> (NAT, containers,
    /// binding 0.0.0.0). Akka only accepts messages addressed to exactly this name, so it must be the same everywhere.</summary>
    public string? PublicHost { get; init; }

    /// <summary>0 picks a free port (local mode, tests).</summary>
    public int Port { get; init; }

    /// <summary>Seed node addresses as host:port; empty means the node joins itself once started (local mode).</summary>
    public IReadOnlyList<string> Seeds { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();

    /// <summary>Threads of the compute dispatcher: how many blocks this node computes at once.</summary>
    public int ComputeThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Serialize every message even between actors of one process (tests of the wire format).</summary>
    public bool SerializeMessages { get; init; }

    /// <summary>Akka's log level; its events go to stderr through Microsoft.Extensions.Logging
    /// (<see cref="StderrLoggerProvider"/>). <see cref="LogLevel.None"/> turns them off.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>TLS on the cluster transport; null for plain TCP. Every node and client of a cluster must agree.</summary>
    public TransportTls? Tls { get; init; }

    /// <summary>The host this node advertises: <see cref="PublicHost"/>, else <see cref="Host"/>.</summary>
    public string AdvertisedHost => string.IsNullOrEmpty(PublicHost) ? Host : PublicHost;
}
