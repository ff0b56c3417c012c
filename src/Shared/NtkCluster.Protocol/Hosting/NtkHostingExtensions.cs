using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// The Akka.Hosting setup of NtkCluster's actor systems, as extension methods on <see cref="AkkaConfigurationBuilder"/>:
/// every node is <see cref="WithNtkNode"/>, then <see cref="WithNtkWorker"/> (hosts block entities),
/// <see cref="WithNtkCoordinator"/> (reaches them through proxies), or both in local mode. A client that only talks
/// to a coordinator uses <see cref="WithNtkTransport"/>, <see cref="WithNtkSerialization"/> and
/// <see cref="WithNtkLogging"/>. Every setting that differs from Akka's default is here, with its reason; the typed
/// options of Akka.Hosting are used wherever they exist, and <c>AddHocon</c> only for what they do not cover.
/// </summary>
public static class NtkHostingExtensions
{
    /// <summary>
    /// Our two serializers, each bound to one marker interface: every message between our nodes is an
    /// <see cref="INtkMessage"/> (matrices as raw IEEE-754 bits), every client ↔ coordinator message an
    /// <see cref="IClientMessage"/>. The bindings are explicit, so none of ours ever reaches the JSON serializer.
    /// </summary>
    public static AkkaConfigurationBuilder WithNtkSerialization(this AkkaConfigurationBuilder builder) => builder
        .WithCustomSerializer("ntk", [typeof(INtkMessage)], system => new NtkMessageSerializer(system))
        .WithCustomSerializer("ntk-client", [typeof(IClientMessage)], system => new ClientMessageSerializer(system))
        .WithCustomSerializer("ntk-ship", [typeof(Shipping.IShippingMessage)], system => new Shipping.ShippingMessageSerializer(system));

