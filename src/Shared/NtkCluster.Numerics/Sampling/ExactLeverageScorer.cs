using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// τ(w) = tr[Φ(w)ᵀAΦ(w)] against the exact A = (K+λI)⁻¹, for data small enough to factor K+λI (O(n³) once,
/// then O(n²·d2) per candidate). For the NTK, Φ(w) = diag(s)X with s = 1[Xw ≥ 0], so τ(w) = sᵀ(A∘XXᵀ)s: B = A∘XXᵀ
/// is formed once and each candidate costs O(n²) instead of O(n²·d).
/// </summary>
public sealed class ExactLeverageScorer : ILeverageScorer
{
    private readonly IFeatureKernel _kernel;
    private readonly Matrix<double> _x;
    private readonly Matrix<double> _operator; // A, or A∘XXᵀ for the NTK

    public string Mode => "exact";

    /// <summary>s_λ = tr[(K+λI)⁻¹K] = n − λ·tr[(K+λI)⁻¹], exact (eq. 4).</summary>
    public double StatisticalDimension { get; }

    private ExactLeverageScorer(IFeatureKernel kernel, Matrix<double> x, Matrix<double> op, double sLambda)
    {
        _kernel = kernel;
        _x = x;
        _operator = op;
        StatisticalDimension = sLambda;
    }

    /// <summary>The kernel whose leverage is scored.</summary>
    public IFeatureKernel Kernel => _kernel;

    /// <summary>The training rows X (n × d).</summary>
    public Matrix<double> Inputs => _x;

    /// <summary>A = (K+λI)⁻¹, or A∘XXᵀ for the NTK (n × n).</summary>
    public Matrix<double> Operator => _operator;

    /// <summary>
    /// Rebuilds a scorer from the parts of one made by <see cref="Create"/> — how a scorer travels between nodes.
    /// Nothing is refactored, so the rebuilt scorer scores bitwise as the original (and costs no O(n³) solve).
    /// </summary>
    public static ExactLeverageScorer FromParts(IFeatureKernel kernel, Matrix<double> inputs, Matrix<double> op, double statisticalDimension)
    {
        if (op.RowCount != inputs.RowCount || op.ColumnCount != inputs.RowCount)
            throw new ArgumentException($"the operator is {op.RowCount}×{op.ColumnCount}; {inputs.RowCount} rows need {inputs.RowCount}×{inputs.RowCount}");
        return new ExactLeverageScorer(kernel, inputs, op, statisticalDimension);
    }

    /// <param name="k">The closed-form kernel matrix K(X,X).</param>
    public static ExactLeverageScorer Create(IFeatureKernel kernel, Matrix<double> x, Matrix<double> k, double lambda)
    {
        int n = x.RowCount;
        var inverse = RidgeSolver.Solve(k, lambda, Matrix<double>.Build.DenseIdentity(n));
        // Symmetrize: the two triangles of a computed inverse differ by rounding.
        inverse = (inverse + inverse.Transpose()) * 0.5;
        double sLambda = n - lambda * inverse.Trace();
        Matrix<double> op = kernel is NtkKernel
            ? inverse.PointwiseMultiply(DenseBackend.Current.OuterGram(x))
            : inverse;
        return new ExactLeverageScorer(kernel, x, op, sLambda);
    }

    public double[] Score(Matrix<double> candidates)
    {
        if (_kernel is NtkKernel)
        {
            var projections = DenseBackend.Current.MultiplyByTranspose(_x, candidates);
            var s = projections.Map(v => v >= 0 ? 1.0 : 0.0);
            return Clamp(CandidateFeatures.ColumnDots(s, DenseBackend.Current.Multiply(_operator, s)));
        }
        var phi = CandidateFeatures.Build(_kernel, _x, candidates);
        var dots = CandidateFeatures.ColumnDots(phi, DenseBackend.Current.Multiply(_operator, phi));
        return Clamp(CandidateFeatures.SumPerCandidate(dots, _kernel.FeatureDimension(_x.ColumnCount)));
    }

    /// <summary>τ ≥ 0 in exact arithmetic (A is positive definite); rounding can dip a dead neuron's 0 below it.</summary>
    private static double[] Clamp(double[] tau)
    {
        for (int i = 0; i < tau.Length; i++) tau[i] = Math.Max(0.0, tau[i]);
        return tau;
    }
}
