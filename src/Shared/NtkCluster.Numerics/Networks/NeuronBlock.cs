using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkCluster.Numerics.LinearAlgebra;
using SimdDouble = System.Numerics.Vector<double>;
using SimdVector = System.Numerics.Vector;

namespace NtkCluster.Numerics.Networks;

/// <summary>
/// A contiguous block of hidden neurons of the network of Def 3.5 with everything gradient descent needs: the
/// trainable first-layer weights w_r, the fixed output signs a_r ∈ {−1,+1}, the fixed importance factors
/// c_r = √(p(w_r(0))/q(w_r(0))) of the leverage-initialised network (eq. 9; 1 for Gaussian initialisation) and the
/// initial weights, for Lemma 4.1's diagnostics. Its contribution to the output is
/// u_b(x) = (1/√m)·Σ_{r∈b} a_r·c_r·σ(w_rᵀx); the network's output is the sum over blocks, in block order.
/// </summary>
/// <remarks>
/// <para>A step is two matrix products on the dense backend (<see cref="IDenseBackend.MultiplyInto"/>, dgemm with one
/// BLAS thread under OpenBLAS): the gradient Xᵀ·V of the masked, scaled residual V_ir = −κ·res_i·s_r·1[z_ir ≥ 0]
/// (s_r = a_r·c_r/√m), then, at the new weights, the pre-activations Z = X·W whose ReLU gives the block's outputs
/// σ(Z)·s. The hand-written SIMD loops this replaces ran at a tenth of numpy's rate.</para>
/// <para>Determinism: a product's bits depend on its operands and shapes only (one BLAS thread; the kernels OpenBLAS
/// chose for the CPU), and the element-wise passes between products (mask, ReLU sum over neurons in order 0…count−1,
/// update) do not depend on the machine's vector width. A block therefore steps to the same bits wherever it runs and
/// however it was restored (a restored block recomputes Z with the same product).</para>
/// <para>Layout, all column-major: X is the training rows n×d as MathNet stores them (no copy); W is d×count (neuron r's
/// weights contiguous); Z is n×count and is kept between steps, since step t+1's outputs and step t+1's gradient need
/// the same pre-activations. The step writes V over Z (Z(t) is dead once V is formed) and Z(t+1) over V, so a block
/// holds one n×count buffer however many steps it takes.</para>
/// </remarks>
public sealed class NeuronBlock
{
    private readonly double[] _w;          // d × count column-major: w[r·d + j]
    private readonly double[] _w0;
    private readonly double[] _outputScale; // s_r = a_r·c_r/√m
    private readonly int _d;
    private readonly IDenseBackend _backend;
    private Matrix<double>? _trainX;
    private double[]? _trainRows;           // n × d column-major training rows (MathNet's own storage when dense)
    private double[]? _z;                    // n × count pre-activations at the current weights, on the training rows
    private double[]? _gradient;             // d × count, reused between steps: large blocks would otherwise churn the large-object heap
    private double[]? _e;                    // n: −κ·res_i

    public NetworkSetup Setup { get; }
    public double[] Signs { get; }
    public double[] Factors { get; }

    /// <summary>Gradient steps taken so far: the weights are w(Step).</summary>
    public int Step { get; private set; }

    public int Count { get; }

    /// <param name="backend">The products' backend; <see cref="DenseBackend.Current"/> when null.</param>
    public NeuronBlock(NetworkSetup setup, Matrix<double> initialWeights, double[] signs, double[] factors, Matrix<double>? weights = null, int step = 0,
        IDenseBackend? backend = null)
    {
        if (signs.Length != initialWeights.RowCount || factors.Length != initialWeights.RowCount)
            throw new ArgumentException("one sign and one factor per neuron");
        if (weights is not null && (weights.RowCount != initialWeights.RowCount || weights.ColumnCount != initialWeights.ColumnCount))
            throw new ArgumentException("current and initial weights differ in shape");
        Setup = setup;
        Count = initialWeights.RowCount;
        _d = initialWeights.ColumnCount;
        _backend = backend ?? DenseBackend.Current;
        _w0 = initialWeights.ToRowMajorArray(); // count × d row-major = d × count column-major
        _w = (weights ?? initialWeights).ToRowMajorArray();
        Signs = signs;
        Factors = factors;
        Step = step;
        double invSqrtM = 1.0 / Math.Sqrt(setup.Width);
        _outputScale = new double[Count];
        for (int r = 0; r < Count; r++) _outputScale[r] = signs[r] * factors[r] * invSqrtM;
    }

    /// <summary>Current weights w_r(t), one neuron per row (count × d); a copy.</summary>
    public Matrix<double> Weights => Matrix<double>.Build.DenseOfRowMajor(Count, _d, _w);

