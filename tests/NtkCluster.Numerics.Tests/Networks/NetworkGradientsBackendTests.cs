using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;
using Xunit;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// <see cref="NetworkGradients"/> on its matrix products (issue 18), on either backend, against the row-by-row loop it
/// replaced (kept here as the reference): the same sums to 1e-12, the same pattern flips, and bitwise the same partial
/// however often it is computed — on a width that spans several neuron slices, the last one partial.
/// </summary>
public sealed class NetworkGradientsBackendTests
{
    private const int N = 157, D = 7, Width = 1100;

    private static OpenBlasBackend Native =>
        DenseBackend.OpenBlas ?? throw new InvalidOperationException("libopenblas.so.0 is not installed (apt-get install libopenblas0)");

    public static TheoryData<string, NetworkRoundKind, bool> Cases()
    {
        var data = new TheoryData<string, NetworkRoundKind, bool>();
        foreach (var backend in new[] { "openblas", "managed" })
        {
            data.Add(backend, NetworkRoundKind.Gradient, false);
            data.Add(backend, NetworkRoundKind.Gradient, true);
            data.Add(backend, NetworkRoundKind.KernelProduct, true);
        }
        return data;
    }

    private static (Matrix<double> X, double[] Y, NetworkPoint Point) Data(NetworkRoundKind kind, bool withInitial)
    {
        var rng = new System.Random(17);
        var x = GaussianMatrix(N, D, rng);
        var y = Enumerable.Range(0, N).Select(i => Math.Sin(x[i, 0]) + x[i, 1] * x[i, 2]).ToArray();
        var w0 = GaussianMatrix(Width, D, rng);
        var w = w0 + 0.3 * GaussianMatrix(Width, D, rng); // moved enough that many patterns flip
        var signs = RandomSigns(Width, rng);
        var factors = RandomFactors(Width, rng);
        var point = kind == NetworkRoundKind.Gradient
            ? new NetworkPoint(kind, w, NetworkPoint.OutputScales(Width, signs, factors), 0.7, withInitial ? w0 : null)
            : new NetworkPoint(kind, w, NetworkPoint.FeatureScales(Width, factors), 1.0, w0);
        return (x, y, point);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Products_match_the_row_by_row_loop(string backendName, NetworkRoundKind kind, bool withInitial)
    {
        IDenseBackend backend = backendName == "managed" ? new ManagedDenseBackend() : Native;
        var (x, y, point) = Data(kind, withInitial);
        // Two row blocks, as a partition adds them, onto a non-zero start.
        var start = new NetworkRoundPartial(GaussianMatrix(Width, D, new System.Random(3)), 2.5, 11, 4);
        var expected = PlainLoop(point, x.SubMatrix(60, N - 60, 0, D), y[60..], PlainLoop(point, x.SubMatrix(0, 60, 0, D), y[..60], start));
        var actual = NetworkGradients.Accumulate(point, x.SubMatrix(60, N - 60, 0, D), y[60..],
            NetworkGradients.Accumulate(point, x.SubMatrix(0, 60, 0, D), y[..60], start, backend), backend);

        double scale = expected.Sum.FrobeniusNorm();
        Assert.True(scale > 1, "the sum is negligible: the check would be vacuous");
        double difference = (expected.Sum - actual.Sum).FrobeniusNorm() / scale;
        Assert.True(difference <= 1e-12, $"sum differs from the loop by {difference:E2} (relative)");
        Assert.True(Math.Abs(expected.Squares - actual.Squares) <= 1e-12 * expected.Squares, $"squares {actual.Squares} against {expected.Squares}");
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.PatternFlips, actual.PatternFlips);
        if (kind == NetworkRoundKind.Gradient && withInitial) Assert.True(actual.PatternFlips > 4 + 1000, "too few flips for the count to be tested");
        // The start is not changed, and a second computation gives the same bits.
        Assert.Equal(2.5, start.Squares);
        var again = NetworkGradients.Accumulate(point, x.SubMatrix(60, N - 60, 0, D), y[60..],
            NetworkGradients.Accumulate(point, x.SubMatrix(0, 60, 0, D), y[..60], start, backend), backend);
        Assert.True(again.Sum.Equals(actual.Sum) && again.Squares.Equals(actual.Squares), "not bitwise the same the second time");
    }

    [Fact]
    public void Partials_computed_on_concurrent_threads_are_bitwise_those_computed_alone()
    {
        var (x, y, point) = Data(NetworkRoundKind.Gradient, true);
        var start = NetworkRoundPartial.Zero(Width, D);
        var alone = NetworkGradients.Accumulate(point, x, y, start, Native);
        var concurrent = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => NetworkGradients.Accumulate(point, x, y, start, Native)).ToArray();
        foreach (var p in concurrent)
            Assert.True(p.Sum.Equals(alone.Sum) && p.Squares.Equals(alone.Squares) && p.PatternFlips == alone.PatternFlips);
    }

    /// <summary>The implementation before issue 18, row by row: z_r = w_rᵀx_i, f, e, then sum_r += e·s_r·x_i for active neurons.</summary>
    private static NetworkRoundPartial PlainLoop(NetworkPoint point, Matrix<double> x, double[] y, NetworkRoundPartial into)
    {
        int n = x.RowCount, d = x.ColumnCount, m = point.Weights.RowCount;
        bool kernel = point.Kind == NetworkRoundKind.KernelProduct;
        var w = point.Weights;
        var w0 = point.Initial;
        var sum = into.Sum.Clone();
        double squares = into.Squares;
        long flips = into.PatternFlips;
        for (int i = 0; i < n; i++)
        {
            var z = new double[m];
            var active = new bool[m];
            double f = 0;
            for (int r = 0; r < m; r++)
            {
                z[r] = Dot(w, r, x, i);
                bool initialOn = w0 is not null && Dot(w0, r, x, i) >= 0;
                active[r] = kernel ? initialOn : z[r] >= 0;
                if (active[r]) f += point.Scales[r] * z[r];
                if (!kernel && w0 is not null && active[r] != initialOn) flips++;
            }
            double e = kernel ? f : -point.Kappa * (y[i] - point.Kappa * f);
            squares += kernel ? f * f : (y[i] - point.Kappa * f) * (y[i] - point.Kappa * f);
            for (int r = 0; r < m; r++)
                if (active[r])
                    for (int j = 0; j < d; j++) sum[r, j] += e * point.Scales[r] * x[i, j];
        }
        return new NetworkRoundPartial(sum, squares, into.Rows + n, flips);
    }
}
