using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster.Numerics.Features;

/// <summary>
/// The M draws w_1…w_M of a random-feature model and their importance weights p(w_r)/q(w_r) (Def 3.2).
/// Plain sampling (q = p) has all weights 1. The modified feature of row x is
/// ϕ(x) = (1/√M)·[√(weight_1)·φ(x,w_1)ᵀ, …, √(weight_M)·φ(x,w_M)ᵀ]ᵀ ∈ R^{M·d2}, so that E[ΨΨᵀ] = K.
/// </summary>
public sealed class FeatureDraws
{
    public IFeatureKernel Kernel { get; }
    public int InputDimension { get; }

    /// <summary>M × d1, one draw per row.</summary>
    public Matrix<double> Draws { get; }

    /// <summary>p(w_r)/q(w_r) for each draw.</summary>
    public double[] Weights { get; }

    public FeatureDraws(IFeatureKernel kernel, int inputDimension, Matrix<double> draws, double[] weights)
    {
        if (draws.ColumnCount != kernel.DrawDimension(inputDimension))
            throw new ArgumentException($"draws have {draws.ColumnCount} columns; kernel {kernel.Spec} on d={inputDimension} needs {kernel.DrawDimension(inputDimension)}");
        if (weights.Length != draws.RowCount) throw new ArgumentException("one weight per draw");
        // A weight is a density ratio p/q: a negative, zero or non-finite one makes Ψ meaningless (NaN scales).
        if (weights.Any(w => !(w > 0) || !double.IsFinite(w))) throw new ArgumentException("weights must be finite and positive");
        Kernel = kernel;
        InputDimension = inputDimension;
        Draws = draws;
        Weights = weights;
    }

    /// <summary>M, the number of draws.</summary>
    public int Count => Draws.RowCount;

    /// <summary>d2, the length of φ(x, w).</summary>
    public int FeatureDimension => Kernel.FeatureDimension(InputDimension);

    /// <summary>M·d2, the number of columns of Ψ.</summary>
    public int ColumnCount => Count * FeatureDimension;

    /// <summary>√(weight_r/M): the factor that multiplies φ(x, w_r) inside ϕ(x).</summary>
    public double Scale(int r) => Math.Sqrt(Weights[r] / Count);
}