    /// <summary>
    /// Akka's log events go to Microsoft.Extensions.Logging (the host's <see cref="StderrLoggerProvider"/>: stderr,
    /// because stdout belongs to results) at <paramref name="level"/>; <see cref="LogLevel.None"/> turns them off.
    /// Dead letters are not logged: a job's real failures reach the user as its own one-line errors.
    /// </summary>
    public static AkkaConfigurationBuilder WithNtkLogging(this AkkaConfigurationBuilder builder, LogLevel level)
    {
        builder.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = level switch
            {
                <= LogLevel.Debug => AkkaLogLevel.DebugLevel,
                LogLevel.Information => AkkaLogLevel.InfoLevel,
                LogLevel.Warning => AkkaLogLevel.WarningLevel,
                _ => AkkaLogLevel.ErrorLevel,
            };
            loggers.LogConfigOnStart = false;
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });
        // No typed option for these. Akka's start-up logger (before the loggers above run) writes to stdout, which
        // carries results, so it is off; Akka.Event.LogLevel has no "off" for a client that logs nothing; and dead
        // letters and remote lifecycle events are chatter, not news, for a user.
        return builder.AddHocon($$"""
            akka {
              stdout-loglevel = OFF
              {{(level == LogLevel.None ? "loglevel = OFF" : "")}}
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              remote.log-remote-lifecycle-events = off
            }
            """, HoconAddMode.Prepend);
    }

    /// <summary>
    /// Akka.Remote's DotNetty TCP transport: binds <paramref name="host"/>:<paramref name="port"/> (0 picks a free
    /// port), advertises <paramref name="publicHost"/> (default: the host), frames of at most
    /// <see cref="NodeConfig.MaximumFrameSize"/>, and TLS with the pinned certificate when <paramref name="tls"/> is
    /// given (the certificate goes to Akka as an object, never through configuration text).
    /// </summary>
    public static AkkaConfigurationBuilder WithNtkTransport(this AkkaConfigurationBuilder builder, string host, string? publicHost, int port, TransportTls? tls)
    {
        var options = new RemoteOptions
        {
            HostName = host,
            PublicHostName = string.IsNullOrEmpty(publicHost) ? host : publicHost,
            Port = port,
            // Payloads travel whole up to 1 MiB and as 1 MiB chunks above (ChunkedTransfer); 4 MiB leaves room.
            MaxFrameSize = NodeConfig.MaximumFrameSize,
            SendBufferSize = 8 << 20,
            ReceiveBufferSize = 8 << 20,
            EnableSsl = tls is not null,
        };
        if (tls is not null) options.Ssl = tls.Options();
        return builder.WithRemoting(options);
    }

    /// <summary>
    /// A cluster node: transport, serialization, logging, membership (roles, seeds, keep-oldest split-brain
    /// resolution), strict serialization, and the <see cref="NodeConfig.ComputeDispatcher"/> with
    /// <see cref="NodeOptions.ComputeThreads"/> threads.
    /// </summary>
    public static AkkaConfigurationBuilder WithNtkNode(this AkkaConfigurationBuilder builder, NodeOptions o)
    {
        bool tls = o.Tls is not null;
        builder
            .WithNtkLogging(o.LogLevel)
            .WithNtkSerialization()
            .WithNtkTransport(o.Host, o.AdvertisedHost, o.Port, o.Tls)
            .WithClustering(new ClusterOptions
            {
                Roles = o.Roles.ToArray(),
                // Empty: the node joins itself once started (local mode).
                SeedNodes = o.Seeds.Select(s => NodeConfig.NodeAddress(s, tls)).ToArray(),
                // The coordinator is the oldest node; keep-oldest keeps its side when workers are lost.
                SplitBrainResolver = new KeepOldestOption { DownIfAlone = false },
            })
            // Strict (Akka ≥ 1.5.66): a type that crosses the network without an explicit binding fails loudly
            // instead of silently riding the System.Object → JSON fallback. Not with serialize-messages, which also
            // round-trips local-only messages — Akka's own (RegisterTerminationHook, the cluster daemon's Subscribe,
            // …) have no binding and are not marked INoSerializationVerificationNeeded, so a strict node with it on
            // could not even join itself.
            .WithStrictSerialization(!o.SerializeMessages);

        string threads = Math.Max(1, o.ComputeThreads).ToString(CultureInfo.InvariantCulture);
        // Akka.Hosting has no typed option for any of these: serialize-messages, the CLR shutdown hook, the cluster's
        // gossip and singleton timings, SBR's stable-after, sharding's retry and handoff timings, and dispatchers.
        return builder.AddHocon($$"""
            akka {
              actor.serialize-messages = {{(o.SerializeMessages ? "on" : "off")}}
              # The node programs own SIGTERM/Ctrl-C (the host's console lifetime) and stop through the host, which runs
              # CoordinatedShutdown, so they can tell a requested stop (exit 0) from being downed by the cluster (exit 1).
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              cluster {
                # Small jobs should not wait seconds for membership: gossip and leader actions run often.
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                periodic-tasks-initial-delay = 100ms
                split-brain-resolver.stable-after = 7s
                # How long after a node is removed its singletons (the shard coordinators) start elsewhere; with the
                # resolver it defaults to stable-after, and the shards of a lost worker can be re-homed only then. A
                # worker is downed after being unreachable for a while already (rounds down it after 2 s, the resolver
                # after 7 s), and a downed node cannot reach the coordinator's side, so 2 s is margin enough.
                down-removal-margin = 2s
                sharding {
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
            # Runs block computations and solves off the ThreadPool that remoting and cluster heartbeats use, so heavy
            # kernels never get a node marked unreachable.
            {{NodeConfig.ComputeDispatcher}} {
              type = ForkJoinDispatcher
              throughput = 1
              dedicated-thread-pool {
                thread-count = {{threads}}
                threadtype = background
              }
            }
            """, HoconAddMode.Prepend);
    }

    /// <summary>
    /// A node with the worker role: the sharded regions that host block entities (<see cref="BlockRegion"/>) and
    /// neuron-block entities (<see cref="NeuronRegion"/>), in the actor registry under those keys.
    /// </summary>
    /// <param name="blockEntity">The props of a block entity, by entity id.</param>
    /// <param name="neuronEntity">The props of a neuron-block entity, by entity id.</param>
    public static AkkaConfigurationBuilder WithNtkWorker(this AkkaConfigurationBuilder builder, Func<string, Props> blockEntity, Func<string, Props> neuronEntity) =>
        builder
            .WithShardRegion<BlockRegion>(BlockSharding.TypeName, blockEntity, new BlockMessageExtractor(BlockSharding.ShardCount), new ShardOptions
            {
                Role = BlockSharding.WorkerRole,
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                // Block entities are stateless; an idle one is cheap to recreate.
                PassivateIdleEntityAfter = TimeSpan.FromSeconds(60),
            })
            .WithShardRegion<NeuronRegion>(BlockSharding.NeuronTypeName, neuronEntity, new BlockMessageExtractor(BlockSharding.ShardCount), new ShardOptions
            {
                Role = BlockSharding.WorkerRole,
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                // Unlike block entities these hold state that the seed alone cannot rebuild (weights after t steps), so
                // idle passivation is off; the coordinator releases them when a job ends and restores a lost one from
                // its checkpoints.
                ShouldPassivateIdleEntities = false,
            });

    /// <summary>
    /// A node that hosts no entities (a coordinator-only node): proxies to the workers' block and neuron regions, in
    /// the actor registry under <see cref="BlockRegion"/> and <see cref="NeuronRegion"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithNtkCoordinator(this AkkaConfigurationBuilder builder) =>
        builder
            .WithShardRegionProxy<BlockRegion>(BlockSharding.TypeName, BlockSharding.WorkerRole, new BlockMessageExtractor(BlockSharding.ShardCount))
            .WithShardRegionProxy<NeuronRegion>(BlockSharding.NeuronTypeName, BlockSharding.WorkerRole, new BlockMessageExtractor(BlockSharding.ShardCount));
}
