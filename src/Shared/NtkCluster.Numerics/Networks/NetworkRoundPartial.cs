using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Networks;

/// <summary>
/// One partition's answer to a data-parallel network round (<see cref="NetworkPoint"/>): an m×d sum over its rows (the
/// gradient partial, or Φᵀ(Φv)), a sum of squares over its rows (Σ(y − κ·f)², or ‖Φv‖²), its row count and, when asked,
/// its pattern flips. Partials are added in partition order.
/// </summary>
public sealed record NetworkRoundPartial(Matrix<double> Sum, double Squares, long Rows, long PatternFlips)
{
    public static NetworkRoundPartial Zero(int width, int inputDimension) => new(Matrix<double>.Build.Dense(width, inputDimension), 0.0, 0, 0);

    /// <summary>This partial plus <paramref name="other"/> (which comes next in partition order), in place.</summary>
    public NetworkRoundPartial Add(NetworkRoundPartial other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Sum.Add(other.Sum, Sum);
        return this with { Squares = Squares + other.Squares, Rows = Rows + other.Rows, PatternFlips = PatternFlips + other.PatternFlips };
    }
}
