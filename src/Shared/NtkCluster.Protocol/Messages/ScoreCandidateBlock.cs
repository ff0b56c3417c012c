using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Leverage sampling, one candidate block: the ridge leverage τ(w) (Def 3.1) of each candidate draw, against the
/// job's scorer (exact (K+λI)⁻¹ or the first-stage approximation). Answered by <see cref="CandidateBlockScored"/>.
/// </summary>
public sealed record ScoreCandidateBlock(string JobId, int BlockIndex, ILeverageScorer Scorer, Matrix<double> Candidates)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.score.{BlockIndex}";
}

/// <summary>τ for each candidate of the block, in the block's order.</summary>
public sealed record CandidateBlockScored(string JobId, int BlockIndex, double[] Scores) : IBlockReply;
