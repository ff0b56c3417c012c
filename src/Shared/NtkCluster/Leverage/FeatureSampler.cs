using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Random;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Leverage;

/// <summary>What feature sampling produced, with what the spectral diagnostics need to know about it.</summary>
public sealed record SamplingOutcome(
    FeatureDraws Draws,
    string Mode,
    double[]? PoolScores,
    double? ExactStatisticalDimension,
    double? FirstStageEpsilon,
    Matrix<double>? KernelMatrix)
{
    /// <summary>The rows the candidates were scored against: n′ in the <c>subsample</c> mode, n in the others; null for plain draws.</summary>
    public int? ScoringRows { get; init; }


    /// <summary>What a model sampled this way records (<see cref="KrrModel.Leverage"/>): the mode that ran and the
    /// pool size, for leverage sampling; null for plain draws, even when a pool was scored for the spectral report.</summary>
    public LeverageProvenance? Leverage => Mode is "exact" or "scalable" or "subsample" ? new LeverageProvenance(Mode, PoolScores!.Length) : null;
}

/// <summary>
/// Chooses the M random-feature draws of a fit: from p (plain), or from the ridge leverage distribution q_λ by
/// scoring a candidate pool on the workers and resampling it ∝ τ (Def 3.1, Def 3.2). Candidate blocks are keyed
/// on (seed, candidate-block index), so the pool, its scores and the selection do not depend on the workers.
/// </summary>
public sealed class FeatureSampler
{
    /// <summary>Up to this many rows, leverage scores use the exact (K+λI)⁻¹ (n×n, O(n³) once).</summary>
    public const int ExactLeverageRowLimit = 4000;

    /// <summary>Candidates per scoring request.</summary>
    public const int CandidateBlock = 256;

    private readonly IBlockRounds _rounds;

    public FeatureSampler(IBlockRounds rounds) => _rounds = rounds;

    /// <summary>The scoring that runs for a request on <paramref name="rows"/> rows: what a model records as its leverage mode.</summary>
    public static string ResolveMode(LeverageScoring requested, int rows) => requested switch
    {
        // Above the exact limit the subsample scorer: it scores against n′ ≤ n rows, so it never costs more than the
        // scalable mode (n′ = n when the estimated s_λ asks for every row), and usually far less.
        LeverageScoring.Auto => rows <= ExactLeverageRowLimit ? "exact" : "subsample",
        _ => requested.Name(),
    };

    public static int PoolSizeFor(FitSettings s, int features) => s.PoolSize > 0 ? s.PoolSize : (int)Math.Min(1_000_000L, Math.Max(20L * features, 10_000L));

    /// <summary>Plain sampling: M draws from p, keyed on the seed only — no data needed, which is what lets a streamed fit draw them.</summary>
    public static SamplingOutcome Plain(IFeatureKernel kernel, int inputDimension, FitSettings s, int features, Matrix<double>? kernelMatrix = null) =>
        new(PlainSampler.Sample(kernel, inputDimension, features, s.Seed), "plain", null, null, null, kernelMatrix);

