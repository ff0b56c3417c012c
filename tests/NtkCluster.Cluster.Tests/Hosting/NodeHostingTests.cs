using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;
using Xunit;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace NtkCluster.Cluster.Tests.Hosting;

/// <summary>
/// The nodes' Akka.Hosting setup: the settings a node keeps (membership, split-brain resolution, transport, logging,
/// the compute dispatcher), a worker node's regions in the actor registry, and Akka's log events reaching stderr through
/// Microsoft.Extensions.Logging as one <c>[level] source: message (cause)</c> line each.
/// </summary>
public sealed class NodeHostingTests
{
    [Fact]
    public void A_node_composes_roles_seeds_keep_oldest_the_frame_size_the_compute_threads_and_stderr_logging()
    {
        var config = NodeConfig.Build(new NodeOptions
        {
            Port = 4053, Seeds = ["h:4053"], Roles = [BlockSharding.WorkerRole, NodeConfig.ThreadsRole(3)], ComputeThreads = 3,
        });
        Assert.Equal([BlockSharding.WorkerRole, "threads-3"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(["akka.tcp://ntk@h:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.False(config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.GetTimeSpan("akka.cluster.gossip-interval"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(4L << 20, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(3, config.GetInt($"{NodeConfig.ComputeDispatcher}.dedicated-thread-pool.thread-count"));
        // The node programs stop through their host (exit 0 on SIGTERM, 1 when downed), not through a CLR exit hook.
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.False(config.GetBoolean("akka.actor.serialize-messages"));
        // Akka logs through Microsoft.Extensions.Logging; its stdout logger is off (stdout carries results).
        Assert.Contains(config.GetStringList("akka.loggers"), l => l.Contains("LoggerFactoryLogger", StringComparison.Ordinal));
        Assert.Equal("OFF", config.GetString("akka.stdout-loglevel"));
        Assert.Equal("WARNING", config.GetString("akka.loglevel"), ignoreCase: true);
        Assert.False(config.GetBoolean("akka.log-dead-letters"));
    }

    [Fact]
    public void Local_mode_logs_akka_at_error_and_nothing_is_logged_at_none()
    {
        Assert.Equal("ERROR", NodeConfig.Build(new NodeOptions { LogLevel = LogLevel.Error }).GetString("akka.loglevel"), ignoreCase: true);
        Assert.Equal("OFF", NodeConfig.Build(new NodeOptions { LogLevel = LogLevel.None }).GetString("akka.loglevel"), ignoreCase: true);
    }

    [Fact]
    public async Task A_worker_node_hosts_the_block_and_neuron_regions_and_registers_them()
    {
        var options = new NodeOptions { Port = 0, Roles = [BlockSharding.WorkerRole], ComputeThreads = 2 };
        using var host = NodeHost.Create(NodeConfig.SystemName, LogLevel.Warning, handleSignals: false,
            akka => akka.WithNtkNode(options).WithBlockEntities());
        var system = await host.StartSystemAsync();
        try
        {
            Assert.Equal(NodeConfig.SystemName, system.Name);
            Assert.Equal("akka.tcp", Akka.Cluster.Cluster.Get(system).SelfAddress.Protocol);
            Assert.Equal([BlockSharding.TypeName, BlockSharding.NeuronTypeName], ClusterSharding.Get(system).ShardTypeNames.Order(StringComparer.Ordinal));
            var registry = ActorRegistry.For(system);
            Assert.Equal(ClusterSharding.Get(system).ShardRegion(BlockSharding.TypeName), registry.Get<BlockRegion>());
            Assert.Equal(ClusterSharding.Get(system).ShardRegion(BlockSharding.NeuronTypeName), registry.Get<NeuronRegion>());
            Assert.True(system.Dispatchers.HasDispatcher(NodeConfig.ComputeDispatcher));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Akka_events_reach_the_stderr_logger_as_one_line_each_with_source_message_and_cause()
    {
        var lines = new LineWriter();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(new StderrLoggerProvider(lines));
        builder.Services.AddAkka("ntk-log-test", akka => akka.WithNtkLogging(LogLevel.Warning));
        using var host = builder.Build();
        var system = await host.StartSystemAsync();
        try
        {
            system.Log.Info("below the level: {0}", "hidden");
            system.Log.Warning("the {0} of {1}", "answer", 42);
            system.Log.Error(new InvalidOperationException("the cause"), "it {0}", "failed");
            Assert.Matches(@"^\[warning\] [^:]+: the answer of 42$", await lines.WaitForAsync("answer"));
            Assert.Matches(@"^\[error\] [^:]+: it failed \(the cause\)$", await lines.WaitForAsync("failed"));
            Assert.DoesNotContain(lines.Seen, l => l.Contains("hidden", StringComparison.Ordinal));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Collects written lines; a test awaits the one it expects.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public List<string> Seen { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value) => _lines.Writer.TryWrite(value ?? "");

        public async Task<string> WaitForAsync(string text)
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
                Seen.Add(line);
                if (line.Contains(text, StringComparison.Ordinal)) return line;
            }
        }
    }
}
