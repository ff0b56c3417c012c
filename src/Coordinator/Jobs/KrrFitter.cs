using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Progress;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// The coordinator's side of a ridge fit: preprocesses, chooses the features (plain or leverage sampling), runs
/// the block rounds on the workers, reduces the partials in block order and solves. The solve runs here, on the
/// coordinator's compute dispatcher.
/// </summary>
public sealed class KrrFitter
{
    private readonly BlockRounds _rounds;

    public KrrFitter(IActorRef region, RoundOptions options, Action<ProgressUpdate>? progress = null)
        : this(new BlockRounds(region, options, progress)) { }

    public KrrFitter(BlockRounds rounds) => _rounds = rounds;

    /// <summary>How the last fit's features were sampled (null for exact fits).</summary>
    public SamplingOutcome? LastSampling { get; private set; }

    /// <summary>The last primal fit's training MSE from its normal equations (<see cref="RidgeResidual"/>), when that
    /// can be trusted; null otherwise (exact and dual fits, nearly exact fits), when the rows must be predicted.</summary>
    public double? LastTrainMse { get; private set; }

    public async Task<KrrModel> FitAsync(string jobId, Dataset train, FitSettings s)
    {
        LastTrainMse = null;
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train.X, train.Y, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        var y = pre.TransformTargets(train.Y);
        int n = x.RowCount;

        if (s.Exact)
        {
            FitPlanner.Plan(exact: true, n, 0);
            var k = await _rounds.KernelMatrixAsync(jobId, kernel, x);
            _rounds.Report($"solving the {n}×{n} system");
            var alpha = RidgeSolver.Solve(k, s.Lambda, y);
            return new KrrModel
            {
                ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = "none",
                Formulation = RidgeFormulation.Exact, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
                Preprocessing = pre, TrainingInputs = x, DualCoefficients = alpha,
            };
        }

        if (s.Features <= 0) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        FitPlanner.Plan(exact: false, n, s.Features * kernel.FeatureDimension(x.ColumnCount));
        var sampling = await new FeatureSampler(_rounds).SampleAsync(jobId, kernel, x, s, s.Features);
        LastSampling = sampling;
        return await FitWithDrawsAsync(jobId, train, pre, x, y, sampling.Draws, s, sampling.Leverage);
    }

    /// <summary>
    /// The random-feature fit for given draws on preprocessed data: primal through ΨᵀΨ when M·d2 ≤ n, dual through ΨΨᵀ
    /// otherwise. Sweeps call it directly to fit many M against one candidate pool.
    /// </summary>
    /// <param name="leverage">How leverage-sampled draws were scored, for the model to record; null for plain draws.</param>
    public async Task<KrrModel> FitWithDrawsAsync(string jobId, Dataset train, Preprocessor pre, Matrix<double> x, Matrix<double> y,
        NtkCluster.Numerics.Features.FeatureDraws draws, FitSettings s, LeverageProvenance? leverage)
    {
        int n = x.RowCount;
        var formulation = FitPlanner.Plan(exact: false, n, draws.ColumnCount);
        Matrix<double> beta;
        if (formulation == RidgeFormulation.Primal)
        {
            var (gram, cross) = await _rounds.GramAsync(jobId, draws, x, y);
            beta = SolvePrimal(gram, cross, s);
            var squares = new double[y.ColumnCount];
            AddSquares(squares, y);
            LastTrainMse = RidgeResidual.MeanSquaredError(gram, cross, beta, squares, pre.TargetScales, n);
        }
        else
        {
            var outer = await _rounds.OuterAsync(jobId, draws, x);
            _rounds.Report($"solving the {n}×{n} dual system");
            var alpha = RidgeSolver.Solve(outer, s.Lambda, y);
            beta = await _rounds.ProjectAsync(jobId, draws, x, alpha);
        }
        return RandomFeatureModel(draws, s, formulation, train.FeatureNames, train.TargetNames, pre, beta, leverage);
    }

