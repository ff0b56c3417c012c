using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// A sharded block entity: computes one block of a job — a partial Gram, a feature block's outer product or
/// projection, kernel rows, predictions — and answers the asker. It runs on the compute dispatcher, so the
/// computation occupies one of this node's compute threads and never the ThreadPool. It keeps no state between
/// messages: a block recomputed anywhere gives bitwise the same answer.
/// </summary>
public sealed class BlockEntity : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public BlockEntity()
    {
        Receive<BuildGramBlock>(m => Answer(m, () =>
        {
            var psi = FeatureMap.Build(m.Draws, m.X);
            var backend = DenseBackend.Current;
            return new GramBlockComputed(m.JobId, m.BlockIndex, backend.Gram(psi), backend.TransposeAndMultiply(psi, m.Y));
        }));
        Receive<BuildOuterBlock>(m => Answer(m, () =>
        {
            return new OuterBlockComputed(m.JobId, m.BlockIndex, FeatureMap.OuterGram(m.Draws, m.X, m.FirstDraw, m.DrawCount));
        }));
        Receive<ProjectFeatureBlock>(m => Answer(m, () =>
        {
            var psi = FeatureMap.Build(m.Draws, m.X, m.FirstDraw, m.DrawCount);
            return new FeatureBlockProjected(m.JobId, m.BlockIndex, DenseBackend.Current.TransposeAndMultiply(psi, m.Alpha));
        }));
        Receive<BuildKernelRows>(m => Answer(m, () =>
            new KernelRowsComputed(m.JobId, m.BlockIndex, KernelSpec.Parse(m.KernelSpec).Evaluate(m.XBlock, m.X))));
        Receive<ScoreCandidateBlock>(m => Answer(m, () =>
            new CandidateBlockScored(m.JobId, m.BlockIndex, m.Scorer.Score(m.Candidates))));
        Receive<PredictBlock>(m => Answer(m, () =>
            new BlockPredicted(m.JobId, m.BlockIndex, m.Model.PredictTransformed(m.X))));
    }

    /// <summary>Props for the sharding region: every entity on the compute dispatcher.</summary>
    public static Props Props(string computeDispatcher) =>
        Akka.Actor.Props.Create(() => new BlockEntity()).WithDispatcher(computeDispatcher);

    /// <summary>
    /// Answers, then passivates. An entity's id names one block of one job, so it has nothing more to do (a retry
    /// after a timeout is answered first, or recreates it). A live entity keeps its last sender — the asker's future,
    /// which holds the answer — so, left to idle passivation, every m×m Gram block stayed in memory for a minute or
    /// more: thousands of them on a long round (a 3-million-row fit with M = 1024 peaked at 18.6 GB; with this,
    /// 362 MB). The shard stops the entity and buffers anything sent to it meanwhile; outside sharding (tests) the
    /// parent ignores the request.
    /// </summary>
    private void Answer(IBlockCommand command, Func<IBlockReply> compute)
    {
        Sender.Tell(BlockAnswers.Compute(_log, command, compute));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}
