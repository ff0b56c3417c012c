using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Dual fit, after the solve: the rows of β = Ψᵀα that belong to one feature block, β_f = Ψ_fᵀα.
/// Answered by <see cref="FeatureBlockProjected"/>.
/// </summary>
public sealed record ProjectFeatureBlock(string JobId, int BlockIndex, FeatureDraws Draws, int FirstDraw, int DrawCount,
    Matrix<double> X, Matrix<double> Alpha) : IBlockCommand
{
    public string EntityId => $"{JobId}.project.{BlockIndex}";
}

public sealed record FeatureBlockProjected(string JobId, int BlockIndex, Matrix<double> Coefficients) : IBlockReply;
