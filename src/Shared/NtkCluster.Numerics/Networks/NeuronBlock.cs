using MathNet.Numerics.LinearAlgebra;
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
/// Training runs thousands of tiny steps (n×d times d×count), where a general GEMM's overheads dominate, so the
/// block keeps its weights feature-major (w[j·count + r]) and works in SIMD over neurons: z_i = Σ_j x_ij·w_j is a
/// sequence of AXPYs, and so is the gradient. Only element-wise vector operations are used (no SIMD reductions), and
/// reductions over neurons run in one fixed scalar order, so results do not depend on the machine's vector width.
/// The pre-activations on the training rows are cached between steps: the patterns that give step t+1's outputs
/// are the ones step t+1's gradient needs.
/// </remarks>
public sealed class NeuronBlock
{
    private readonly double[] _w;          // d × count, feature-major
    private readonly double[] _w0;
    private readonly double[] _outputScale; // a_r·c_r/√m
    private readonly int _d;
    private Matrix<double>? _trainX;
    private double[]? _trainRows;           // n × d row-major copy of the training rows
    private double[]? _z;                    // n × count pre-activations at the current weights, on the training rows
    private double[]? _gradient;             // reused between steps: large blocks would otherwise churn the large-object heap
    private double[]? _scratch;

    public NetworkSetup Setup { get; }
    public double[] Signs { get; }
    public double[] Factors { get; }

    /// <summary>Gradient steps taken so far: the weights are w(Step).</summary>
    public int Step { get; private set; }

    public int Count { get; }

    public NeuronBlock(NetworkSetup setup, Matrix<double> initialWeights, double[] signs, double[] factors, Matrix<double>? weights = null, int step = 0)
    {
        if (signs.Length != initialWeights.RowCount || factors.Length != initialWeights.RowCount)
            throw new ArgumentException("one sign and one factor per neuron");
        if (weights is not null && (weights.RowCount != initialWeights.RowCount || weights.ColumnCount != initialWeights.ColumnCount))
            throw new ArgumentException("current and initial weights differ in shape");
        Setup = setup;
        Count = initialWeights.RowCount;
        _d = initialWeights.ColumnCount;
        _w0 = FeatureMajor(initialWeights);
        _w = FeatureMajor(weights ?? initialWeights);
        Signs = signs;
        Factors = factors;
        Step = step;
        double invSqrtM = 1.0 / Math.Sqrt(setup.Width);
        _outputScale = new double[Count];
        for (int r = 0; r < Count; r++) _outputScale[r] = signs[r] * factors[r] * invSqrtM;
    }

    /// <summary>Current weights w_r(t), one neuron per row (count × d); a copy.</summary>
    public Matrix<double> Weights => FromFeatureMajor(_w);

    /// <summary>w_r(0); a copy.</summary>
    public Matrix<double> InitialWeights => FromFeatureMajor(_w0);

