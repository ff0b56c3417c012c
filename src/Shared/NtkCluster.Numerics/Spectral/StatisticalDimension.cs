using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Spectral;

/// <summary>
/// The statistical dimension s_λ(K) = tr[(K+λI)⁻¹K] of eq. 4 — the integral of the ridge leverage function
/// q_λ of Def 3.1, and the quantity whose logarithm enters the feature count of Theorem 3.3.
/// </summary>
public static class StatisticalDimension
{
    /// <summary>
    /// s_λ(K) = Σ μᵢ/(μᵢ+λ) over the eigenvalues μᵢ of the symmetric PSD kernel matrix <paramref name="k"/>, tiny
    /// negative eigenvalues from rounding clamped to 0 (see <see cref="KernelSpectrum"/>).
    /// </summary>
    /// <remarks>
    /// Cost: one eigenvalue decomposition, O(n³) — about 0.3 s at n = 1000 and 1.3 s at n = 2000 on two cores. To
    /// evaluate several λ, or to also get ‖K‖, call <see cref="KernelSpectrum.Of"/> once and reuse it.
    /// </remarks>
    /// <exception cref="ArgumentException">K is not square, finite, symmetric and positive semi-definite.</exception>
    /// <exception cref="Errors.InvalidInputException">λ is not positive and finite.</exception>
    public static double Exact(Matrix<double> k, double lambda)
    {
        SymmetricInput.CheckLambda(lambda);
        return KernelSpectrum.Of(k).StatisticalDimension(lambda);
    }
}
