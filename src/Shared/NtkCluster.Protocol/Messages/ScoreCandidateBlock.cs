using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Leverage sampling, one candidate block: the ridge leverage τ(w) (Def 3.1) of each candidate draw, against the
/// job's scorer (exact (K+λI)⁻¹ or the first-stage approximation). Answered by <see cref="CandidateBlockScored"/>, or
/// by <see cref="ScorerMissing"/> when the command came without its scorer and the node has none under that key.
/// </summary>
/// <remarks>
/// The scorer holds all n training rows (and, exact, an n×n matrix: 128 MB at n = 4000), the same for every block of
/// the round. It is sent to each node once, not with each of the pool's blocks: a round sends the key alone, a node
/// that has no scorer under it answers <see cref="ScorerMissing"/>, and the coordinator asks again with the scorer,
/// which the node then keeps for the round's other blocks.
/// </remarks>
/// <param name="ScorerKey">Names the scorer: one per scoring round (its job id), so a node never scores against another round's.</param>
/// <param name="Scorer">The scorer itself, or null to use the one the node holds under <paramref name="ScorerKey"/>.</param>
public sealed record ScoreCandidateBlock(string JobId, int BlockIndex, string ScorerKey, ILeverageScorer? Scorer, Matrix<double> Candidates)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.score.{BlockIndex}";
}

/// <summary>The node that got a <see cref="ScoreCandidateBlock"/> without its scorer holds none under its key: ask again with it.</summary>
public sealed record ScorerMissing(string JobId, int BlockIndex) : IBlockReply;

/// <summary>τ for each candidate of the block, in the block's order.</summary>
public sealed record CandidateBlockScored(string JobId, int BlockIndex, double[] Scores) : IBlockReply;