    /// <summary>u_b(x_i) = (1/√m)·Σ_{r∈b} a_r·c_r·σ(w_rᵀx_i) for every row of <paramref name="x"/> (without κ).</summary>
    public double[] Outputs(Matrix<double> x)
    {
        var z = ReferenceEquals(x, _trainX) && _z is not null ? _z : PreActivations(RowMajor(x), x.RowCount, _w, null);
        int n = x.RowCount, c = Count;
        var u = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            int o = i * c;
            for (int r = 0; r < c; r++)
            {
                double v = z[o + r];
                if (v > 0) s += _outputScale[r] * v;
            }
            u[i] = s;
        }
        return u;
    }

    /// <summary>
    /// ∂L/∂w_r = −κ·(a_r·c_r/√m)·Σ_i res_i·1[w_rᵀx_i ≥ 0]·x_i + λ·w_r for this block's neurons (count × d), where
    /// res = Y − κ·f(W,X) is the residual of the whole network at the current weights.
    /// </summary>
    public Matrix<double> Gradient(Matrix<double> x, double[] residual) => FromFeatureMajor((double[])GradientFeatureMajor(x, residual).Clone());

    private double[] GradientFeatureMajor(Matrix<double> x, double[] residual)
    {
        int n = x.RowCount, c = Count;
        if (residual.Length != n) throw new ArgumentException($"residual has {residual.Length} entries for {n} rows");
        var z = TrainingPreActivations(x);
        var rows = _trainRows!;
        var g = _gradient ??= new double[_d * c];
        for (int k = 0; k < g.Length; k++) g[k] = Setup.Lambda * _w[k];
        var v = _scratch ??= new double[c];
        double kappa = Setup.Kappa;
        for (int i = 0; i < n; i++)
        {
            double ri = -kappa * residual[i];
            if (ri == 0) continue;
            int o = i * c;
            for (int r = 0; r < c; r++) v[r] = z[o + r] >= 0 ? ri * _outputScale[r] : 0.0;
            for (int j = 0; j < _d; j++) Axpy(g.AsSpan(j * c, c), rows[i * _d + j], v);
        }
        return g;
    }

    /// <summary>One gradient-descent step w ← w − η·∂L/∂w with the network's residual at step <see cref="Step"/>.</summary>
    public void Advance(Matrix<double> x, double[] residual)
    {
        var g = GradientFeatureMajor(x, residual);
        Axpy(_w, -Setup.LearningRate, g);
        Step++;
        _z = PreActivations(_trainRows!, x.RowCount, _w, _z);
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
            for (int j = 0; j < _d; j++) { double e = _w[j * Count + r] - _w0[j * Count + r]; s += e * e; }
            max = Math.Max(max, Math.Sqrt(s));
        }
        return max;
    }

    /// <summary>How many activation patterns 1[w_rᵀx_i ≥ 0] differ between w(0) and w(t), over rows of x and neurons of the block.</summary>
    public long PatternFlips(Matrix<double> x)
    {
        var rows = RowMajor(x);
        var now = PreActivations(rows, x.RowCount, _w, null);
        var then = PreActivations(rows, x.RowCount, _w0, null);
        long flips = 0;
        for (int k = 0; k < now.Length; k++) if ((now[k] >= 0) != (then[k] >= 0)) flips++;
        return flips;
    }

    /// <summary>
    /// This block's part of the finite-width kernel H(t)_ij = (1/m)·Σ_r c_r²·x_iᵀx_j·1[w_rᵀx_i ≥ 0]·1[w_rᵀx_j ≥ 0]
    /// at the current (or the initial) weights: ΨΨᵀ of the NTK features with draws w_r and scales c_r/√m.
    /// </summary>
    public Matrix<double> KernelPart(Matrix<double> x, bool initial = false)
    {
        var scales = new double[Count];
        double invSqrtM = 1.0 / Math.Sqrt(Setup.Width);
        for (int r = 0; r < Count; r++) scales[r] = Factors[r] * invSqrtM;
        return Kernels.NtkKernel.OuterGram(x, initial ? InitialWeights : Weights, scales);
    }

    private double[] TrainingPreActivations(Matrix<double> x)
    {
        if (!ReferenceEquals(x, _trainX) || _z is null)
        {
            _trainX = x;
            _trainRows = RowMajor(x);
            _z = PreActivations(_trainRows, x.RowCount, _w, null);
        }
        return _z;
    }

    /// <summary>
    /// z[i·count + r] = w_rᵀx_i, into <paramref name="into"/> when given. Each SIMD chunk of neurons accumulates over
    /// the d features in registers (features in order 0…d−1, the same order as the scalar tail), then is stored once.
    /// </summary>
    private double[] PreActivations(double[] rows, int n, double[] w, double[]? into)
    {
        int c = Count, d = _d, width = SimdDouble.Count;
        var z = into ?? new double[n * c];
        ref double wr = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(w);
        ref double zr = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(z);
        for (int i = 0; i < n; i++)
        {
            int xo = i * d, zo = i * c, k = 0;
            if (SimdVector.IsHardwareAccelerated)
            {
                for (; k <= c - width; k += width)
                {
                    var acc = SimdDouble.Zero;
                    for (int j = 0; j < d; j++) acc += new SimdDouble(rows[xo + j]) * SimdVector.LoadUnsafe(ref wr, (nuint)(j * c + k));
                    SimdVector.StoreUnsafe(acc, ref zr, (nuint)(zo + k));
                }
            }
            for (; k < c; k++)
            {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += rows[xo + j] * w[j * c + k];
                z[zo + k] = acc;
            }
        }
        return z;
    }

    /// <summary>y ← y + a·x, element-wise (each element's result is the same with or without SIMD).</summary>
    private static void Axpy(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        int k = 0, length = y.Length;
        ref double yr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        ref double xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        if (SimdVector.IsHardwareAccelerated && length >= SimdDouble.Count)
        {
            var va = new SimdDouble(a);
            for (; k <= length - SimdDouble.Count; k += SimdDouble.Count)
            {
                var sum = SimdVector.LoadUnsafe(ref yr, (nuint)k) + va * SimdVector.LoadUnsafe(ref xr, (nuint)k);
                SimdVector.StoreUnsafe(sum, ref yr, (nuint)k);
            }
        }
        for (; k < length; k++) System.Runtime.CompilerServices.Unsafe.Add(ref yr, k) += a * System.Runtime.CompilerServices.Unsafe.Add(ref xr, k);
    }

    private static double[] RowMajor(Matrix<double> x) => x.ToRowMajorArray();

    private static double[] FeatureMajor(Matrix<double> weights) => weights.ToColumnMajorArray(); // count × d column-major = d × count feature-major

    private Matrix<double> FromFeatureMajor(double[] w) => Matrix<double>.Build.Dense(Count, _d, (double[])w.Clone());
}
