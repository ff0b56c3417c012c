using Akka.Actor;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Protocol.Messages;
using NtkCluster.Worker.Entities;
using Xunit;

namespace NtkCluster.Cluster.Tests.Messaging;

/// <summary>A worker entity answers each kind of block request with the right partial, checked against sums
/// written out independently from the definitions (ϕ(x) = (1/√M)[√2 cos(w_rᵀx + b_r)]_r).</summary>
public sealed class BlockEntityTests : TestKit
{
    private const string Dispatcher = "akka.actor.default-dispatcher";
    private static readonly System.Random Rng = new(7);

    private static Matrix<double> RandomMatrix(int rows, int cols) =>
        Matrix<double>.Build.Dense(rows, cols, (_, _) => Rng.NextDouble() * 2 - 1);

    /// <summary>Ψ by the textbook formula, element by element.</summary>
    private static double[,] NaivePsi(FeatureDraws draws, Matrix<double> x)
    {
        int m = draws.Count, d = x.ColumnCount;
        var psi = new double[x.RowCount, m];
        for (int i = 0; i < x.RowCount; i++)
            for (int r = 0; r < m; r++)
            {
                double dot = draws.Draws[r, d];
                for (int j = 0; j < d; j++) dot += draws.Draws[r, j] * x[i, j];
                psi[i, r] = Math.Sqrt(2.0 / m) * Math.Cos(dot);
            }
        return psi;
    }

