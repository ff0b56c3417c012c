using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// A kernel of the paper's family (§3.1, eq. 3): K(x,z) = E_{w∼p}[φ(x,w)ᵀφ(z,w)] with a feature map
/// φ: R^d × R^{d1} → R^{d2} and a density p on R^{d1}. One object answers all three views of the kernel — its
/// closed form, its density (to sample from and to evaluate), and its feature map — so that exact KRR, random
/// features and leverage sampling all speak about the same K.
/// </summary>
public interface IFeatureKernel
{
    /// <summary>The kernel's family name: <c>rbf</c>, <c>laplace</c>, <c>ntk</c>.</summary>
    string Name { get; }

    /// <summary>The canonical spec string that <see cref="KernelSpec.Parse"/> reads back, e.g. <c>rbf:gamma=0.5</c>.</summary>
    string Spec { get; }

    /// <summary>d1: the length of one draw w for inputs of dimension d.</summary>
    int DrawDimension(int inputDimension);

    /// <summary>d2: the length of φ(x,w) for inputs of dimension d.</summary>
    int FeatureDimension(int inputDimension);

    /// <summary>Draws one w ∼ p into <paramref name="draw"/> (length d1).</summary>
    void SampleDraw(DrawStream rng, Span<double> draw, int inputDimension);

    /// <summary>log p(w): leverage sampling needs the density ratio p/q.</summary>
    double LogDensity(ReadOnlySpan<double> draw, int inputDimension);

    /// <summary>The closed form K(x,z).</summary>
    double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> z);

    /// <summary>The closed-form kernel block K(A,B) with rows of A against rows of B.</summary>
    Matrix<double> Evaluate(Matrix<double> a, Matrix<double> b);

    /// <summary>
    /// Writes scale_r·φ(x_i, w_r) for every row x_i of <paramref name="x"/> and every draw w_r (rows of
    /// <paramref name="draws"/>) into <paramref name="output"/>, draw r occupying columns
    /// [offset + r·d2, offset + (r+1)·d2).
    /// </summary>
    void WriteFeatures(Matrix<double> x, Matrix<double> draws, ReadOnlySpan<double> scales,
        Matrix<double> output, int columnOffset);
}
