using System.Globalization;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// The HOCON of an NtkCluster node. Every setting that differs from Akka's default is here, with its reason.
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
    public const string MaximumFrameSize = "4MiB";

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

    /// <summary>Creates a node's actor system: <see cref="Build"/>'s configuration and, with TLS, its certificate setup.</summary>
    public static ActorSystem CreateSystem(NodeOptions o) => Create(SystemName, Build(o), o.Tls);

    /// <summary>Creates the actor system of a client (<c>ntk fit --cluster</c>, <c>ntk status</c>).</summary>
    /// <param name="host">The address the client binds and advertises; the coordinator answers over the client's
    /// own connection (passive connections), but the name must still identify this client.</param>
    public static ActorSystem CreateClientSystem(string host, TransportTls? tls) => Create(ClientSystemName, BuildClient(host, tls), tls);

    private static ActorSystem Create(string name, Config config, TransportTls? tls)
    {
        var setup = BootstrapSetup.Create().WithConfig(config);
        return tls is null ? ActorSystem.Create(name, setup) : ActorSystem.Create(name, setup.And(tls.Setup()));
    }

    /// <summary>
    /// A client's configuration: remoting only (it never joins the cluster), a port chosen by the OS, the same
    /// serializers as the nodes, and no logging: a client's failures are its own one-line messages (with NTK_DEBUG=1,
    /// Akka's warnings too).
    /// </summary>
    public static Config BuildClient(string host, TransportTls? tls) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = {{(Environment.GetEnvironmentVariable("NTK_DEBUG") == "1" ? "WARNING" : "OFF")}}
          stdout-loglevel = OFF
          loggers = ["NtkCluster.Protocol.Hosting.StderrLogger, NtkCluster.Protocol"]
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor {
            provider = remote
            serializers {
              ntk-client = "NtkCluster.Protocol.Client.ClientMessageSerializer, NtkCluster.Protocol"
            }
            serialization-bindings {
              "NtkCluster.Protocol.Client.IClientMessage, NtkCluster.Protocol" = ntk-client
            }
            serialization-settings.allow-unregistered-types = off
          }
          remote {
            log-remote-lifecycle-events = off
            dot-netty.tcp {
              hostname = {{Quote(host)}}
              port = 0
              enable-ssl = {{(tls is null ? "false" : "true")}}
              maximum-frame-size = {{MaximumFrameSize}}
              send-buffer-size = 8MiB
              receive-buffer-size = 8MiB
            }
          }
        }
        """);

    /// <summary>A HOCON string literal (hosts come from command lines).</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static Config Build(NodeOptions o)
    {
        string roles = string.Join(", ", o.Roles.Select(Quote));
        string seeds = string.Join(", ", o.Seeds.Select(s => Quote(NodeAddress(s, o.Tls is not null))));
        string threads = Math.Max(1, o.ComputeThreads).ToString(CultureInfo.InvariantCulture);
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{o.LogLevel}}
              # Akka's own start-up logger writes to stdout; stdout carries results, so it is off.
              stdout-loglevel = OFF
              loggers = ["NtkCluster.Protocol.Hosting.StderrLogger, NtkCluster.Protocol"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              log-config-on-start = off
              # The node programs own SIGTERM/Ctrl-C (PosixSignalRegistration) and run CoordinatedShutdown themselves, so
              # they can tell a requested stop (exit 0) from being downed by the cluster (exit 1).
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              actor {
                provider = cluster
                serialize-messages = {{(o.SerializeMessages ? "on" : "off")}}
                # Every message between our nodes is an INtkMessage, written by our binary serializer (matrices as raw
                # IEEE-754 bits); the binding is explicit, so none of ours ever reaches the JSON serializer.
                serializers {
                  ntk = "NtkCluster.Protocol.Serialization.NtkMessageSerializer, NtkCluster.Protocol"
                  ntk-client = "NtkCluster.Protocol.Client.ClientMessageSerializer, NtkCluster.Protocol"
                }
                # Client <-> coordinator messages (IClientMessage) have their own serializer, same primitives.
                serialization-bindings {
                  "NtkCluster.Protocol.Messages.INtkMessage, NtkCluster.Protocol" = ntk
                  "NtkCluster.Protocol.Client.IClientMessage, NtkCluster.Protocol" = ntk-client
                }
                # Strict (Akka ≥ 1.5.66): a type that crosses the network without an explicit binding fails loudly
                # instead of silently riding the System.Object → JSON fallback. Not with serialize-messages, which
                # also round-trips local-only messages — Akka's own (RegisterTerminationHook, the cluster daemon's
                # Subscribe, …) have no binding and are not marked INoSerializationVerificationNeeded, so a strict
                # node with it on could not even join itself.
                serialization-settings.allow-unregistered-types = {{(o.SerializeMessages ? "on" : "off")}}
              }
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  # Binds Host; advertises PublicHost (what other nodes and clients must use) when given.
                  hostname = {{Quote(o.Host)}}
                  public-hostname = {{Quote(o.AdvertisedHost)}}
                  port = {{o.Port}}
                  # TLS: the certificate comes as a DotNettySslSetup (TransportTls), never through this text.
                  enable-ssl = {{(o.Tls is null ? "false" : "true")}}
                  # Payloads travel whole up to 1 MiB and as 1 MiB chunks above (ChunkedTransfer); 4 MiB leaves room.
                  maximum-frame-size = {{MaximumFrameSize}}
                  send-buffer-size = 8MiB
                  receive-buffer-size = 8MiB
                }
              }
              cluster {
                roles = [{{roles}}]
                seed-nodes = [{{seeds}}]
                # Small jobs should not wait seconds for membership: gossip and leader actions run often.
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                periodic-tasks-initial-delay = 100ms
                # The coordinator is the oldest node; keep-oldest keeps its side when workers are lost.
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-oldest
                  stable-after = 7s
                  keep-oldest.down-if-alone = off
                }
                sharding {
                  role = "worker"
                  state-store-mode = ddata
                  remember-entities = off
                  # Block entities are stateless; an idle one is cheap to recreate.
                  passivate-idle-entity-after = 60s
                  # Defaults of 2s make a region wait seconds for the shard coordinator at start-up.
                  retry-interval = 100ms
                  shard-start-timeout = 2s
                  handoff-timeout = 10s
                  rebalance-interval = 10s
                }
                singleton.hand-over-retry-interval = 200ms
                singleton-proxy.singleton-identification-interval = 200ms
              }
            }
            {{ComputeDispatcher}} {
              type = ForkJoinDispatcher
              throughput = 1
              dedicated-thread-pool {
                thread-count = {{threads}}
                threadtype = background
              }
            }
            """)
            // Sharding and singleton defaults are not in the reference config until their extensions load.
            .WithFallback(Akka.Cluster.Sharding.ClusterSharding.DefaultConfig())
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig());
    }
}
