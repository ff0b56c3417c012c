using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Tests.Spectral;

/// <summary>Matrices with a spectrum known in closed form: U·diag(k)·Uᵀ with U a random orthogonal matrix.</summary>
internal static class SpectralTestMatrices
{
    /// <summary>A rows×cols matrix of independent N(0,1) entries (Box–Muller on System.Random(seed)).</summary>
    public static Matrix<double> Gaussian(int rows, int cols, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) =>
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        });
    }

    /// <summary>The Q of the QR factorization of an n×n Gaussian matrix: a random orthogonal matrix.</summary>
    public static Matrix<double> RandomOrthogonal(int n, int seed) => Gaussian(n, n, seed).QR().Q;

    /// <summary>U·diag(values)·Uᵀ, exactly symmetrized (the products differ from their transpose in the last bits).</summary>
    public static Matrix<double> WithEigenvalues(Matrix<double> u, double[] values)
    {
        var m = u * Matrix<double>.Build.DenseOfDiagonalArray(values) * u.Transpose();
        return (m + m.Transpose()) * 0.5;
    }

    /// <summary>An n×n PSD matrix of the form x·xᵀ with x of the given rank, plus the random data behind it.</summary>
    public static Matrix<double> LowRankPsd(int n, int rank, int seed)
    {
        var x = Gaussian(n, rank, seed);
        var m = x * x.Transpose();
        return (m + m.Transpose()) * 0.5;
    }

    /// <summary>n points uniform in [−1, 1]^d.</summary>
    public static Matrix<double> UniformPoints(int n, int d, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(n, d, (_, _) => 2 * rng.NextDouble() - 1);
    }
}