    /// <summary>
    /// The primal random-feature fit of a training file too large to hold, streamed in row blocks: each block is
    /// read, preprocessed and sent to a worker as the Gram round's window allows, and ΨᵀΨ and ΨᵀY are summed in block
    /// order exactly as for in-memory data — same blocks, same order — so the model is bitwise the one an in-memory
    /// fit of the same file gives. Only plain sampling streams: its draws depend on the seed alone, while leverage
    /// sampling, exact and dual fits need all rows at once.
    /// </summary>
    /// <param name="rows">The file's row count from the caller's first pass (which also gave <paramref name="pre"/>).</param>
    public async Task<KrrModel> FitStreamedAsync(string jobId, RowBlockSource train, int rows, Preprocessor pre, FitSettings s)
    {
        if (s.Exact || s.Sampling != "plain")
            throw new InvalidOperationException("only plain random-feature fits stream; exact and leverage-sampled fits need all rows in memory");
        var kernel = KernelSpec.Parse(s.KernelSpec);
        if (s.Features <= 0) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        var sampling = FeatureSampler.Plain(kernel, train.FeatureNames.Length, s, s.Features);
        LastSampling = sampling;
        var draws = sampling.Draws;
        if (FitPlanner.Plan(exact: false, rows, draws.ColumnCount) != RidgeFormulation.Primal)
            throw new InvalidOperationException($"a streamed fit must be primal: {draws.ColumnCount} feature columns > {rows} rows");

        LastTrainMse = null;
        int streamed = 0;
        var squares = new double[train.TargetNames.Length];
        // Read in the Gram round's own blocks, exactly the blocks an in-memory fit of the same file cuts.
        train = train.WithBlockSize(NtkCluster.Numerics.Features.BlockPlan.GramRowBlock(draws.ColumnCount));
        var blocks = train.Blocks().Select(b =>
        {
            streamed += b.Rows;
            var y = pre.TransformTargets(b.Y);
            AddSquares(squares, y);
            return b with { X = pre.TransformFeatures(b.X), Y = y };
        });
        var (gram, cross) = await _rounds.GramAsync(jobId, draws, blocks, train.TargetNames.Length,
            new NtkCluster.Numerics.Features.BlockPlan(rows, train.BlockSize).Count);
        if (streamed != rows) throw new NtkCluster.Numerics.Errors.InvalidInputException(
            $"{train.Path} changed while it was being read: {rows} rows at first, {streamed} the second time");
        var beta = SolvePrimal(gram, cross, s);
        LastTrainMse = RidgeResidual.MeanSquaredError(gram, cross, beta, squares, pre.TargetScales, rows);
        return RandomFeatureModel(draws, s, RidgeFormulation.Primal, train.FeatureNames, train.TargetNames, pre, beta, leverage: null);
    }

    /// <summary>Adds Σ y² per target column to <paramref name="squares"/>, one running sum per column in row order: the
    /// same additions whether the rows come at once or block by block, so streamed and in-memory fits agree bitwise.</summary>
    private static void AddSquares(double[] squares, Matrix<double> y)
    {
        for (int j = 0; j < squares.Length; j++)
            for (int i = 0; i < y.RowCount; i++) squares[j] += y[i, j] * y[i, j];
    }

    private Matrix<double> SolvePrimal(Matrix<double> gram, Matrix<double> cross, FitSettings s)
    {
        _rounds.Report($"solving the {gram.RowCount}×{gram.RowCount} system");
        return RidgeSolver.Solve(gram, s.Lambda, cross);
    }

    private static KrrModel RandomFeatureModel(NtkCluster.Numerics.Features.FeatureDraws draws, FitSettings s, RidgeFormulation formulation,
        string[] featureNames, string[] targetNames, Preprocessor pre, Matrix<double> beta, LeverageProvenance? leverage) => new()
    {
        ProgramVersion = ProgramInfo.Version, Kernel = draws.Kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = s.Sampling, Leverage = leverage,
        Formulation = formulation, FeatureNames = featureNames, TargetNames = targetNames,
        Preprocessing = pre, Draws = draws, Coefficients = beta,
    };
}
