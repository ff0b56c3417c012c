using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Primal fit, one row block: build Ψ_b for rows X_b over all draws and return Ψ_bᵀΨ_b and Ψ_bᵀY_b.
/// Answered by <see cref="GramBlockComputed"/>.
/// </summary>
public sealed record BuildGramBlock(string JobId, int BlockIndex, FeatureDraws Draws, Matrix<double> X, Matrix<double> Y)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.gram.{BlockIndex}";
}

/// <summary>Partial sums of one row block: Ψ_bᵀΨ_b (m×m) and Ψ_bᵀY_b (m×t).</summary>
public sealed record GramBlockComputed(string JobId, int BlockIndex, Matrix<double> Gram, Matrix<double> Cross) : IBlockReply;
