using System.Globalization;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster;

/// <summary>
/// A shift-invariant or dot-product kernel of the paper's family (§3.1), with its random-feature distribution p:
/// what <see cref="KernelRidge"/>, <see cref="RandomFeatureRidge"/> and the <c>--kernel</c> option of <c>ntk</c> take.
/// </summary>
public sealed class Kernel
{
    private Kernel(IFeatureKernel implementation) => Implementation = implementation;

    /// <summary>The Gaussian kernel k(x, z) = exp(−γ‖x − z‖²), with Fourier features w ∼ N(0, 2γI).</summary>
    public static Kernel Rbf(double gamma) => Parse(FormattableString.Invariant($"rbf:gamma={Check(gamma)}"));

    /// <summary>The Laplace kernel k(x, z) = exp(−γ‖x − z‖₁), with Fourier features w ∼ Cauchy(0, γ) per coordinate.</summary>
    public static Kernel Laplace(double gamma) => Parse(FormattableString.Invariant($"laplace:gamma={Check(gamma)}"));

    /// <summary>The neural tangent kernel of a two-layer ReLU network (Def 3.5), with features x·1[wᵀx ≥ 0], w ∼ N(0, I).</summary>
    public static Kernel Ntk() => Parse("ntk");

    /// <summary>A kernel from its <c>ntk</c> command-line spelling: <c>rbf:gamma=G</c>, <c>laplace:gamma=G</c> or <c>ntk</c>.</summary>
    /// <exception cref="Numerics.Errors.InvalidInputException">Not a known kernel or parameter.</exception>
    public static Kernel Parse(string spec) => new(KernelSpec.Parse(spec));

    /// <summary>The kernel's command-line spelling, as model files record it.</summary>
    public string Spec => Implementation.Spec;

    /// <summary>The math project's kernel, for code that works with the lower-level types.</summary>
    public IFeatureKernel Implementation { get; }

    /// <summary>k(x, z) for two rows.</summary>
    public double Evaluate(double[] x, double[] z)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(z);
        if (x.Length != z.Length) throw new ArgumentException($"rows of {x.Length} and {z.Length} columns", nameof(z));
        return Implementation.Evaluate(TableData.Row(x), TableData.Row(z))[0, 0];
    }

    public override string ToString() => Spec;

    private static string Check(double gamma) => gamma > 0 && double.IsFinite(gamma)
        ? gamma.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a positive finite number");
}