    /// <param name="scorePoolForPlain">Also score a pool for plain sampling (the spectral report needs max τ).</param>
    public async Task<SamplingOutcome> SampleAsync(string jobId, IFeatureKernel kernel, Matrix<double> x, FitSettings s, int features,
        bool scorePoolForPlain = false, Matrix<double>? kernelMatrix = null)
    {
        int n = x.RowCount, d = x.ColumnCount;
        if (s.Sampling == FeatureSampling.Plain && !scorePoolForPlain) return Plain(kernel, d, s, features, kernelMatrix);

        string mode = ResolveMode(s.LeverageMode, n);
        ILeverageScorer scorer;
        double? sLambda = null, firstStageEpsilon = null;
        int? scoringRows = n;
        if (mode == "exact")
        {
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(n, n, 4), $"exact leverage scores on n={n} rows (n×n (K+λI)⁻¹)",
                "use --leverage scalable");
            kernelMatrix ??= await _rounds.KernelMatrixAsync(jobId + "-k", kernel, x);
            _rounds.Report($"factoring the {n}×{n} kernel for exact leverage scores");
            var exact = ExactLeverageScorer.Create(kernel, x, kernelMatrix, s.Lambda);
            sLambda = exact.StatisticalDimension;
            scorer = exact;
        }
        else if (mode == "subsample")
        {
            var order = SubsampleScoring.HashedOrder(n, s.Seed);
            var pilot = SubsampleScoring.Rows(x, SubsampleScoring.First(order, SubsampleScoring.PilotRows));
            var subsample = await SubsampleScorerAsync(jobId, kernel, pilot, count => RowsOf(x, order, count), n, s);
            (scorer, firstStageEpsilon, scoringRows) = (subsample, subsample.FirstStageEpsilon, subsample.Inputs.RowCount);
        }
        else
        {
            var firstStage = FirstStageDraws(kernel, d, n, s);
            var (gram, _) = await _rounds.GramAsync(jobId + "-z", firstStage, x, Matrix<double>.Build.Dense(n, 1));
            firstStageEpsilon = EstimateFirstStageEpsilon(kernel, x, firstStage, s.Lambda, s.Seed);
            _rounds.Report($"first stage: {firstStage.ColumnCount} feature columns, estimated upper spectral error ε₁ = {firstStageEpsilon:G3}");
            scorer = new FirstStageLeverageScorer(kernel, x, firstStage, gram, s.Lambda, firstStageEpsilon.Value);
        }

