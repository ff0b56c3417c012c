using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// Independent reference computations for the network tests, written straight from Def 3.5 with plain loops over
/// row-major neuron weights (one neuron per row): nothing here calls <c>NeuronBlock</c>.
/// </summary>
internal static class NetworkTestSupport
{
    /// <summary>f(W,x_i) = (1/√m)·Σ_r a_r·c_r·max(0, w_rᵀx_i) for every row of <paramref name="x"/>, m = <paramref name="width"/>.</summary>
    public static double[] F(Matrix<double> w, double[] signs, double[] factors, int width, Matrix<double> x)
    {
        var f = new double[x.RowCount];
        double scale = 1.0 / Math.Sqrt(width);
        for (int i = 0; i < x.RowCount; i++)
        {
            double s = 0;
            for (int r = 0; r < w.RowCount; r++) s += signs[r] * factors[r] * Math.Max(0.0, Dot(w, r, x, i));
            f[i] = scale * s;
        }
        return f;
    }

    /// <summary>w_rᵀx_i, summed over features in order 0…d−1.</summary>
    public static double Dot(Matrix<double> w, int r, Matrix<double> x, int i)
    {
        double s = 0;
        for (int j = 0; j < x.ColumnCount; j++) s += x[i, j] * w[r, j];
        return s;
    }

    /// <summary>L(W) = ½‖Y − κ·f(W,X)‖² + ½λ‖W‖²_F.</summary>
    public static double Loss(Matrix<double> w, double[] signs, double[] factors, int width, Matrix<double> x, double[] y, double kappa, double lambda)
    {
        var f = F(w, signs, factors, width, x);
        double fit = 0;
        for (int i = 0; i < y.Length; i++) { double e = y[i] - kappa * f[i]; fit += e * e; }
        double norm = 0;
        for (int r = 0; r < w.RowCount; r++)
            for (int j = 0; j < w.ColumnCount; j++) norm += w[r, j] * w[r, j];
        return 0.5 * fit + 0.5 * lambda * norm;
    }

    /// <summary>
    /// n rows of d Gaussian features, Gaussian targets, and a network of <paramref name="width"/> neurons (weights, random
    /// signs, non-unit factors) whose pre-activations all stay at least 1e-3 away from the ReLU kink (a neuron too close
    /// to a kink on some row is drawn again), so central differences of the loss are accurate.
    /// </summary>
    public static (Matrix<double> X, double[] Y, Matrix<double> W, double[] Signs, double[] Factors) KinkFreeNetwork(int n, int d, int width, int seed)
    {
        var rng = new System.Random(seed);
        var x = GaussianMatrix(n, d, rng);
        var y = Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();
        var w = Matrix<double>.Build.Dense(width, d);
        for (int r = 0; r < width; r++)
        {
            do
            {
                for (int j = 0; j < d; j++) w[r, j] = Gaussian(rng);
            } while (Enumerable.Range(0, n).Any(i => Math.Abs(Dot(w, r, x, i)) < 1e-3));
        }
        return (x, y, w, RandomSigns(width, rng), RandomFactors(width, rng));
    }

    /// <summary>A standard normal draw from <see cref="System.Random"/> (Box–Muller).</summary>
    public static double Gaussian(System.Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static Matrix<double> GaussianMatrix(int rows, int cols, System.Random rng) =>
        Matrix<double>.Build.Dense(rows, cols, (_, _) => Gaussian(rng));

    public static double[] RandomSigns(int count, System.Random rng) =>
        Enumerable.Range(0, count).Select(_ => rng.NextDouble() < 0.5 ? -1.0 : 1.0).ToArray();

    /// <summary>Non-unit importance factors c_r, uniform in [0.5, 2).</summary>
    public static double[] RandomFactors(int count, System.Random rng) =>
        Enumerable.Range(0, count).Select(_ => 0.5 + 1.5 * rng.NextDouble()).ToArray();

    /// <summary>min over rows i and neurons r of |w_rᵀx_i|: the distance to the nearest ReLU kink.</summary>
    public static double KinkMargin(Matrix<double> w, Matrix<double> x)
    {
        double min = double.PositiveInfinity;
        for (int i = 0; i < x.RowCount; i++)
            for (int r = 0; r < w.RowCount; r++) min = Math.Min(min, Math.Abs(Dot(w, r, x, i)));
        return min;
    }

    public static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    public static long[] Bits(Matrix<double> m) => Bits(m.ToColumnMajorArray());
}
