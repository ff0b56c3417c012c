using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Networks;

/// <summary>What a data-parallel network round computes on each partition's rows.</summary>
public enum NetworkRoundKind
{
    /// <summary>
    /// The unregularized gradient of ½‖Y − κ·f(W,X)‖² at <see cref="NetworkPoint.Weights"/>, and Σ(y − κ·f)²: a
    /// gradient-descent step's partial. With <see cref="NetworkPoint.Initial"/> also the activation patterns that
    /// differ from W(0).
    /// </summary>
    Gradient,

    /// <summary>
    /// Φᵀ(Φv) and ‖Φv‖² for the NTK feature map Φ of the network at <see cref="NetworkPoint.Initial"/> (H(0) = ΦΦᵀ) and
    /// the direction v = <see cref="NetworkPoint.Weights"/>: one power-iteration product for λ_max(H(0)), from which the
    /// default step size comes, without the n×n H(0).
    /// </summary>
    KernelProduct,
}

/// <summary>
/// The network as a data-parallel round sends it to every partition: m×d weights (or a direction in weight space), one
/// output scale per neuron and κ. Sent whole with every round's commands (m·d doubles, cut into frame-sized pieces by
/// the transport when large): the commands stay stateless, so a partition re-read on another worker after a loss is
/// asked exactly the same question.
/// </summary>
/// <param name="Kind">What to compute.</param>
/// <param name="Weights">W(t), one neuron per row (m × d); for <see cref="NetworkRoundKind.KernelProduct"/> the direction v.</param>
/// <param name="Scales">s_r per neuron: a_r·c_r/√m for a gradient, c_r/√m for a kernel product (<see cref="OutputScales"/>, <see cref="FeatureScales"/>).</param>
/// <param name="Kappa">κ, the output scale of the loss (ignored by a kernel product).</param>
/// <param name="Initial">W(0): the activation patterns of a kernel product (required), or the reference for pattern flips of a gradient (optional).</param>
public sealed record NetworkPoint(NetworkRoundKind Kind, Matrix<double> Weights, double[] Scales, double Kappa, Matrix<double>? Initial)
{
    /// <summary>a_r·c_r/√m, computed as <see cref="NeuronBlock"/> computes it (the same rounding).</summary>
    public static double[] OutputScales(int width, double[] signs, double[] factors)
    {
        double invSqrtM = 1.0 / Math.Sqrt(width);
        var s = new double[signs.Length];
        for (int r = 0; r < s.Length; r++) s[r] = signs[r] * factors[r] * invSqrtM;
        return s;
    }

    /// <summary>c_r/√m, the scales of H's feature map (as <see cref="NeuronBlock.KernelPart"/>).</summary>
    public static double[] FeatureScales(int width, double[] factors)
    {
        double invSqrtM = 1.0 / Math.Sqrt(width);
        var s = new double[factors.Length];
        for (int r = 0; r < s.Length; r++) s[r] = factors[r] * invSqrtM;
        return s;
    }
}
