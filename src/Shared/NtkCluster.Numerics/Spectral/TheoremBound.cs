using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Spectral;

/// <summary>
/// The sample count of Theorem 3.3 (Lee, Shen, Song, Wang, Yu, NeurIPS 2020; a generalization of Lemma 8 of
/// Avron et al., ICML 2017) and the conditions under which it holds.
/// </summary>
/// <remarks>
/// <para>
/// The theorem, as stated in the paper: given λ ∈ (0, ‖K‖), the ridge leverage function q_λ of Def 3.1, any
/// measurable q̃_λ ≥ q_λ with finite s_q̃ = ∫ q̃_λ(w) dw, ε ∈ (0, 1/2) and δ ∈ (0, 1), draw w₁, …, w_m independently
/// from q̄_λ = q̃_λ / s_q̃ and build the modified random features Ψ of Def 3.2 with q = q̄_λ. If
/// <c>m ≥ 3·ε⁻²·s_q̃·ln(16·s_q̃·s_λ(K)/δ)</c>, then (1−ε)(K+λI) ⪯ ΨΨᵀ+λI ⪯ (1+ε)(K+λI) (eq. 5) with probability
/// at least 1−δ.
/// </para>
/// <para>
/// m counts draws w_r, not columns of Ψ: Ψ has m·d₂ columns (d₂ = 1 for the Fourier kernels, d for the NTK).
/// Plain sampling (q = p) is the case q̃_λ = s_q̃·p, whose s_q̃ must then be sup_w tr[Φ(w)ᵀ(K+λI)⁻¹Φ(w)] so that
/// q̃_λ ≥ q_λ holds; leverage sampling with the exact q_λ has s_q̃ = s_λ(K), the smallest possible value.
/// </para>
/// </remarks>
public static class TheoremBound
{
    /// <summary>
    /// 3·ε⁻²·s_q̃·ln(16·s_q̃·s_λ/δ): the number of draws m that Theorem 3.3 requires (any m at least this; round up).
    /// </summary>
    /// <remarks>
    /// The value is the formula for any ε &gt; 0; it is a guarantee only inside the theorem's hypotheses, which
    /// <see cref="Caveats"/> checks (ε &lt; 1/2, λ &lt; ‖K‖). Inside them s_λ(K) &gt; 1/2 and s_q̃ ≥ s_λ, so the
    /// logarithm's argument exceeds 4/δ and the result is positive.
    /// </remarks>
    /// <param name="epsilon">ε &gt; 0, the accuracy of eq. 5.</param>
    /// <param name="delta">δ ∈ (0, 1), the failure probability.</param>
    /// <param name="sq">s_q̃ = ∫ q̃_λ, the total mass of the (upper bound on the) leverage function sampled from.</param>
    /// <param name="sLambda">s_λ(K), the statistical dimension (eq. 4; <see cref="StatisticalDimension"/>).</param>
    /// <exception cref="InvalidInputException">
    /// A parameter is non-finite or out of range, or s_q̃ &lt; s_λ (impossible: q̃_λ ≥ q_λ pointwise integrates to
    /// s_q̃ ≥ s_λ, so such inputs do not describe any sampling distribution the theorem covers).
    /// </exception>
    public static double RequiredFeatures(double epsilon, double delta, double sq, double sLambda)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new InvalidInputException($"epsilon must be a positive finite number, got {Format(epsilon)}");
        if (!(delta > 0 && delta < 1)) throw new InvalidInputException($"delta must be in (0, 1), got {Format(delta)}");
        if (!(sLambda > 0) || !double.IsFinite(sLambda)) throw new InvalidInputException($"s_lambda must be a positive finite number, got {Format(sLambda)}");
        if (!(sq > 0) || !double.IsFinite(sq)) throw new InvalidInputException($"s_q must be a positive finite number, got {Format(sq)}");
        // A relative slack for s_q̃ = s_λ computed two ways (exact leverage sampling): rounding, not a violation.
        if (sq < sLambda * (1 - 1e-9))
            throw new InvalidInputException(
                $"s_q = {Format(sq)} is below s_lambda = {Format(sLambda)}; a q̃ ≥ q_λ has s_q ≥ s_lambda (Theorem 3.3)");
        return 3.0 / (epsilon * epsilon) * sq * Math.Log(16.0 * sq * sLambda / delta);
    }

    /// <summary>
    /// Notes, one per violated hypothesis of Theorem 3.3, for a run with accuracy ε, ridge λ and spectral norm
    /// ‖K‖₂ (<see cref="KernelSpectrum.SpectralNorm"/>); empty when the theorem applies.
    /// </summary>
    /// <remarks>
    /// Outside these ranges the bound of <see cref="RequiredFeatures"/> is still a number but no longer a guarantee:
    /// a report that quotes it should quote these notes with it. With λ ≥ ‖K‖ the ridge damps every direction of K
    /// (each μᵢ/(μᵢ+λ) ≤ 1/2, and s_λ(K) may fall below 1/2), a regime the theorem was not proved for.
    /// </remarks>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite.</exception>
    public static IReadOnlyList<string> Caveats(double epsilon, double lambda, double kernelNorm)
    {
        if (!double.IsFinite(epsilon)) throw new ArgumentException($"epsilon must be finite, got {Format(epsilon)}", nameof(epsilon));
        if (!double.IsFinite(lambda)) throw new ArgumentException($"lambda must be finite, got {Format(lambda)}", nameof(lambda));
        if (!double.IsFinite(kernelNorm)) throw new ArgumentException($"kernelNorm must be finite, got {Format(kernelNorm)}", nameof(kernelNorm));

        var notes = new List<string>();
        if (epsilon >= 0.5)
            notes.Add($"theorem needs ε < 1/2 (Theorem 3.3 assumes ε ∈ (0, 1/2)); got ε = {Format(epsilon)}, so the feature count is not a guarantee");
        else if (epsilon <= 0)
            notes.Add($"theorem needs ε > 0 (Theorem 3.3 assumes ε ∈ (0, 1/2)); got ε = {Format(epsilon)}");
        if (lambda <= 0)
            notes.Add($"theorem assumes λ > 0 (Theorem 3.3: λ ∈ (0, ‖K‖)); got λ = {Format(lambda)}");
        else if (lambda >= kernelNorm)
            notes.Add($"theorem assumes λ < ‖K‖ (spectral norm); got λ = {Format(lambda)} ≥ ‖K‖ = {Format(kernelNorm)}");
        return notes.AsReadOnly();
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
