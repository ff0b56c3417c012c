using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Networks;

/// <summary>
/// The per-row arithmetic of data-parallel network training (<see cref="NetworkPoint"/>): everything a partition adds
/// for its rows, as a plain function of the rows, so the same code serves a partition read on a worker, in this process,
/// and the tests' closed forms. Rows are taken in order and neurons in order, so a partial depends on the rows alone.
/// </summary>
/// <remarks>
/// For the network f(W,x) = Σ_r s_r·σ(w_rᵀx) (s_r = a_r·c_r/√m, Def 3.5 and 3.8) and the loss ½‖Y − κ·f‖², the
/// unregularized gradient is ∂/∂w_r = −κ·s_r·Σ_i res_i·1[w_rᵀx_i ≥ 0]·x_i with res = Y − κ·f(W,X) — the gradient of
/// <see cref="NeuronBlock"/> without its λ·w_r term, which the coordinator adds once. For H(0) = ΦΦᵀ with
/// Φ_i = (s_r·1[w_r(0)ᵀx_i ≥ 0]·x_i)_r (s_r = c_r/√m), (Φv)_i = Σ_r s_r·1[w_r(0)ᵀx_i ≥ 0]·v_rᵀx_i and
/// (Φᵀe)_r = s_r·Σ_i e_i·1[w_r(0)ᵀx_i ≥ 0]·x_i.
/// </remarks>
public static class NetworkGradients
{
    /// <summary>Adds the rows <paramref name="x"/> (preprocessed, n×d) with targets <paramref name="y"/> (n; unread by a kernel product) into <paramref name="into"/>.</summary>
    public static NetworkRoundPartial Accumulate(NetworkPoint point, Matrix<double> x, double[] y, NetworkRoundPartial into)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(into);
        int n = x.RowCount, d = x.ColumnCount, m = point.Weights.RowCount;
        if (point.Weights.ColumnCount != d) throw new ArgumentException($"weights have {point.Weights.ColumnCount} columns for {d} features");
        if (point.Scales.Length != m) throw new ArgumentException($"{point.Scales.Length} scales for {m} neurons");
        bool kernel = point.Kind == NetworkRoundKind.KernelProduct;
        if (kernel && point.Initial is null) throw new ArgumentException("a kernel product needs the initial weights");
        if (!kernel && y.Length != n) throw new ArgumentException($"{y.Length} targets for {n} rows");
        var w = point.Weights.ToRowMajorArray();
        var w0 = point.Initial?.ToRowMajorArray();
        if (w0 is not null && w0.Length != w.Length) throw new ArgumentException("initial and current weights differ in shape");
        var rows = x.ToRowMajorArray();
        var sum = into.Sum.ToRowMajorArray();
        var s = point.Scales;
        var z = new double[m];
        var active = new bool[m];
        double squares = into.Squares, kappa = point.Kappa;
        long flips = into.PatternFlips;
        for (int i = 0; i < n; i++)
        {
            var xi = new ReadOnlySpan<double>(rows, i * d, d);
            // z_r = w_rᵀx_i (or v_rᵀx_i); the patterns are W(t)'s for a gradient, W(0)'s for a kernel product.
            double f = 0;
            for (int r = 0; r < m; r++)
            {
                double zr = Dot(w, r * d, xi);
                bool on = kernel ? Dot(w0!, r * d, xi) >= 0 : zr >= 0;
                z[r] = zr;
                active[r] = on;
                if (on) f += s[r] * zr;
                if (!kernel && w0 is not null && on != (Dot(w0, r * d, xi) >= 0)) flips++;
            }
            double e;
            if (kernel)
            {
                squares += f * f;
                e = f;
            }
            else
            {
                double res = y[i] - kappa * f;
                squares += res * res;
                e = -kappa * res;
            }
            if (e == 0) continue;
            for (int r = 0; r < m; r++)
            {
                if (!active[r]) continue;
                double a = e * s[r];
                int o = r * d;
                for (int j = 0; j < d; j++) sum[o + j] += a * xi[j];
            }
        }
        return new NetworkRoundPartial(Matrix<double>.Build.DenseOfRowMajor(m, d, sum), squares, into.Rows + n, flips);
    }

    private static double Dot(double[] w, int offset, ReadOnlySpan<double> x)
    {
        double acc = 0;
        for (int j = 0; j < x.Length; j++) acc += w[offset + j] * x[j];
        return acc;
    }
}
