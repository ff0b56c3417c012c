using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;
using SimdVector = System.Numerics.Vector<double>;
using Vector = System.Numerics.Vector;

namespace NtkCluster.Numerics.Spectral;

/// <summary>
/// All eigenvalues, and no eigenvectors, of a dense symmetric matrix: Householder reduction to tridiagonal form,
/// then the implicit QL iteration with Wilkinson shifts (EISPACK <c>tql1</c>, as in Numerical Recipes' <c>tqli</c>).
/// </summary>
/// <remarks>
/// <para>
/// Why not MathNet's <c>Evd(Symmetricity.Symmetric)</c>: it always accumulates the eigenvectors, which is most of
/// its cost (about 21 s for n = 2000 with the managed provider on two cores). Everything in this folder needs only
/// eigenvalues (s_λ, ‖K‖, the extreme generalized eigenvalues of eq. 5). Here the reduction costs about 2n³ flops
/// on the full (not just lower) storage, in one fused pass over the trailing block per step — each column is updated
/// by step k's rank-2 correction and immediately multiplied by step k+1's Householder vector while it is in cache —
/// and the tridiagonal QL is O(n²).
/// </para>
/// <para>
/// Accuracy: both stages are backward stable, so every computed eigenvalue is within about c·n·u·‖A‖₂ of an exact
/// one (u = 2⁻⁵³). Small eigenvalues therefore carry absolute, not relative, accuracy; callers that clamp tiny
/// negative eigenvalues of a PSD matrix rely on exactly this. The matrix is first scaled by a power of two (exact)
/// so that its largest entry lies in [1, 2), which keeps the unscaled sums of squares in the Householder step away
/// from overflow and underflow.
/// </para>
/// <para>
/// Determinism: columns of a step are split into fixed chunks and each column is computed by one thread in a fixed
/// order, so the result does not depend on the number of threads (it may depend on the SIMD width of the machine).
/// </para>
/// </remarks>
internal static class SymmetricEigenvalues
{
    /// <summary>Trailing sizes below this run a step on one thread: below it the fork/join costs more than it saves.</summary>
    private const int ParallelThreshold = 192;

    /// <summary>Columns per parallel work item.</summary>
    private const int ColumnChunk = 16;

    /// <summary>QL sweeps allowed per eigenvalue; about 1.5 are typical, so hitting this means something is broken.</summary>
    private const int MaxSweepsPerEigenvalue = 60;

    /// <summary>
    /// The eigenvalues of the symmetric matrix <paramref name="a"/>, ascending. The whole matrix is read and is
    /// expected to be exactly symmetric (callers symmetrize); <paramref name="a"/> is not modified.
    /// </summary>
    /// <exception cref="ArgumentException">Not square, or non-finite entries.</exception>
    /// <exception cref="NumericalFailureException">The QL iteration did not converge (should not happen for finite input).</exception>
    public static double[] Compute(Matrix<double> a)
    {
        if (a.RowCount != a.ColumnCount) throw new ArgumentException($"matrix is {a.RowCount}×{a.ColumnCount}, not square");
        int n = a.RowCount;
        double[] work = a.ToColumnMajorArray();

        double largest = 0;
        foreach (double v in work)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("matrix has a non-finite entry");
            largest = Math.Max(largest, Math.Abs(v));
        }
        if (largest == 0) return new double[n];

