using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Sharding;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A worker killed just before a round whose every block lives on it, on a real loopback cluster: the blocks are asked
/// of backups on the other worker as soon as it is unreachable, before it is downed. A backup there can score
/// candidates although that node was never sent the scorer (it is sent it), and a coordinator that has not learned
/// any shard home from answers yet (a new coordinator's first round) learns them from the workers' regions.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class LostHomeBackupTests(ITestOutputHelper output)
{
    private const string Kernel = "rbf:gamma=0.5";

    /// <summary>Lines the round reported, each with the seconds since the round began.</summary>
    private sealed class Notices(Stopwatch clock)
    {
        public ConcurrentQueue<(double At, string Line)> Lines { get; } = new();

        public void Add(string line) => Lines.Enqueue((clock.Elapsed.TotalSeconds, line));

        public double? First(string contains) => Lines.Where(l => l.Line.Contains(contains, StringComparison.Ordinal)).Select(l => (double?)l.At).FirstOrDefault();

        public override string ToString() => string.Join("\n", Lines.Select(l => $"{l.At,6:0.00} s  {l.Line}"));
    }

    /// <summary>
    /// Starts a two-worker cluster and spreads shards of the block region over both workers (a round of 64 tiny blocks),
    /// then returns it with the shards worker 1 hosts.
    /// </summary>
    private static async Task<(ClusterNodes Nodes, HashSet<string> VictimShards)> StartAsync()
    {
        var nodes = await ClusterNodes.StartAsync(workers: 2);
        try
        {
            // Shards are allocated only to regions the shard coordinator has registered: wait for both workers'.
            var clock = Stopwatch.StartNew();
            while ((await nodes.Blocks.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count < 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the shard coordinator did not list both workers' regions within 30 s");
                await Task.Delay(200);
            }
            var one = Matrix<double>.Build.Dense(1, 2, 0.5);
            var region = ActorRegistry.For(nodes.Workers[1]).Get<BlockRegion>();
            for (int round = 0; ; round++)
            {
                await BlockRound.RunAsync<KernelRowsComputed, int>(nodes.Blocks, 64, b => new BuildKernelRows($"warm{round}", b, Kernel, one, one), 0,
                    (acc, _) => acc + 1, ClusterNodes.Remote(4));
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
                var shards = state.Shards.Select(s => s.ShardId).ToHashSet();
                if (shards.Count > 0) return (nodes, shards);
                Assert.True(round < 5, "worker 1 hosts no shard of the block region after 6 rounds of 64 blocks");
            }
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>A job id whose <paramref name="blocks"/> entities (named by <paramref name="entityId"/>) all hash to one of <paramref name="shards"/>.</summary>
    private static string JobOn(HashSet<string> shards, int blocks, Func<string, int, string> entityId) =>
        Enumerable.Range(0, 100_000).Select(i => $"lost{i}")
            .First(job => Enumerable.Range(0, blocks).All(b => shards.Contains(ShardHomes.ShardOf(entityId(job, b)))));

    [Fact]
    public async Task Candidates_of_a_killed_worker_are_scored_by_backups_on_a_node_never_sent_the_scorer_bitwise_as_the_scorer()
    {
        var (nodes, victimShards) = await StartAsync();
        await using var _ = nodes;
        var scorer = MessageSamples.ExactScorer(new RbfKernel(0.4), 40, 3, 21);
        var pool = MessageSamples.Random(8, 4, 22); // two candidate blocks of 4
        string job = JobOn(victimShards, 2, (j, b) => new ScoreCandidateBlock(j, b, j, null, pool).EntityId);

        await nodes.KillWorkerAsync(1);
        var clock = Stopwatch.StartNew();
        var notices = new Notices(clock);
        var options = ClusterNodes.Remote(2, TimeSpan.FromSeconds(60), notices.Add) with { Attempts = 1 };
        var scores = await new ShardedBlockRounds(nodes.Blocks, options).ScoreAsync(job, scorer, pool, 4);
        double took = clock.Elapsed.TotalSeconds;
        output.WriteLine($"scored in {took:0.0} s\n{notices}");

        Assert.Equal(Enumerable.Range(0, 2).SelectMany(b => BlockComputations.Score(scorer, pool.SubMatrix(4 * b, 4, 0, 4))), scores);
        Assert.NotNull(notices.First("asked again at once on worker node(s)"));
        // Failure detection plus a block time, not the block timeout (60 s, one attempt: the round would fail).
        Assert.True(took < 30, $"scored in {took:0.0} s\n{notices}");
    }

    [Fact]
    public async Task A_round_that_knows_no_shard_home_learns_them_from_the_workers_and_backs_up_a_lost_workers_blocks_before_downing_it()
    {
        var (nodes, victimShards) = await StartAsync();
        await using var _ = nodes;
        var x = MessageSamples.Random(6, 2, 31);
        string job = JobOn(victimShards, 3, (j, b) => new BuildKernelRows(j, b, Kernel, x, x).EntityId);
        var commands = Enumerable.Range(0, 3).Select(b => new BuildKernelRows(job, b, Kernel, x.SubMatrix(2 * b, 2, 0, 2), x)).ToArray();

        // What a new coordinator process knows: no shard home (the map is per actor system), nothing asked yet.
        var homes = ShardHomes.Of(nodes.Coordinator);
        homes.Forget(_ => true);
        Assert.Empty(homes.Nodes());

        await nodes.KillWorkerAsync(1);
        var clock = Stopwatch.StartNew();
        var notices = new Notices(clock);
        var options = ClusterNodes.Remote(3, TimeSpan.FromSeconds(60), notices.Add) with { Attempts = 1 };
        var rows = await BlockRound.RunAsync<KernelRowsComputed, List<Matrix<double>>>(nodes.Blocks, 3, b => commands[b], [],
            (acc, r) => { acc.Add(r.Rows); return acc; }, options);
        output.WriteLine($"round done in {clock.Elapsed.TotalSeconds:0.0} s\n{notices}");

        var kernel = KernelSpec.Parse(Kernel);
        Assert.Equal(commands.Select(c => BlockComputations.KernelRows(kernel, c.XBlock, c.X).ToColumnMajorArray()), rows.Select(r => r.ToColumnMajorArray()));
        Assert.Contains(Akka.Cluster.Cluster.Get(nodes.Workers[0]).SelfAddress, homes.Nodes());
        // Backed up on the survivor as soon as the victim was unreachable: before the round downed it.
        double? backedUp = notices.First("asked again at once on worker node(s)"), downed = notices.First("downing it");
        Assert.True(backedUp is not null, notices.ToString());
        Assert.True(downed is null || backedUp < downed, notices.ToString());
    }
}
