using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// The names and addresses of NtkCluster's actor systems. Their configuration is the Akka.Hosting setup in
/// <see cref="NtkHostingExtensions"/>.
/// </summary>
public static class NodeConfig
{
    public const string SystemName = "ntk";

    /// <summary>The dispatcher that runs block computations and solves, off the ThreadPool that remoting and
    /// cluster heartbeats use, so heavy kernels never get a node marked unreachable.</summary>
    public const string ComputeDispatcher = "ntk-compute";

    /// <summary>The actor system name of <c>ntk</c> programs that talk to a cluster without joining it.</summary>
    public const string ClientSystemName = "ntk-client";

    /// <summary>The coordinator's gateway for clients, at a fixed path (<c>/user/gateway</c>).</summary>
    public const string GatewayName = "gateway";

    /// <summary>The largest frame the transport accepts. A block message travels whole when its payload is at most
    /// <see cref="Serialization.ChunkedTransfer.DefaultChunkBytes"/> (1 MiB) and as 1 MiB chunks, a bounded number in
    /// flight, above that; client transfers are chunks of at most <see cref="Serialization.ChunkedTransfer.ClientChunkBytes"/>. A few
    /// MiB leaves room for headers without letting one message monopolise the connection.</summary>
    public const int MaximumFrameSize = 4 << 20;

    /// <summary>
    /// A worker advertises its compute threads as an extra role, <c>threads-N</c> (Akka.NET 1.5 members carry no other
    /// metadata), so the coordinator can size a job's window to the cluster and <c>ntk status</c> can show them.
    /// </summary>
    public const string ThreadsRolePrefix = "threads-";

    public static string ThreadsRole(int threads) => ThreadsRolePrefix + Math.Max(1, threads).ToString(CultureInfo.InvariantCulture);

    public static bool IsThreadsRole(string role) => role.StartsWith(ThreadsRolePrefix, StringComparison.Ordinal);

    /// <summary>The threads a member advertises, 0 when it does not.</summary>
    public static int ThreadsOf(IEnumerable<string> roles)
    {
        foreach (var role in roles)
            if (IsThreadsRole(role) && int.TryParse(role.AsSpan(ThreadsRolePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                return n;
        return 0;
    }

    /// <summary>Akka's address scheme: <c>akka.tcp</c>, or <c>akka.ssl.tcp</c> when the transport uses TLS.</summary>
    public static string Protocol(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>The Akka address of a cluster node's system at host:port.</summary>
    public static string NodeAddress(string hostPort, bool tls) => $"{Protocol(tls)}://{SystemName}@{hostPort}";

    /// <summary>The path of the coordinator's gateway at host:port.</summary>
    public static string GatewayPath(string hostPort, bool tls) => $"{NodeAddress(hostPort, tls)}/user/{GatewayName}";

    /// <summary>
    /// The configuration (HOCON) that a node's Akka.Hosting setup (<see cref="NtkHostingExtensions.WithNtkNode"/>)
    /// composes, for inspection. Serializer bindings, the actor-ref provider and the TLS certificate are not in it:
    /// Akka.Hosting hands those to the actor system as setups. Nodes are started through <see cref="NodeHost"/>.
    /// </summary>
    public static Config Build(NodeOptions o)
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), SystemName).WithNtkNode(o);
        return builder.Configuration.HasValue ? builder.Configuration.Value : Config.Empty;
    }

    /// <summary>
    /// Creates the actor system of a client (<c>ntk fit --cluster</c>, <c>ntk status</c>): remoting only (it never
    /// joins the cluster), a port chosen by the OS, the same serializers as the nodes, strict, and no logging: a
    /// client's failures are its own one-line messages (with NTK_DEBUG=1, Akka's warnings too). Terminating the system
    /// disposes its host.
    /// </summary>
    /// <param name="host">The address the client binds and advertises; the coordinator answers over the client's
    /// own connection (passive connections), but the name must still identify this client.</param>
    public static ActorSystem CreateClientSystem(string host, TransportTls? tls)
    {
        var level = Environment.GetEnvironmentVariable("NTK_DEBUG") == "1" ? LogLevel.Warning : LogLevel.None;
        var client = NodeHost.Create(ClientSystemName, level, handleSignals: false, akka => akka
            .WithNtkLogging(level)
            .WithNtkSerialization()
            .WithNtkTransport(host, publicHost: null, port: 0, tls)
            .WithStrictSerialization());
        var system = client.ActorSystem();
        system.WhenTerminated.ContinueWith(_ => client.Dispose(), TaskScheduler.Default);
        return system;
    }
}