        // Exact power-of-two scaling: the largest entry lands in [1, 2). ScaleB per entry rather than one factor
        // 2^−exponent, which would overflow for a matrix of subnormal numbers (exponent below −1023).
        int exponent = Math.ILogB(largest);
        for (int i = 0; i < work.Length; i++) work[i] = Math.ScaleB(work[i], -exponent);

        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(work, n, d, e);
        TridiagonalQl(d, e);
        Array.Sort(d);
        for (int i = 0; i < n; i++) d[i] = Math.ScaleB(d[i], exponent);
        return d;
    }

    /// <summary>
    /// Reduces the full, column-major, symmetric n×n <paramref name="a"/> (destroyed) to tridiagonal T = QᵀAQ:
    /// diagonal in <paramref name="d"/>, subdiagonal in <paramref name="e"/>[0..n−2], e[n−1] = 0.
    /// </summary>
    /// <remarks>
    /// Step k annihilates A[k+2.., k] with H_k = I − τ·v·vᵀ acting on rows and columns k+1..n−1 of the trailing
    /// block A₂₂: with p = τ·A₂₂·v and w = p − (τ/2)(pᵀv)·v, H·A₂₂·H = A₂₂ − v·wᵀ − w·vᵀ (LAPACK dsytd2). Only the
    /// trailing block is ever touched, so the full storage stays symmetric bit for bit (each element receives
    /// the same two products, and IEEE addition commutes).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tridiagonalize(double[] a, int n, double[] d, double[] e)
    {
        if (n == 1)
        {
            d[0] = a[0];
            return;
        }

        var v = new double[n];
        var vNext = new double[n];
        var p = new double[n];
        var pNext = new double[n];
        var w = new double[n];

        // Prologue for step 0: its Householder vector and p = τ·A₂₂·v by a plain pass.
        double tau = 0;
        if (n >= 3)
        {
            tau = House(a, 0, n, 1, v, out e[0]);
            d[0] = a[0];
            if (tau != 0)
            {
                int r0 = n - 1;
                RunColumns(r0, j =>
                {
                    int column = (1 + j) * n + 1;
                    p[j] = tau * Dot(a.AsSpan(column, r0), v.AsSpan(0, r0));
                });
            }
        }

        for (int k = 0; k <= n - 3; k++)
        {
            int t = k + 1, r = n - t;          // trailing block: rows/columns t..n−1, size r
            bool update = tau != 0;
            if (update)
            {
                double alpha = -0.5 * tau * Dot(p.AsSpan(0, r), v.AsSpan(0, r));
                for (int i = 0; i < r; i++) w[i] = p[i] + alpha * v[i];
                RankTwoUpdate(a.AsSpan(t * n + t, r), v, w, 0, r);   // column t first: step k+1 reflects it
            }

            bool next = k + 1 <= n - 3;
            double tauNext = 0;
            if (next)
            {
                tauNext = House(a, t, n, t + 1, vNext, out e[t]);
                d[t] = a[t * n + t];
            }

            // Columns t+1..n−1: apply step k's update, then (fused) step k+1's matrix–vector product.
            if (r > 1 && (update || (next && tauNext != 0)))
            {
                double[] vk = v, wk = w, vn = vNext, pn = pNext;
                double tn = tauNext;
                bool dot = next && tauNext != 0;
                RunColumns(r - 1, jj =>
                {
                    int c = t + 1 + jj;
                    if (update) RankTwoUpdate(a.AsSpan(c * n + t, r), vk, wk, 1 + jj, r);
                    if (dot) pn[jj] = tn * Dot(a.AsSpan(c * n + t + 1, r - 1), vn.AsSpan(0, r - 1));
                });
            }

            (v, vNext) = (vNext, v);
            (p, pNext) = (pNext, p);
            tau = tauNext;
        }

        d[n - 2] = a[(n - 2) * n + n - 2];
        e[n - 2] = a[(n - 2) * n + n - 1];
        d[n - 1] = a[(n - 1) * n + n - 1];
        e[n - 1] = 0;
    }

    /// <summary>
    /// The Householder reflector of column <paramref name="column"/>, rows <paramref name="firstRow"/>..n−1
    /// (LAPACK dlarfg): H·x = β·e₁ with H = I − τ·v·vᵀ, v[0] = 1. Returns τ (0 when x is already a multiple of e₁).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double House(double[] a, int column, int n, int firstRow, double[] v, out double beta)
    {
        int len = n - firstRow;
        var x = a.AsSpan(column * n + firstRow, len);
        double alpha = x[0];
        double tailSquares = len > 1 ? Dot(x[1..], x[1..]) : 0.0;
        if (tailSquares == 0)
        {
            beta = alpha;
            return 0.0;
        }
        beta = -Math.CopySign(Math.Sqrt(alpha * alpha + tailSquares), alpha);
        double tau = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        v[0] = 1.0;
        for (int i = 1; i < len; i++) v[i] = x[i] * scale;
        return tau;
    }

    /// <summary>c[i] −= v[i]·w[j] + w[i]·v[j] for i in [0, r): one column of A₂₂ − v·wᵀ − w·vᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RankTwoUpdate(Span<double> c, double[] v, double[] w, int j, int r)
    {
        double vj = v[j], wj = w[j];
        var vs = v.AsSpan(0, r);
        var ws = w.AsSpan(0, r);
        int i = 0;
        if (Vector.IsHardwareAccelerated && r >= SimdVector.Count)
        {
            var cv = MemoryMarshal.Cast<double, SimdVector>(c);
            var vv = MemoryMarshal.Cast<double, SimdVector>(vs);
            var wv = MemoryMarshal.Cast<double, SimdVector>(ws);
            var vjv = new SimdVector(vj);
            var wjv = new SimdVector(wj);
            for (int q = 0; q < cv.Length; q++) cv[q] -= vv[q] * wjv + wv[q] * vjv;
            i = cv.Length * SimdVector.Count;
        }
        for (; i < r; i++) c[i] -= vs[i] * wj + ws[i] * vj;
    }

    /// <summary>xᵀy with a fixed summation order (SIMD lanes, then lanes in order, then the tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * SimdVector.Count)
        {
            var xv = MemoryMarshal.Cast<double, SimdVector>(x);
            var yv = MemoryMarshal.Cast<double, SimdVector>(y);
            SimdVector acc0 = SimdVector.Zero, acc1 = SimdVector.Zero;
            int q = 0;
            for (; q + 1 < xv.Length; q += 2)
            {
                acc0 += xv[q] * yv[q];
                acc1 += xv[q + 1] * yv[q + 1];
            }
            if (q < xv.Length) acc0 += xv[q] * yv[q];
            var acc = acc0 + acc1;
            for (int lane = 0; lane < SimdVector.Count; lane++) sum += acc[lane];
            i = xv.Length * SimdVector.Count;
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Runs <paramref name="body"/> for columns 0..count−1, in fixed chunks, in parallel when worth it.</summary>
    private static void RunColumns(int count, Action<int> body)
    {
        if (count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (int j = 0; j < count; j++) body(j);
            return;
        }
        int chunks = (count + ColumnChunk - 1) / ColumnChunk;
        Parallel.For(0, chunks, chunk =>
        {
            int end = Math.Min(count, (chunk + 1) * ColumnChunk);
            for (int j = chunk * ColumnChunk; j < end; j++) body(j);
        });
    }

    /// <summary>
    /// Eigenvalues of the symmetric tridiagonal matrix with diagonal <paramref name="d"/> and subdiagonal
    /// <paramref name="e"/> (e[i] couples d[i] and d[i+1]; e[n−1] = 0), into <paramref name="d"/>, unsorted; e is
    /// destroyed. Implicit QL with Wilkinson shifts; an off-diagonal counts as zero once
    /// |e[m]| ≤ u·(|d[m]| + |d[m+1]|) (the classical relative test) or |e[m]| ≤ u·‖T‖ (absolute). Either perturbs the
    /// eigenvalues by at most u·‖T‖, the accuracy the Householder stage already limits them to. The absolute test is
    /// needed for clusters of (near-)zero eigenvalues — a rank-deficient kernel matrix — where d and e both sit at
    /// the rounding level and the relative test may never be met.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TridiagonalQl(double[] d, double[] e)
    {
        int n = d.Length;
        const double eps = 2.220446049250313e-16;
        double norm = 0;
        for (int i = 0; i < n; i++)
            norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0.0));
        double absoluteTolerance = eps * norm;
        for (int l = 0; l < n; l++)
        {
            int sweeps = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= eps * dd || Math.Abs(e[m]) <= absoluteTolerance) break;
                }
                if (m == l) break;
                if (++sweeps > MaxSweepsPerEigenvalue)
                    throw new NumericalFailureException($"symmetric eigenvalues: QL iteration did not converge for eigenvalue {l} of {n}");

                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));
                double s = 1.0, c = 1.0, p = 0.0;
                int i;
                bool deflated = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = r = Hypot(f, g);
                    if (r == 0.0)
                    {
                        // Underflow split: the matrix decouples at i+1; restart the search from l.
                        d[i + 1] -= p;
                        e[m] = 0.0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (deflated) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0.0;
            } while (true);
        }
    }

    /// <summary>√(a² + b²) without overflow or destructive underflow.</summary>
    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double ratio = y / x;
        return x * Math.Sqrt(1.0 + ratio * ratio);
    }
}
