using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Networks;

namespace NtkCluster.Numerics.Models;

/// <summary>
/// A trained two-layer ReLU network (Def 3.5 / Def 3.8): predictions κ·f(W,x) = κ·(1/√m)·Σ_r a_r·c_r·σ(w_rᵀx).
/// </summary>
public sealed class NetworkModel : IPredictiveModel
{
    public required string ProgramVersion { get; init; }
    public required string[] FeatureNames { get; init; }
    public required string[] TargetNames { get; init; }
    public required Preprocessor Preprocessing { get; init; }

    /// <summary><c>gaussian</c> or <c>leverage</c>.</summary>
    public required string Init { get; init; }
    public required ulong Seed { get; init; }
    public required NetworkSetup Setup { get; init; }
    public required int Steps { get; init; }

    /// <summary>W(T), m × d.</summary>
    public required Matrix<double> Weights { get; init; }
    public required double[] Signs { get; init; }
    public required double[] Factors { get; init; }

    public Matrix<double> PredictTransformed(Matrix<double> x)
    {
        var block = new NeuronBlock(Setup, Weights, Signs, Factors);
        var u = block.Outputs(x);
        return Matrix<double>.Build.Dense(x.RowCount, 1, (i, _) => Setup.Kappa * u[i]);
    }
}
