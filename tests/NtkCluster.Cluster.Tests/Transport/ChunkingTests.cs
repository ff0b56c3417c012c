using Akka.Actor;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Networks;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Entities;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Messages in pieces, on each side, with a TestProbe or a bare entity in place of the other node: a remote round
/// cuts large commands and puts replies back together whatever order and how often their pieces come; an entity
/// does the same with commands, drops the pieces of an abandoned sending, and frees a transfer that went idle.
/// </summary>
public sealed class ChunkingTests : TestKit
{
    private const string Dispatcher = "akka.actor.default-dispatcher";

    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static RoundOptions Remote(int chunkBytes) =>
        new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(10), Attempts: 1) { Remote = true, ChunkBytes = chunkBytes };

    private static BuildKernelRows Rows(int block, int n = 60) =>
        new("job-c", block, "rbf:gamma=0.5", MessageSamples.Random(10, 8, block), MessageSamples.Random(n, 8, 100 + block));

    private static KernelRowsComputed Answer(BuildKernelRows r) =>
        new(r.JobId, r.BlockIndex, KernelSpec.Parse(r.KernelSpec).Evaluate(r.XBlock, r.X));

    /// <summary>Puts a command back together from the pieces a probe received, as an entity does.</summary>
    private static object Join(IReadOnlyList<BlockCommandChunk> pieces)
    {
        var assembly = new ChunkAssembly(pieces[0].TransferId, pieces[0].Count, pieces[0].Manifest);
        foreach (var p in pieces) Assert.True(assembly.Add(p.Index, p.Count, p.Manifest, p.Bytes));
        Assert.True(assembly.IsComplete);
        return NtkMessageSerializer.Deserialize(assembly.Join(), assembly.Manifest);
    }

    [Fact]
    public async Task A_remote_round_sends_commands_larger_than_a_chunk_in_pieces_that_join_into_the_command_bitwise()
    {
        var region = CreateTestProbe();
        var commands = new[] { Rows(0), Rows(1, n: 2) }; // 4.5 KB and 0.8 KB payloads
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, 2, b => commands[b], 0, (acc, _) => acc + 1, Remote(chunkBytes: 1000));

        var pieces = new List<BlockCommandChunk>();
        IActorRef? receiver = null;
        int expected = ChunkedTransfer.ChunkCount(NtkMessageSerializer.Serialize(commands[0]).Length, 1000);
        Assert.True(expected >= 4);
        object? whole = null;
        for (int i = 0; i < expected + 1; i++)
        {
            var message = region.ExpectMsg<object>();
            receiver = region.LastSender;
            if (message is BlockCommandChunk piece) pieces.Add(piece);
            else whole = message;
        }
        // The small command travels whole; the large one as pieces of one transfer, routed to the command's entity.
        Assert.Equal(1, Assert.IsType<BuildKernelRows>(whole).BlockIndex);
        Assert.Equal(expected, pieces.Count);
        Assert.All(pieces, p => Assert.Equal(commands[0].EntityId, p.EntityId));
        var extractor = new BlockMessageExtractor(BlockSharding.ShardCount);
        Assert.All(pieces, p => Assert.Equal(extractor.ShardId(extractor.EntityId(commands[0])!, commands[0]), extractor.ShardId(extractor.EntityId(p)!, p)));
        Assert.Single(pieces.Select(p => p.TransferId).Distinct());
        Assert.Equal(Enumerable.Range(0, expected), pieces.Select(p => p.Index).Order());
        Assert.All(pieces, p => Assert.True(p.Bytes.Length <= 1000));
        BitwiseEquality.AssertSame(commands[0], Join(pieces), "command");

        receiver!.Tell(Answer(commands[1]), region);
        receiver.Tell(Answer(commands[0]), region);
        Assert.Equal(2, await round);
    }

    [Fact]
    public async Task Reply_pieces_out_of_order_and_twice_are_put_together_and_a_stale_partial_transfer_changes_nothing()
    {
        var region = CreateTestProbe();
        var command = Rows(0, n: 200);
        var round = BlockRound.RunAsync<KernelRowsComputed, Matrix<double>?>(region, 1, _ => command, null, (_, r) => r.Rows, Remote(chunkBytes: 1 << 20));
        region.ExpectMsg<BuildKernelRows>();
        var receiver = region.LastSender;

        var reply = Answer(command);
        var payload = NtkMessageSerializer.Serialize(reply);
        var pieces = ChunkedTransfer.Pieces(payload, 700, ChunkedTransfer.ReplyPieces(41, NtkMessageSerializer.ManifestOf(reply))).Cast<BlockReplyChunk>().ToList();
        Assert.True(pieces.Count >= 10);
        // A stale transfer of the same block — an abandoned sending, with other values — that never completes.
        var wrong = new KernelRowsComputed("job-c", 0, reply.Rows.Map(v => v + 1));
        var stale = ChunkedTransfer.Pieces(NtkMessageSerializer.Serialize(wrong), 700, ChunkedTransfer.ReplyPieces(40, NtkMessageSerializer.ManifestOf(wrong))).Cast<BlockReplyChunk>().ToList();

        var rng = new System.Random(5);
        var order = pieces.Concat(pieces.Take(4)).OrderBy(_ => rng.Next()).ToList(); // shuffled, four pieces twice
        Assert.NotEqual(pieces.Select(p => p.Index), order.Take(pieces.Count).Select(p => p.Index));
        for (int i = 0; i < order.Count; i++)
        {
            if (i < stale.Count - 1) receiver.Tell(stale[i], region); // all but its last piece, interleaved
            receiver.Tell(order[i], region);
        }
        var rows = await round;
        Assert.Equal(Bits(reply.Rows), Bits(rows!));
    }

    [Fact]
    public async Task A_reply_that_comes_whole_and_in_pieces_is_taken_once()
    {
        var region = CreateTestProbe();
        var command = Rows(0);
        int folds = 0;
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, 1, _ => command, 0, (acc, _) => { folds++; return acc + 1; }, Remote(1 << 20));
        region.ExpectMsg<BuildKernelRows>();
        var reply = Answer(command);
        region.LastSender.Tell(reply, region);
        foreach (var p in ChunkedTransfer.Pieces(NtkMessageSerializer.Serialize(reply), 500, ChunkedTransfer.ReplyPieces(7, NtkMessageSerializer.ManifestOf(reply))))
            region.LastSender.Tell(p, region); // a second answer (a resend crossed a slow worker) is dropped
        Assert.Equal(1, await round);
        Assert.Equal(1, folds);
    }

    private static BuildGramBlock Gram() =>
        new("job-e", 3, PlainSampler.Sample(new RbfKernel(0.7), 3, 20, seed: 5), MessageSamples.Random(40, 3, 1), MessageSamples.Random(40, 2, 2));

    private static List<BlockCommandChunk> Pieces(IBlockCommand command, long transfer, int chunkBytes) =>
        ChunkedTransfer.Pieces(NtkMessageSerializer.Serialize(command), chunkBytes, ChunkedTransfer.CommandPieces(command.EntityId, transfer, NtkMessageSerializer.ManifestOf(command)))
            .Cast<BlockCommandChunk>().ToList();

    [Fact]
    public void An_entity_puts_pieces_together_in_any_order_answers_once_and_drops_an_abandoned_transfer()
    {
        var command = Gram();
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher));
        entity.Tell(command);
        var expected = ExpectMsg<GramBlockComputed>();

        var abandoned = Pieces(command, 100, 600);
        var retry = Pieces(command, 101, 600);
        Assert.True(retry.Count >= 4);
        // The first sending gets half-way, then the retry arrives shuffled and with duplicates.
        foreach (var p in abandoned.Take(abandoned.Count / 2)) entity.Tell(p);
        var rng = new System.Random(3);
        foreach (var p in retry.Concat(retry.Take(2)).OrderBy(_ => rng.Next()).Where(p => p.Index != retry.Count - 1)) entity.Tell(p);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // one piece of the retry still missing
        entity.Tell(retry[^1]);
        var reply = ExpectMsg<GramBlockComputed>();
        BitwiseEquality.AssertSame(expected, reply, "reply");
        // The rest of the abandoned sending, and the retry's duplicates, come late: nothing more is answered.
        foreach (var p in abandoned.Skip(abandoned.Count / 2)) entity.Tell(p);
        foreach (var p in retry.Take(3)) entity.Tell(p);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_entity_drops_a_transfer_that_went_idle_and_takes_the_next_sending()
    {
        var command = Gram();
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher, transferTimeout: TimeSpan.FromMilliseconds(300)));
        var first = Pieces(command, 200, 600);
        EventFilter.Warning(contains: "dropped").ExpectOne(TimeSpan.FromSeconds(3), () =>
        {
            foreach (var p in first.SkipLast(1)) entity.Tell(p);
        });
        entity.Tell(first[^1]); // too late: the transfer's other pieces were freed
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        foreach (var p in Pieces(command, 201, 600)) entity.Tell(p);
        Assert.Equal(3, ExpectMsg<GramBlockComputed>().BlockIndex);
    }

    [Fact]
    public void A_neuron_block_loads_from_pieces_exactly_as_from_the_whole_command()
    {
        var setup = new NeuronBlockSetup(new NetworkSetup(50, 1.0, 0.01, 0.1), MessageSamples.Random(50, 4, 1), Enumerable.Repeat(1.0, 50).ToArray(),
            Enumerable.Repeat(1.0, 50).ToArray(), MessageSamples.Random(30, 4, 2));
        var load = new LoadNeuronBlock("nn-c", 0, setup, MessageSamples.Random(50, 4, 1), 0, [MessageSamples.Random(30, 1, 3).Column(0).ToArray()]);

        var whole = Sys.ActorOf(NeuronBlockEntity.Props(Dispatcher));
        whole.Tell(load);
        var expected = ExpectMsg<NeuronBlockLoaded>();

        var pieced = Sys.ActorOf(NeuronBlockEntity.Props(Dispatcher));
        var pieces = Pieces(load, 300, 512);
        Assert.True(pieces.Count >= 5);
        foreach (var p in Enumerable.Reverse(pieces)) pieced.Tell(p);
        BitwiseEquality.AssertSame(expected, ExpectMsg<NeuronBlockLoaded>(), "loaded");
        Assert.Equal(1, expected.Step);

        // And the block then steps like the other.
        var step = new NeuronStep("nn-c", 0, 1, MessageSamples.Random(30, 1, 4).Column(0).ToArray());
        whole.Tell(step);
        var a = ExpectMsg<NeuronStepDone>();
        pieced.Tell(step);
        BitwiseEquality.AssertSame(a, ExpectMsg<NeuronStepDone>(), "step");
    }
}