    /// <summary>w_r(0); a copy.</summary>
    public Matrix<double> InitialWeights => Matrix<double>.Build.DenseOfRowMajor(Count, _d, _w0);

    /// <summary>u_b(x_i) = (1/√m)·Σ_{r∈b} a_r·c_r·σ(w_rᵀx_i) for every row of <paramref name="x"/> (without κ).</summary>
    public double[] Outputs(Matrix<double> x)
    {
        var z = ReferenceEquals(x, _trainX) && _z is not null ? _z : PreActivations(ColumnMajor(x), x.RowCount, _w, null);
        return ReluOutputs(z, x.RowCount);
    }

    /// <summary>
    /// ∂L/∂w_r = −κ·(a_r·c_r/√m)·Σ_i res_i·1[w_rᵀx_i ≥ 0]·x_i + λ·w_r for this block's neurons (count × d), where
    /// res = Y − κ·f(W,X) is the residual of the whole network at the current weights.
    /// </summary>
    public Matrix<double> Gradient(Matrix<double> x, double[] residual)
    {
        var z = TrainingPreActivations(x, residual);
        var v = (double[])z.Clone(); // the block's Z stays: this is a look, not a step
        return Matrix<double>.Build.DenseOfRowMajor(Count, _d, GradientOver(v, x.RowCount, residual));
    }

    /// <summary>One gradient-descent step w ← w − η·∂L/∂w with the network's residual at step <see cref="Step"/>.</summary>
    public void Advance(Matrix<double> x, double[] residual)
    {
        var z = TrainingPreActivations(x, residual);
        int n = x.RowCount;
        var g = GradientOver(z, n, residual); // z now holds V
        double eta = -Setup.LearningRate;
        int k = 0, length = _w.Length;
        if (SimdVector.IsHardwareAccelerated)
        {
            var ve = new SimdDouble(eta);
            for (; k <= length - SimdDouble.Count; k += SimdDouble.Count)
            {
                var w = new SimdDouble(_w, k);
                (w + ve * new SimdDouble(g, k)).CopyTo(_w, k);
            }
        }
        for (; k < length; k++) _w[k] += eta * g[k];
        Step++;
        _z = PreActivations(_trainRows!, n, _w, z);
    }

    /// <summary>Σ_{r∈b} ‖w_r‖², for the regularization term of the loss.</summary>
    public double SquaredNorm()
    {
        double s = 0;
        foreach (double v in _w) s += v * v;
        return s;
    }

    /// <summary>max_{r∈b} ‖w_r(t) − w_r(0)‖ (Lemma 4.1).</summary>
    public double MaxWeightMove()
    {
        double max = 0;
        for (int r = 0; r < Count; r++)
        {
            double s = 0;
            int o = r * _d;
            for (int j = 0; j < _d; j++) { double e = _w[o + j] - _w0[o + j]; s += e * e; }
            max = Math.Max(max, Math.Sqrt(s));
        }
        return max;
    }

    /// <summary>How many activation patterns 1[w_rᵀx_i ≥ 0] differ between w(0) and w(t), over rows of x and neurons of the block.</summary>
    public long PatternFlips(Matrix<double> x)
    {
        var rows = ColumnMajor(x);
        int n = x.RowCount;
        var now = ReferenceEquals(x, _trainX) && _z is not null ? _z : PreActivations(rows, n, _w, null);
        var then = PreActivations(rows, n, _w0, null);
        long flips = 0;
        for (int k = 0; k < then.Length; k++) if ((now[k] >= 0) != (then[k] >= 0)) flips++;
        return flips;
    }

    /// <summary>
    /// This block's part of the finite-width kernel H(t)_ij = (1/m)·Σ_r c_r²·x_iᵀx_j·1[w_rᵀx_i ≥ 0]·1[w_rᵀx_j ≥ 0]
    /// at the current (or the initial) weights: (XXᵀ) ∘ (PPᵀ) with P_ir = (c_r/√m)·1[w_rᵀx_i ≥ 0], two products on the
    /// backend (<see cref="Kernels.NtkKernel.OuterGram"/>).
    /// </summary>
    public Matrix<double> KernelPart(Matrix<double> x, bool initial = false)
    {
        var scales = new double[Count];
        double invSqrtM = 1.0 / Math.Sqrt(Setup.Width);
        for (int r = 0; r < Count; r++) scales[r] = Factors[r] * invSqrtM;
        return Kernels.NtkKernel.OuterGram(x, initial ? InitialWeights : Weights, scales);
    }

