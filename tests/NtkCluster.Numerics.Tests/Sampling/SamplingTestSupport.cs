using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// Data and independent reference computations for the leverage-sampling tests. Nothing here calls the scorers
/// under test: the feature blocks Φ(w) are written out from the kernels' definitions (§3.1) with plain loops, and
/// the quadratic forms go through MathNet's own Cholesky.
/// </summary>
internal static class SamplingTestSupport
{
    /// <summary>n × d points uniform in [−2, 2)^d from <c>new Random(seed)</c>.</summary>
    public static Matrix<double> Uniform(int n, int d, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(n, d, (_, _) => 4 * rng.NextDouble() - 2);
    }

    /// <summary>n × d Gaussian points scaled to unit Euclidean norm (the NTK's usual setting, ‖x‖ = 1).</summary>
    public static Matrix<double> UnitRows(int n, int d, int seed)
    {
        var rng = new System.Random(seed);
        var x = Matrix<double>.Build.Dense(n, d, (_, _) => Gaussian(rng));
        for (int i = 0; i < n; i++)
        {
            double norm = x.Row(i).L2Norm();
            for (int j = 0; j < d; j++) x[i, j] /= norm;
        }
        return x;
    }

    private static double Gaussian(System.Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// Φ(w) = [φ(x_1,w), …, φ(x_n,w)]ᵀ (n × d2) straight from the definitions: √2·cos(xᵀw_{1..d} + b) for the
    /// Fourier kernels (draw = [w, b]), diag(1[Xw ≥ 0])·X for the NTK.
    /// </summary>
    public static Matrix<double> Phi(IFeatureKernel kernel, Matrix<double> x, Vector<double> w)
    {
        int n = x.RowCount, d = x.ColumnCount;
        if (kernel is NtkKernel)
        {
            var phi = Matrix<double>.Build.Dense(n, d);
            for (int i = 0; i < n; i++)
            {
                double p = 0;
                for (int j = 0; j < d; j++) p += x[i, j] * w[j];
                if (p >= 0)
                    for (int j = 0; j < d; j++) phi[i, j] = x[i, j];
            }
            return phi;
        }
        var f = Matrix<double>.Build.Dense(n, 1);
        for (int i = 0; i < n; i++)
        {
            double p = 0;
            for (int j = 0; j < d; j++) p += x[i, j] * w[j];
            f[i, 0] = Math.Sqrt(2.0) * Math.Cos(p + w[d]);
        }
        return f;
    }

    /// <summary>τ(w) = tr[Φ(w)ᵀ(K+λI)⁻¹Φ(w)] for each candidate, through one MathNet Cholesky of K+λI.</summary>
    public static double[] NaiveTau(IFeatureKernel kernel, Matrix<double> x, Matrix<double> k, double lambda, Matrix<double> candidates)
    {
        var shifted = k + lambda * Matrix<double>.Build.DenseIdentity(k.RowCount);
        var cholesky = shifted.Cholesky();
        var tau = new double[candidates.RowCount];
        for (int r = 0; r < tau.Length; r++)
        {
            var phi = Phi(kernel, x, candidates.Row(r));
            var solved = cholesky.Solve(phi);
            tau[r] = phi.PointwiseMultiply(solved).Enumerate().Sum();
        }
        return tau;
    }

    /// <summary>‖Φ(w)‖²_F for each candidate, from <see cref="Phi"/>.</summary>
    public static double[] SquaredNorms(IFeatureKernel kernel, Matrix<double> x, Matrix<double> candidates) =>
        Enumerable.Range(0, candidates.RowCount)
            .Select(r => Math.Pow(Phi(kernel, x, candidates.Row(r)).FrobeniusNorm(), 2)).ToArray();

    /// <summary>Sample mean and standard error of the mean (sample standard deviation / √count).</summary>
    public static (double Mean, double StandardError) MeanAndError(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
