using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Dual fit, one feature block: build the columns Ψ_f of draws [FirstDraw, FirstDraw+DrawCount) for all rows and
/// return Ψ_fΨ_fᵀ (n×n); ΨΨᵀ is their sum over feature blocks. Answered by <see cref="OuterBlockComputed"/>.
/// </summary>
public sealed record BuildOuterBlock(string JobId, int BlockIndex, FeatureDraws Draws, int FirstDraw, int DrawCount, Matrix<double> X)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.outer.{BlockIndex}";
}

public sealed record OuterBlockComputed(string JobId, int BlockIndex, Matrix<double> Outer) : IBlockReply;
