using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// The scalable scorer for large n (after Li, Ton, Oglic and Sejdinovic, ICML 2019): (K+λI)⁻¹ is replaced through
/// Woodbury by the first-stage random-feature approximation ZZᵀ ≈ K,
/// (ZZᵀ+λI)⁻¹ = (1/λ)(I − Z(ZᵀZ+λI)⁻¹Zᵀ), so τ̃(w) = (‖Φ(w)‖²_F − tr[ΦᵀZ·C·ZᵀΦ])/λ with C = (ZᵀZ+λI)⁻¹ (s×s).
/// Rows are streamed in blocks: memory O(s·c·d2) per candidate block, time O(n·s·c·d2).
/// </summary>
/// <remarks>
/// τ̃ may undershoot τ, which would void Theorem 3.3. If ZZᵀ+λI ⪯ (1+ε₁)(K+λI) (the upper side of eq. 2 for the
/// first stage), then (K+λI)⁻¹ ⪯ (1+ε₁)(ZZᵀ+λI)⁻¹, so τ ≤ (1+ε₁)·τ̃; and always τ ≤ ‖Φ(w)‖²_F/λ because
/// (K+λI)⁻¹ ⪯ I/λ. The scorer returns min((1+ε₁)·τ̃, ‖Φ‖²/λ): an upper bound of τ whenever ε₁ bounds the first
/// stage's upper-side spectral error. The caller estimates ε₁ on a row subsample, so that part of the bound is as
/// good as the estimate (a subsample can only underestimate ε₁); the cap ‖Φ‖²/λ holds unconditionally.
/// </remarks>
public sealed class FirstStageLeverageScorer : ILeverageScorer
{
    private const int RowBlock = FirstStageScoreSums.RowBlock;
    private readonly IFeatureKernel _kernel;
    private readonly Matrix<double> _x;
    private readonly FeatureDraws _firstStage;
    private readonly Matrix<double> _c;
    private readonly double _lambda;

    /// <summary>
    /// The first-stage features Z of each row block, built once per scorer (on the node that scores) instead of once
    /// per candidate block: rebuilding them cost 40× the scoring itself at n = 20 000. Kept only while n·s stays
    /// under <see cref="CachedFeatureLimit"/> doubles; larger problems rebuild them per candidate block.
    /// </summary>
    private Matrix<double>?[]? _zBlocks;

    private const long CachedFeatureLimit = 48L << 20;   // 384 MiB of doubles

    /// <summary>The first stage's upper-side spectral error ε₁ used in the correction factor (1+ε₁).</summary>
    public double FirstStageEpsilon { get; }

    public string Mode => "scalable";

    /// <param name="firstStage">The first-stage draws that define Z = Ψ₁(X).</param>
    /// <param name="firstStageGram">Z ᵀZ, accumulated over row blocks by the workers.</param>
    /// <param name="firstStageEpsilon">ε₁ ≥ 0 with ZZᵀ+λI ⪯ (1+ε₁)(K+λI).</param>
    public FirstStageLeverageScorer(IFeatureKernel kernel, Matrix<double> x, FeatureDraws firstStage, Matrix<double> firstStageGram,
        double lambda, double firstStageEpsilon)
        : this(kernel, x, firstStage, lambda, CheckEpsilon(firstStageEpsilon),
            Solvers.RidgeSolver.Solve(firstStageGram, lambda, Matrix<double>.Build.DenseIdentity(firstStageGram.RowCount)))
    {
    }

    private FirstStageLeverageScorer(IFeatureKernel kernel, Matrix<double> x, FeatureDraws firstStage, double lambda, double firstStageEpsilon,
        Matrix<double> c)
    {
        _kernel = kernel;
        _x = x;
        _firstStage = firstStage;
        _lambda = lambda;
        FirstStageEpsilon = firstStageEpsilon;
        _c = c;
    }

    /// <summary>
    /// Rebuilds a scorer from the parts of another — how a scorer travels between nodes. C is taken as given, not
    /// solved again, so the rebuilt scorer scores bitwise as the original (and costs no O(s³) solve).
    /// </summary>
    /// <param name="inverse">C = (ZᵀZ+λI)⁻¹, s × s, as <see cref="Inverse"/> of the original.</param>
    public static FirstStageLeverageScorer FromParts(IFeatureKernel kernel, Matrix<double> x, FeatureDraws firstStage, Matrix<double> inverse,
        double lambda, double firstStageEpsilon)
    {
        int s = firstStage.ColumnCount;
        if (inverse.RowCount != s || inverse.ColumnCount != s)
            throw new ArgumentException($"C is {inverse.RowCount}×{inverse.ColumnCount}; {s} first-stage columns need {s}×{s}");
        return new FirstStageLeverageScorer(kernel, x, firstStage, lambda, CheckEpsilon(firstStageEpsilon), inverse);
    }

    private static double CheckEpsilon(double firstStageEpsilon) =>
        !(firstStageEpsilon >= 0) || double.IsInfinity(firstStageEpsilon)
            ? throw new ArgumentOutOfRangeException(nameof(firstStageEpsilon), "ε₁ must be finite and ≥ 0")
            : firstStageEpsilon;

    /// <summary>The kernel whose leverage is scored.</summary>
    public IFeatureKernel Kernel => _kernel;

    /// <summary>The training rows X (n × d).</summary>
    public Matrix<double> Inputs => _x;

    /// <summary>The first-stage draws that define Z.</summary>
    public FeatureDraws FirstStage => _firstStage;

    /// <summary>C = (ZᵀZ+λI)⁻¹ (s × s).</summary>
    public Matrix<double> Inverse => _c;

    /// <summary>λ, the ridge of the leverage function.</summary>
    public double Lambda => _lambda;

    public double[] Score(Matrix<double> candidates)
    {
        int d = _x.ColumnCount, d2 = _kernel.FeatureDimension(d);
        // The same sums and formula a partitioned dataset's scores are made of (FirstStageScoreSums), over in-memory rows.
        var sums = FirstStageScoreSums.Zero(_firstStage.ColumnCount, candidates.RowCount * d2);
        var rows = new BlockPlan(_x.RowCount, RowBlock);
        for (int b = 0; b < rows.Count; b++)
        {
            var xb = _x.SubMatrix(rows.Start(b), rows.Length(b), 0, d);
            sums = sums.AddRows(_kernel, FirstStageBlock(b, xb), xb, candidates);
        }
        return sums.Scores(d2, _c, _lambda, FirstStageEpsilon);
    }

    private Matrix<double> FirstStageBlock(int block, Matrix<double> xb)
    {
        if ((long)_x.RowCount * _firstStage.ColumnCount > CachedFeatureLimit) return FeatureMap.Build(_firstStage, xb);
        var cache = LazyInitializer.EnsureInitialized(ref _zBlocks, () => new Matrix<double>?[new BlockPlan(_x.RowCount, RowBlock).Count]);
        // Concurrent scorers may both build a block; they build the same values, and either copy is kept.
        return cache[block] ??= FeatureMap.Build(_firstStage, xb);
    }
}
