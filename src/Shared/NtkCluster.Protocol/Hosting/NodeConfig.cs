using System.Globalization;
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

    public static Config Build(NodeOptions o)
    {
        string roles = string.Join(", ", o.Roles.Select(r => $"\"{r}\""));
        string seeds = string.Join(", ", o.Seeds.Select(s => $"\"akka.tcp://{SystemName}@{s}\""));
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
              actor {
                provider = cluster
                serialize-messages = {{(o.SerializeMessages ? "on" : "off")}}
                # Every message between our nodes is an INtkMessage, written by our binary serializer (matrices as raw
                # IEEE-754 bits); the binding is explicit, so none of ours ever reaches the JSON serializer.
                serializers {
                  ntk = "NtkCluster.Protocol.Serialization.NtkMessageSerializer, NtkCluster.Protocol"
                }
                serialization-bindings {
                  "NtkCluster.Protocol.Messages.INtkMessage, NtkCluster.Protocol" = ntk
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
                  hostname = "{{o.Host}}"
                  port = {{o.Port}}
                  # Matrices travel as tiles of at most 256×256 doubles (512 KiB); a few MiB leaves room for headers.
                  maximum-frame-size = 4MiB
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
