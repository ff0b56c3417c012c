using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Exact KRR, one row block: the closed-form kernel rows K(X_b, X) against the rows X it carries (for K(X, X), the rows
/// up to the block's last: its part of the lower triangle). Answered by <see cref="KernelRowsComputed"/>.
/// </summary>
public sealed record BuildKernelRows(string JobId, int BlockIndex, string KernelSpec, Matrix<double> XBlock, Matrix<double> X)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.kernel.{BlockIndex}";
}

public sealed record KernelRowsComputed(string JobId, int BlockIndex, Matrix<double> Rows) : IBlockReply;
