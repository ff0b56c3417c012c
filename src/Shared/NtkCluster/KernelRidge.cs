using NtkCluster.Fit;

namespace NtkCluster;

/// <summary>
/// Exact kernel ridge regression: α = (K + λI)⁻¹y on the n×n kernel matrix, O(n²d) to build and O(n³) to solve —
/// the reference random features approximate. Like scikit-learn's <c>KernelRidge(alpha=λ)</c>.
/// </summary>
/// <example><code>var model = new KernelRidge(Kernel.Rbf(gamma: 0.02), lambda: 0.5).Fit(x, y);</code></example>
public sealed class KernelRidge(Kernel kernel, double lambda) : RidgeEstimator(kernel, lambda)
{
    private protected override FitSettings Settings() => BaseSettings() with { Exact = true };
}