    [Fact]
    public void Gram_block_request_returns_psi_transpose_psi_and_psi_transpose_y()
    {
        var draws = PlainSampler.Sample(new RbfKernel(0.7), 3, 20, seed: 5);
        var x = RandomMatrix(30, 3);
        var y = RandomMatrix(30, 2);
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher));
        entity.Tell(new BuildGramBlock("j", 4, draws, x, y));
        var reply = ExpectMsg<GramBlockComputed>();
        Assert.Equal(("j", 4), (reply.JobId, reply.BlockIndex));

        var psi = NaivePsi(draws, x);
        for (int a = 0; a < 20; a++)
        {
            for (int b = 0; b < 20; b++)
            {
                double g = 0;
                for (int i = 0; i < 30; i++) g += psi[i, a] * psi[i, b];
                Assert.Equal(g, reply.Gram[a, b], 1e-12);
            }
            for (int t = 0; t < 2; t++)
            {
                double c = 0;
                for (int i = 0; i < 30; i++) c += psi[i, a] * y[i, t];
                Assert.Equal(c, reply.Cross[a, t], 1e-12);
            }
        }
    }

    [Fact]
    public void Outer_and_projection_requests_cover_their_feature_block_only()
    {
        var draws = PlainSampler.Sample(new RbfKernel(0.7), 3, 20, seed: 5);
        var x = RandomMatrix(12, 3);
        var alpha = RandomMatrix(12, 1);
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher));
        var psi = NaivePsi(draws, x);

        entity.Tell(new BuildOuterBlock("j", 1, draws, 8, 5, x));
        var outer = ExpectMsg<OuterBlockComputed>().Outer;
        for (int i = 0; i < 12; i++)
            for (int k = 0; k < 12; k++)
            {
                double s = 0;
                for (int r = 8; r < 13; r++) s += psi[i, r] * psi[k, r];
                Assert.Equal(s, outer[i, k], 1e-12);
            }

        entity.Tell(new ProjectFeatureBlock("j", 1, draws, 8, 5, x, alpha));
        var beta = ExpectMsg<FeatureBlockProjected>().Coefficients;
        Assert.Equal(5, beta.RowCount);
        for (int r = 0; r < 5; r++)
        {
            double s = 0;
            for (int i = 0; i < 12; i++) s += psi[i, 8 + r] * alpha[i, 0];
            Assert.Equal(s, beta[r, 0], 1e-12);
        }
    }

    [Fact]
    public void Kernel_rows_request_returns_the_closed_form_rows()
    {
        var x = RandomMatrix(10, 4);
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher));
        entity.Tell(new BuildKernelRows("j", 0, "laplace:gamma=0.3", x.SubMatrix(2, 3, 0, 4), x));
        var rows = ExpectMsg<KernelRowsComputed>().Rows;
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 10; k++)
            {
                double l1 = 0;
                for (int j = 0; j < 4; j++) l1 += Math.Abs(x[2 + i, j] - x[k, j]);
                Assert.Equal(Math.Exp(-0.3 * l1), rows[i, k], 1e-14);
            }
    }

    [Fact]
    public void A_block_that_cannot_be_computed_is_answered_with_the_reason()
    {
        var draws = PlainSampler.Sample(new RbfKernel(0.7), 3, 4, seed: 5);
        var entity = Sys.ActorOf(BlockEntity.Props(Dispatcher));
        entity.Tell(new BuildGramBlock("j", 2, draws, RandomMatrix(5, 4), RandomMatrix(5, 1))); // 4 columns, draws for 3
        var failed = ExpectMsg<BlockFailed>();
        Assert.Equal(2, failed.BlockIndex);
        Assert.Contains("columns", failed.Reason);
    }

    /// <summary>
    /// A scoring command without its scorer is answered with ScorerMissing until the node holds one under that key;
    /// then every entity on the node scores against the kept scorer, bitwise as against the one sent — and a scorer
    /// kept for one round is never used for another round's key.
    /// </summary>
    [Fact]
    public void A_node_keeps_the_scorer_sent_once_and_scores_later_blocks_against_it()
    {
        var scorer = Serialization.MessageSamples.FirstStageScorer(new RbfKernel(0.4), 40, 3, 21);
        var first = RandomMatrix(6, 4);
        var later = RandomMatrix(5, 4);
        var scorers = NodeScorers.For(Sys);
        long before = scorers.Received;

        Sys.ActorOf(BlockEntity.Props(Dispatcher)).Tell(new ScoreCandidateBlock("j-tau", 0, "j-tau", null, first));
        Assert.Equal(("j-tau", 0), (ExpectMsg<ScorerMissing>().JobId, 0));

        Sys.ActorOf(BlockEntity.Props(Dispatcher)).Tell(new ScoreCandidateBlock("j-tau", 0, "j-tau", scorer, first));
        Assert.Equal(scorer.Score(first), ExpectMsg<CandidateBlockScored>().Scores);

        Sys.ActorOf(BlockEntity.Props(Dispatcher)).Tell(new ScoreCandidateBlock("j-tau", 1, "j-tau", null, later));
        var scored = ExpectMsg<CandidateBlockScored>();
        Assert.Equal(1, scored.BlockIndex);
        Assert.Equal(scorer.Score(later).Select(BitConverter.DoubleToInt64Bits), scored.Scores.Select(BitConverter.DoubleToInt64Bits));
        Assert.Contains(scored.Scores, t => t > 0); // not vacuous

        Sys.ActorOf(BlockEntity.Props(Dispatcher)).Tell(new ScoreCandidateBlock("k-tau", 0, "k-tau", null, later));
        ExpectMsg<ScorerMissing>();
        Assert.Equal(1, scorers.Received - before);
    }

    [Fact]
    public void A_node_keeps_at_most_two_scorers_and_drops_the_least_recently_used()
    {
        var scorers = NodeScorers.For(Sys);
        var a = Serialization.MessageSamples.FirstStageScorer(new RbfKernel(0.4), 10, 3, 1);
        var b = Serialization.MessageSamples.FirstStageScorer(new RbfKernel(0.4), 10, 3, 2);
        var c = Serialization.MessageSamples.FirstStageScorer(new RbfKernel(0.4), 10, 3, 3);
        scorers.Keep("lru-a", a);
        scorers.Keep("lru-b", b);
        Assert.Same(a, scorers.Find("lru-a")); // a is now the most recently used
        scorers.Keep("lru-c", c);
        Assert.Same(a, scorers.Find("lru-a"));
        Assert.Null(scorers.Find("lru-b"));
        Assert.Same(c, scorers.Find("lru-c"));
    }

    /// <summary>An idle worker lets go of its scorers by itself: nobody tells it a round has ended.</summary>
    [Fact]
    public async Task A_node_drops_an_idle_scorer_without_being_asked_again()
    {
        using var node = ActorSystem.Create("scorer-sweep", "ntk.scorer-idle-lifetime = 300ms");
        var scorers = NodeScorers.For(node);
        Assert.Equal(TimeSpan.FromMilliseconds(300), scorers.Lifetime);
        scorers.Keep("idle", Serialization.MessageSamples.FirstStageScorer(new RbfKernel(0.4), 10, 3, 4));
        Assert.Equal(1, scorers.Held);
        await AwaitAssertAsync(() => Assert.Equal(0, scorers.Held), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromSeconds(60), NodeScorers.For(Sys).Lifetime);
    }
}