    /// <summary>Z on the training rows, computed (and the rows' storage taken) when <paramref name="x"/> is new to the block.</summary>
    private double[] TrainingPreActivations(Matrix<double> x, double[] residual)
    {
        if (residual.Length != x.RowCount) throw new ArgumentException($"residual has {residual.Length} entries for {x.RowCount} rows");
        if (!ReferenceEquals(x, _trainX) || _z is null)
        {
            _trainX = x;
            _trainRows = ColumnMajor(x);
            _z = PreActivations(_trainRows, x.RowCount, _w, null);
        }
        return _z;
    }

    /// <summary>
    /// Turns <paramref name="z"/> (n×count pre-activations) into V_ir = (−κ·res_i)·s_r·1[z_ir ≥ 0] in place and returns
    /// λ·W + XᵀV (d×count) in the reused gradient buffer.
    /// </summary>
    private double[] GradientOver(double[] z, int n, double[] residual)
    {
        int c = Count;
        var e = _e is { } old && old.Length == n ? old : _e = new double[n];
        double kappa = Setup.Kappa;
        for (int i = 0; i < n; i++) e[i] = -kappa * residual[i];
        for (int r = 0; r < c; r++) MaskColumn(z.AsSpan(r * n, n), e, _outputScale[r]);
        var g = _gradient ??= new double[_d * c];
        _backend.MultiplyInto(true, false, 1.0, _trainRows!, n, _d, z, n, c, 0.0, g);
        double lambda = Setup.Lambda;
        int k = 0, length = g.Length;
        if (SimdVector.IsHardwareAccelerated)
        {
            var vl = new SimdDouble(lambda);
            for (; k <= length - SimdDouble.Count; k += SimdDouble.Count)
                (vl * new SimdDouble(_w, k) + new SimdDouble(g, k)).CopyTo(g, k);
        }
        for (; k < length; k++) g[k] = lambda * _w[k] + g[k];
        return g;
    }

    /// <summary>column_i ← column_i ≥ 0 ? e_i·s : 0, element by element.</summary>
    private static void MaskColumn(Span<double> column, ReadOnlySpan<double> e, double s)
    {
        int i = 0, n = column.Length;
        ref double z = ref MemoryMarshal.GetReference(column);
        ref double er = ref MemoryMarshal.GetReference(e);
        if (SimdVector.IsHardwareAccelerated)
        {
            var vs = new SimdDouble(s);
            for (; i <= n - SimdDouble.Count; i += SimdDouble.Count)
            {
                var v = SimdVector.LoadUnsafe(ref z, (nuint)i);
                var masked = SimdVector.ConditionalSelect(SimdVector.GreaterThanOrEqual(v, SimdDouble.Zero), SimdVector.LoadUnsafe(ref er, (nuint)i) * vs, SimdDouble.Zero);
                SimdVector.StoreUnsafe(masked, ref z, (nuint)i);
            }
        }
        for (; i < n; i++) column[i] = column[i] >= 0 ? e[i] * s : 0.0;
    }

    /// <summary>u_i = Σ_r s_r·max(z_ir, 0), neurons in order 0…count−1 for every row (SIMD runs across rows, not neurons).</summary>
    private double[] ReluOutputs(double[] z, int n)
    {
        var u = new double[n];
        for (int r = 0; r < Count; r++)
        {
            double s = _outputScale[r];
            var column = z.AsSpan(r * n, n);
            int i = 0;
            if (SimdVector.IsHardwareAccelerated)
            {
                var vs = new SimdDouble(s);
                ref double zr = ref MemoryMarshal.GetReference(column);
                ref double ur = ref MemoryMarshal.GetArrayDataReference(u);
                for (; i <= n - SimdDouble.Count; i += SimdDouble.Count)
                {
                    var v = SimdVector.LoadUnsafe(ref zr, (nuint)i);
                    var add = SimdVector.ConditionalSelect(SimdVector.GreaterThan(v, SimdDouble.Zero), vs * v, SimdDouble.Zero);
                    SimdVector.StoreUnsafe(SimdVector.LoadUnsafe(ref ur, (nuint)i) + add, ref ur, (nuint)i);
                }
            }
            for (; i < n; i++)
            {
                double v = column[i];
                if (v > 0) u[i] += s * v;
            }
        }
        return u;
    }

    /// <summary>Z = X·W (n×count) by one product, into <paramref name="into"/> when given.</summary>
    private double[] PreActivations(double[] rows, int n, double[] w, double[]? into)
    {
        var z = into ?? new double[n * Count];
        _backend.MultiplyInto(false, false, 1.0, rows, n, _d, w, _d, Count, 0.0, z);
        return z;
    }

    /// <summary>The column-major storage of a dense matrix without a copy; other storages are copied once.</summary>
    private static double[] ColumnMajor(Matrix<double> x) => x is DenseMatrix dense ? dense.Values : x.ToColumnMajorArray();
}
