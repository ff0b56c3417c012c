namespace NtkCluster.Numerics.Spectral;

/// <summary>
/// How well a feature matrix Ψ approximates a kernel matrix K in the sense of eq. 2/5:
/// (1−ε)(K+λI) ⪯ ΨΨᵀ+λI ⪯ (1+ε)(K+λI) holds exactly for ε ≥ <see cref="Epsilon"/>.
/// </summary>
/// <param name="Epsilon">
/// max(1 − μ_min, μ_max − 1) ≥ 0, the smallest ε for which eq. 5 holds on the rows measured. Always &lt; 1 from the
/// lower side (ΨΨᵀ+λI ≻ 0), so ε ≥ 1 means ΨΨᵀ overshoots K.
/// </param>
/// <param name="MinEigenvalue">μ_min, the smallest eigenvalue of the pencil (ΨΨᵀ+λI, K+λI).</param>
/// <param name="MaxEigenvalue">μ_max, the largest eigenvalue of that pencil.</param>
/// <param name="Rows">The number of rows (data points) the measurement used.</param>
/// <param name="IsExact">
/// True when all n rows were used, so <see cref="Epsilon"/> is the ε of eq. 5. False for a row subsample, where it
/// is only a lower bound on that ε (see <see cref="SpectralApproximation.MeasureOnSubsample"/>).
/// </param>
public sealed record SpectralReport(double Epsilon, double MinEigenvalue, double MaxEigenvalue, int Rows, bool IsExact);
