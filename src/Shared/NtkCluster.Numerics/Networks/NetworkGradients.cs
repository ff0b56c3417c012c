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
    /// <summary>
    /// Neurons per slice: the pre-activations of a row block are computed a slice at a time (rows × 512 doubles, 4 MiB
    /// for 1024 rows) rather than for all m neurons at once (128 MiB at m = 16 384). A constant, so the products — and
    /// with them the partial's bits — never depend on the number of workers or threads.
    /// </summary>
    public const int NeuronSlice = 512;

    /// <summary>
    /// Adds the rows <paramref name="x"/> (preprocessed, n×d) with targets <paramref name="y"/> (n; unread by a kernel
    /// product) into <paramref name="into"/> (which is left as it was).
    /// </summary>
    /// <remarks>
    /// Three passes, each a matrix product on <paramref name="backend"/> (dgemm on one BLAS thread under OpenBLAS, as a
    /// neuron block's step): Z = X·Wᵀ slice by slice, from which f_i = Σ_r s_r·1[on_ir]·z_ir (neurons in order 0…m−1
    /// for every row) and the activation pattern (kept as one byte per row and neuron); then e_i (−κ·res_i, or f_i) in
    /// row order; then the sum's rows for each slice, Vᵀ·X with V_ir = e_i·s_r·1[on_ir], added to
    /// <paramref name="into"/>. The row-by-row loop this replaces ran at a tenth of the products' rate.
    /// </remarks>
    /// <param name="backend">The products' backend; <see cref="LinearAlgebra.DenseBackend.Current"/> when null.</param>
    public static NetworkRoundPartial Accumulate(NetworkPoint point, Matrix<double> x, double[] y, NetworkRoundPartial into,
        LinearAlgebra.IDenseBackend? backend = null)
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
        if (point.Initial is { } initial && (initial.RowCount != m || initial.ColumnCount != d))
            throw new ArgumentException("initial and current weights differ in shape");
        backend ??= LinearAlgebra.DenseBackend.Current;
        var w = point.Weights.ToRowMajorArray();        // m × d row-major = d × m column-major: neuron r's weights at r·d
        var w0 = point.Initial?.ToRowMajorArray();
        var rows = x is MathNet.Numerics.LinearAlgebra.Double.DenseMatrix dense ? dense.Values : x.ToColumnMajorArray(); // n × d column-major
        var sum = into.Sum.ToRowMajorArray();            // m × d row-major, neuron r's sum at r·d
        var s = point.Scales;
        double squares = into.Squares, kappa = point.Kappa;
        long flips = into.PatternFlips;
        if (n == 0 || m == 0)
            return new NetworkRoundPartial(Matrix<double>.Build.DenseOfRowMajor(m, d, sum), squares, into.Rows + n, flips);

        int slice = Math.Min(NeuronSlice, m);
        var work = _workspace ??= new Workspace();
        var active = Workspace.Sized(ref work.Active, checked(n * m)); // 1[on_ir], column-major n × m; every entry written before it is read
        var f = new double[n];
        for (int r0 = 0; r0 < m; r0 += slice)
        {
            int c = Math.Min(slice, m - r0);
            var weights = Workspace.Exact(ref work.Weights, d * c);
            var z = Workspace.Exact(ref work.Z, n * c);
            var z0 = w0 is null ? null : Workspace.Exact(ref work.Z0, n * c);
            PreActivations(backend, rows, n, d, w, r0, c, weights, z);
            if (z0 is not null) PreActivations(backend, rows, n, d, w0!, r0, c, weights, z0);
            for (int r = 0; r < c; r++)
            {
                double sr = s[r0 + r];
                var zr = z.AsSpan(r * n, n);
                var on = active.AsSpan((r0 + r) * n, n);
                if (kernel)
                {
                    var pattern = z0!.AsSpan(r * n, n);
                    for (int i = 0; i < n; i++) on[i] = pattern[i] >= 0;
                }
                else
                {
                    for (int i = 0; i < n; i++) on[i] = zr[i] >= 0;
                    if (z0 is not null)
                    {
                        var then = z0.AsSpan(r * n, n);
                        for (int i = 0; i < n; i++) if (on[i] != (then[i] >= 0)) flips++;
                    }
                }
                for (int i = 0; i < n; i++) if (on[i]) f[i] += sr * zr[i];
            }
        }
        // e_i, and the squares in row order.
        var e = f; // f_i is read once, just before e_i replaces it
        for (int i = 0; i < n; i++)
        {
            if (kernel)
            {
                squares += f[i] * f[i];
            }
            else
            {
                double res = y[i] - kappa * f[i];
                squares += res * res;
                e[i] = -kappa * res;
            }
        }
        for (int r0 = 0; r0 < m; r0 += slice)
        {
            int c = Math.Min(slice, m - r0);
            var v = Workspace.Exact(ref work.Z, n * c);
            var gradient = Workspace.Exact(ref work.Gradient, d * c);
            for (int r = 0; r < c; r++)
            {
                double sr = s[r0 + r];
                var on = active.AsSpan((r0 + r) * n, n);
                var vr = v.AsSpan(r * n, n);
                for (int i = 0; i < n; i++) vr[i] = on[i] ? e[i] * sr : 0.0;
            }
            // (XᵀV)_(j,r) is d × c column-major = c × d row-major: neuron r0 + r's sum at (r0 + r)·d.
            backend.MultiplyInto(true, false, 1.0, rows, n, d, v, n, c, 0.0, gradient);
            var target = sum.AsSpan(r0 * d, c * d);
            for (int k = 0; k < target.Length; k++) target[k] += gradient[k];
        }
        return new NetworkRoundPartial(Matrix<double>.Build.DenseOfRowMajor(m, d, sum), squares, into.Rows + n, flips);
    }

    /// <summary>
    /// A compute thread's buffers, reused by the row blocks it accumulates: a 1024-row block of a width-16 384 network
    /// needs 16 MiB of patterns and 4 MiB slices, which allocated afresh per block would churn the large-object heap.
    /// </summary>
    private sealed class Workspace
    {
        public double[]? Weights, Z, Z0, Gradient;
        public bool[]? Active;

        public static T[] Sized<T>(ref T[]? kept, int length) => kept is { } k && k.Length >= length ? k : kept = new T[length];

        /// <summary>Exactly <paramref name="length"/> long, as the products' operands must be (the managed provider checks);
        /// kept for the next block unless it is a short last slice.</summary>
        public static double[] Exact(ref double[]? kept, int length)
        {
            if (kept is { } k && k.Length == length) return k;
            var fresh = new double[length];
            if (kept is null || length > kept.Length) kept = fresh;
            return fresh;
        }
    }

    [ThreadStatic] private static Workspace? _workspace;

    /// <summary>Z = X·W_sliceᵀ (n × c, column-major) for neurons r0 … r0+c−1 of the row-major weights <paramref name="w"/>.</summary>
    private static void PreActivations(LinearAlgebra.IDenseBackend backend, double[] rows, int n, int d, double[] w, int r0, int c,
        double[] weights, double[] z)
    {
        Array.Copy(w, (long)r0 * d, weights, 0, (long)c * d); // d × c column-major
        backend.MultiplyInto(false, false, 1.0, rows, n, d, weights, d, c, 0.0, z);
    }
}