        var pool = CandidatePool(kernel, d, PoolSizeFor(s, features), s.Seed);
        var scores = await _rounds.ScoreAsync(jobId + "-tau", scorer, pool, CandidateBlock);
        if (s.Sampling == FeatureSampling.Leverage) WarnOfPoolFloor(scores);
        var draws = s.Sampling == FeatureSampling.Leverage
            ? LeverageSelection.Select(kernel, d, pool, scores, features, s.Seed)
            : PlainSampler.Sample(kernel, d, features, s.Seed);
        return new SamplingOutcome(draws, s.Sampling == FeatureSampling.Leverage ? mode : "plain", scores, sLambda, firstStageEpsilon, kernelMatrix)
        {
            ScoringRows = scoringRows,
        };
    }

    /// <summary>
    /// The subsample mode's scorer (<see cref="SubsampleScoring"/>): ŝ_λ on the pilot's kernel (λ scaled to the pilot),
    /// n′ from ŝ, the n′ hashed rows (a superset of the pilot), the first stage's ZᵀZ over them as a Gram round, ε₁ on the
    /// pilot at the pilot's scaled λ, and the scalable scorer on the n′ rows with λ′ = λ·n′/n. Its scores estimate τ(w) of
    /// (K, λ) and bound τ of (K_SS, λ′) from above, conditional on ε₁.
    /// </summary>
    /// <param name="pilot">The first <see cref="SubsampleScoring.PilotRows"/> hashed rows (all when fewer), preprocessed.</param>
    /// <param name="rowsOf">The first k hashed rows, preprocessed, in global row order.</param>
    /// <param name="population">n, all the training rows.</param>
    private async Task<FirstStageLeverageScorer> SubsampleScorerAsync(string jobId, IFeatureKernel kernel, Matrix<double> pilot,
        Func<int, Task<Matrix<double>>> rowsOf, long population, FitSettings s)
    {
        double pilotLambda = SubsampleScoring.ScaledLambda(s.Lambda, pilot.RowCount, population);
        double sHat = SubsampleScoring.PilotStatisticalDimension(kernel.Evaluate(pilot, pilot), s.Lambda, population);
        int scoringRows = SubsampleScoring.ScoringRows(sHat, population);
        var xs = scoringRows == pilot.RowCount ? pilot : await rowsOf(scoringRows);
        double lambda = SubsampleScoring.ScaledLambda(s.Lambda, xs.RowCount, population);
        var firstStage = FirstStageDraws(kernel, pilot.ColumnCount, xs.RowCount, s);
        var (gram, _) = await _rounds.GramAsync(jobId + "-z", firstStage, xs, Matrix<double>.Build.Dense(xs.RowCount, 1));
        double epsilon = FirstStageEpsilonOn(kernel, pilot, firstStage, pilotLambda);
        _rounds.Report($"subsample scoring: estimated s_λ {sHat:G3} on {pilot.RowCount} pilot rows, scoring against {xs.RowCount} of " +
                       $"{population} hashed rows with λ′ = {lambda:G3}; first stage {firstStage.ColumnCount} feature columns, ε₁ = {epsilon:G3}");
        return new FirstStageLeverageScorer(kernel, xs, firstStage, gram, lambda, epsilon);
    }

    private Task<Matrix<double>> RowsOf(Matrix<double> x, int[] order, int count) =>
        Task.FromResult(SubsampleScoring.Rows(x, SubsampleScoring.First(order, count)));

    /// <summary>
    /// Scalable leverage sampling on a partitioned dataset (already counted: every partition's first row is known),
    /// every row sum computed where its partition is read: ZᵀZ is a partition Gram round; ε₁ is estimated on the rows
    /// of a hashed row sample of <see cref="FirstStageSubsample"/> rows (<see cref="RowSampleRounds"/>); each candidate's ZᵀΦ and ‖Φ‖² are row sums per partition
    /// (<see cref="IBlockRounds.PartitionScoresAsync"/>). Only s×s matrices, the pool and one candidate group's sums
    /// are ever held here. The draws depend on the partitioning (block sums and the subsample), never on the workers.
    /// </summary>
    /// <param name="pre">The preprocessing fitted from the partitions' moments.</param>
    /// <param name="rows">The training rows (on the split's side).</param>
    public async Task<SamplingOutcome> SamplePartitionedAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, Preprocessor pre, int rows, IFeatureKernel kernel, FitSettings s, int features)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(pre);
        string mode = ResolveMode(s.LeverageMode, rows);
        if (s.Sampling != FeatureSampling.Leverage || mode is not ("scalable" or "subsample"))
            throw new ArgumentException("partition rounds score candidates in the scalable and subsample modes only", nameof(s));
        int d = columns.FeatureNames.Length;
        if (mode == "subsample")
        {
            // The n′ scoring rows are few by construction: gathered (hashed, as the ε₁ sample is) and scored in memory.
            async Task<Matrix<double>> Gather(int count, string suffix) => pre.TransformFeatures(
                (await RowSampleRounds.GatherAsync(_rounds, jobId + suffix, partitions, columns, split, s.Seed, count, rows)).X);
            var pilot = await Gather(SubsampleScoring.PilotRows, "-pilot");
            var scorer = await SubsampleScorerAsync(jobId, kernel, pilot, count => Gather(count, "-sub"), rows, s);
            var subPool = CandidatePool(kernel, d, PoolSizeFor(s, features), s.Seed);
            var subScores = await _rounds.ScoreAsync(jobId + "-tau", scorer, subPool, CandidateBlock);
            WarnOfPoolFloor(subScores);
            return new SamplingOutcome(LeverageSelection.Select(kernel, d, subPool, subScores, features, s.Seed), "subsample", subScores, null,
                scorer.FirstStageEpsilon, null)
            { ScoringRows = scorer.Inputs.RowCount };
        }
        var firstStage = FirstStageDraws(kernel, d, rows, s);
        var gram = await _rounds.PartitionGramAsync(jobId + "-z", partitions, columns, split, pre, firstStage);
        var sample = await RowSampleRounds.GatherAsync(_rounds, jobId + "-sub", partitions, columns, split, s.Seed, FirstStageSubsample, rows);
        double epsilon = FirstStageEpsilonOn(kernel, pre.TransformFeatures(sample.X), firstStage, s.Lambda);
        _rounds.Report($"first stage: {firstStage.ColumnCount} feature columns, estimated upper spectral error ε₁ = {epsilon:G3} " +
                       $"(on {sample.Rows.Length} hashed rows)");
        var leverage = FirstStageLeverage.Create(firstStage, gram.Gram, s.Lambda, epsilon);
        var pool = CandidatePool(kernel, d, PoolSizeFor(s, features), s.Seed);
        var scores = await _rounds.PartitionScoresAsync(jobId + "-tau", partitions, columns, split, pre, leverage, pool);
        WarnOfPoolFloor(scores);
        var draws = LeverageSelection.Select(kernel, d, pool, scores, features, s.Seed);
        return new SamplingOutcome(draws, "scalable", scores, null, epsilon, null) { ScoringRows = rows };
    }

    /// <summary>
    /// The pool's floor, measured: leverage draws converge to the pool's own kernel, whose whitened error is at least
    /// max τ / P − 1 (docs/science.md), so ε cannot fall below it at any M. Above 1 the user is told, with the pool that
    /// brings max τ / P to 1/2: 2·max τ candidates.
    /// </summary>
    private void WarnOfPoolFloor(double[] scores)
    {
        double floor = PoolFloor(scores);
        if (floor > 1)
            _rounds.Warn($"the candidate pool's floor: max τ / P = {floor:G3} over P = {scores.Length}, so ε stays above about {floor - 1:G3} " +
                         $"at any M; --pool {SuggestedPool(scores)} would bring it to 1/2");
    }

    /// <summary>max τ / P of scored candidates.</summary>
    public static double PoolFloor(double[] scores) => scores.Length == 0 ? 0 : scores.Max() / scores.Length;

    /// <summary>The pool size at which max τ / P is 1/2 for these scores: ⌈2·max τ⌉, rounded up to a candidate block.</summary>
    public static long SuggestedPool(double[] scores) =>
        (long)Math.Ceiling(2 * scores.Max() / CandidateBlock) * CandidateBlock;

    /// <summary>The scalable mode's first-stage draws: --first-stage, or about min(1024, n/2) feature columns.</summary>
    public static FeatureDraws FirstStageDraws(IFeatureKernel kernel, int d, int rows, FitSettings s)
    {
        int d2 = kernel.FeatureDimension(d);
        int firstStageDraws = s.FirstStageFeatures > 0 ? s.FirstStageFeatures : Math.Max(1, Math.Min(1024, Math.Max(1, rows / 2)) / d2);
        long firstStageColumns = (long)firstStageDraws * d2;
        MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(firstStageColumns, firstStageColumns, 4),
            $"the scalable first stage with {firstStageColumns} feature columns (s×s Gram and inverse)", "use a smaller --first-stage");
        return PlainSampler.Sample(kernel, d, firstStageDraws, s.Seed, DrawPurpose.FirstStage);
    }

    /// <summary>P candidates from p, in blocks keyed on (seed, candidate-block index).</summary>
    public static Matrix<double> CandidatePool(IFeatureKernel kernel, int d, int size, ulong seed) =>
        PlainSampler.SampleMatrix(kernel, d, size, seed, DrawPurpose.CandidatePool, CandidateBlock);

    /// <summary>Rows used to estimate the first stage's spectral error.</summary>
    public const int FirstStageSubsample = SubsampleScoring.PilotRows;

    /// <summary>
    /// ε₁ = max(0, μ_max − 1) with μ the generalized eigenvalues of (Z_SZ_Sᵀ+λI, K_SS+λI) on a seeded row subsample S:
    /// the upper-side error that the scalable scores are corrected by. A subsample can only underestimate the full
    /// ε₁, which is why docs/algorithms.md calls the corrected bound an estimate.
    /// </summary>
    public static double EstimateFirstStageEpsilon(IFeatureKernel kernel, Matrix<double> x, FeatureDraws firstStage, double lambda, ulong seed)
    {
        var rows = SubsampleRows(x.RowCount, FirstStageSubsample, seed);
        var xs = Matrix<double>.Build.Dense(rows.Length, x.ColumnCount, (i, j) => x[rows[i], j]);
        return FirstStageEpsilonOn(kernel, xs, firstStage, lambda);
    }

    /// <summary>ε₁ = max(0, μ_max − 1) on the (preprocessed) subsample rows <paramref name="xs"/>.</summary>
    public static double FirstStageEpsilonOn(IFeatureKernel kernel, Matrix<double> xs, FeatureDraws firstStage, double lambda)
    {
        var report = SpectralApproximation.Measure(kernel.Evaluate(xs, xs), FeatureMap.Build(firstStage, xs), lambda);
        return Math.Max(0.0, report.MaxEigenvalue - 1.0);
    }

    /// <summary>A seeded subset of row indices in increasing order (all rows when n ≤ size).</summary>
    public static int[] SubsampleRows(int n, int size, ulong seed) => Permutation.SortedSample(n, size, seed, DrawPurpose.SpectralSubsample);
}
