using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Diagnostics;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Fit;

/// <summary>
/// A ridge fit: preprocesses, chooses the features (plain or leverage sampling), runs the block rounds (in this
/// process or on a cluster's workers: <see cref="IBlockRounds"/>), reduces the partials in block order and solves. The
/// solve runs where this runs: in the caller's process, or on a cluster's coordinator.
/// </summary>
public sealed class KrrFitter
{
    private readonly IBlockRounds _rounds;

    public KrrFitter(IBlockRounds rounds) => _rounds = rounds;

    /// <summary>How the last fit's features were sampled (null for exact fits).</summary>
    public SamplingOutcome? LastSampling { get; private set; }

    /// <summary>The last primal fit's training MSE from its normal equations (<see cref="RidgeResidual"/>), when that
    /// can be trusted; null otherwise (exact and dual fits, nearly exact fits), when the rows must be predicted.</summary>
    public double? LastTrainMse { get; private set; }

    /// <summary>A fit and its errors: training MSE (from the normal equations when they can be trusted, else by predicting
    /// the training rows) and, with a test set, test MSE and the test predictions.</summary>
    public async Task<FitOutcome> FitEvaluatedAsync(string jobId, Dataset train, Dataset? test, FitSettings settings)
    {
        var clock = Stopwatch.StartNew();
        StageTimer.Mark("fit job started");
        var model = await FitAsync(jobId, train, settings);
        var predictor = new ModelPredictor(_rounds);
        double trainMse = LastTrainMse is double fromNormalEquations
            ? FromNormalEquations(fromNormalEquations)
            : _exactTrainPredictions is { } fitted
                ? Metrics.MeanSquaredError(train.Y, model.Preprocessing.InverseTransformTargets(fitted))
                : Metrics.MeanSquaredError(train.Y, await predictor.PredictAsync(jobId + "-train", model, train.X, "training-error blocks"));
        if (test is null) return new FitOutcome(model, trainMse, null, null, clock.Elapsed.TotalSeconds, LastSampling);
        var testPredictions = await predictor.PredictAsync(jobId + "-test", model, test.X, "test-error blocks");
        StageTimer.Mark("test predictions");
        return new FitOutcome(model, trainMse, Metrics.MeanSquaredError(test.Y, testPredictions), testPredictions,
            clock.Elapsed.TotalSeconds, LastSampling);
    }

    /// <summary>
    /// A streamed fit (<see cref="FitStreamedAsync"/>), then its training error — from the normal equations when they can
    /// be trusted (<see cref="RidgeResidual"/>: the identity ‖Y−Ψβ‖² = YᵀY − 2βᵀΨᵀY + βᵀΨᵀΨβ cancels catastrophically
    /// when the fit is nearly exact, and is then not used), else by streaming the file once more through the predict
    /// path — and its test error by streaming the test file. No test predictions: they would be as large as the file.
    /// </summary>
    public async Task<FitOutcome> FitStreamedEvaluatedAsync(string jobId, RowBlockSource train, int trainRows, Preprocessor pre,
        RowBlockSource? test, int testRows, FitSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var model = await FitStreamedAsync(jobId, train, trainRows, pre, settings);
        var predictor = new ModelPredictor(_rounds);
        double trainMse;
        if (LastTrainMse is double fromNormalEquations) trainMse = FromNormalEquations(fromNormalEquations);
        else
        {
            _rounds.Report($"training error: streaming {train.Path} again");
            trainMse = Mean(await predictor.SquaredErrorsAsync(jobId + "-train", model, train.Blocks(),
                new BlockPlan(trainRows, train.BlockSize).Count, "training-error blocks"), train, trainRows);
        }
        double? testMse = null;
        if (test is not null)
        {
            _rounds.Report($"test error: streaming {test.Path}");
            testMse = Mean(await predictor.SquaredErrorsAsync(jobId + "-test", model, test.Blocks(),
                new BlockPlan(testRows, test.BlockSize).Count, "test-error blocks"), test, testRows);
        }
        return new FitOutcome(model, trainMse, testMse, null, clock.Elapsed.TotalSeconds, LastSampling);
    }

    /// <summary>A primal fit's training error from ΨᵀΨ, Ψᵀy and yᵀy: no second pass over the training rows.</summary>
    private double FromNormalEquations(double mse)
    {
        _rounds.Report("training error from the normal equations (yᵀy − 2βᵀΨᵀy + βᵀΨᵀΨβ), no pass over the rows");
        return mse;
    }

    private static double Mean(SquaredErrorSum errors, RowBlockSource source, int rows) => errors.Rows == rows
        ? errors.Mean
        : throw new NtkCluster.Numerics.Errors.InvalidInputException(
            $"{source.Path} changed while it was being read: {rows} rows at first, {errors.Rows} later");

    /// <summary>
    /// The last exact fit's predictions on its own training rows, Kα = Y − λα (in the preprocessed target units): the
    /// ridge system (K + λI)α = Y gives them without K, which the solve has overwritten with its factor, and without
    /// evaluating the n×n kernel again. Null after any other fit.
    /// </summary>
    private Matrix<double>? _exactTrainPredictions;

    public async Task<KrrModel> FitAsync(string jobId, Dataset train, FitSettings s)
    {
        LastTrainMse = null;
        _exactTrainPredictions = null;
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        var y = pre.TransformTargets(train.Y);
        int n = x.RowCount;
        StageTimer.Mark("preprocessing fitted and applied");

        if (s.Exact)
        {
            FitPlanner.Plan(exact: true, n, 0);
            // K is factored in its own storage: the one n×n matrix of an exact fit, never held in a local of this async
            // method (which would keep it alive to the method's end), so it is garbage once solved.
            var alpha = SolveExact(await _rounds.KernelMatrixAsync(jobId, kernel, x), s.Lambda, y);
            _exactTrainPredictions = y - s.Lambda * alpha;
            return new KrrModel
            {
                ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = "none",
                Formulation = RidgeFormulation.Exact, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
                Preprocessing = pre, TrainingInputs = x, DualCoefficients = alpha,
            };
        }

        if (s.Features <= 0) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        FitPlanner.Plan(exact: false, n, FitPlanner.FeatureColumns(s.Features, kernel.DrawDimension(x.ColumnCount), kernel.FeatureDimension(x.ColumnCount)));
        var sampling = await new FeatureSampler(_rounds).SampleAsync(jobId, kernel, x, s, s.Features);
        LastSampling = sampling;
        StageTimer.Mark("features drawn");
        return await FitWithDrawsAsync(jobId, train, pre, x, y, sampling.Draws, s, sampling.Leverage);
    }

    /// <summary>
    /// α with (K + λI)α = Y, K overwritten by its factor; then K's memory is handed back at once, because the rounds
    /// that follow (the test predictions) would otherwise add their blocks on top of a dead n×n matrix.
    /// </summary>
    private Matrix<double> SolveExact(Matrix<double> k, double lambda, Matrix<double> y)
    {
        int n = k.RowCount;
        _rounds.Report($"solving the {n}×{n} system");
        var alpha = RidgeSolver.SolveInPlace(k, lambda, y);
        k = null!;
        if ((long)n * n >= LargeSystemDoubles) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return alpha;
    }

    /// <summary>An n×n system from which collecting its memory after the solve is worth a full collection (128 MiB).</summary>
    private const long LargeSystemDoubles = 16L << 20;

    /// <summary>
    /// The random-feature fit for given draws on preprocessed data: primal through ΨᵀΨ when M·d2 ≤ n, dual through ΨΨᵀ
    /// otherwise. Sweeps call it directly to fit many M against one candidate pool.
    /// </summary>
    /// <param name="leverage">How leverage-sampled draws were scored, for the model to record; null for plain draws.</param>
    public async Task<KrrModel> FitWithDrawsAsync(string jobId, Dataset train, Preprocessor pre, Matrix<double> x, Matrix<double> y,
        FeatureDraws draws, FitSettings s, LeverageProvenance? leverage)
    {
        int n = x.RowCount;
        var formulation = FitPlanner.Plan(exact: false, n, draws.ColumnCount);
        Matrix<double> beta;
        if (formulation == RidgeFormulation.Primal)
        {
            var (gram, cross) = await _rounds.GramAsync(jobId, draws, x, y);
            StageTimer.Mark("Gram round (feature maps, ΨᵀΨ, ΨᵀY, reduction)");
            beta = SolvePrimal(gram, cross, s);
            StageTimer.Mark("primal solve");
            var squares = new double[y.ColumnCount];
            RidgeResidual.AddSquares(squares, y);
            LastTrainMse = RidgeResidual.MeanSquaredError(gram, cross, beta, squares, pre.TargetScales, n);
        }
        else
        {
            var outer = await _rounds.OuterAsync(jobId, draws, x);
            _rounds.Report($"solving the {n}×{n} dual system");
            var alpha = RidgeSolver.SolveInPlace(outer, s.Lambda, y);
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
        if (s.Exact || s.Sampling != FeatureSampling.Plain)
            throw new InvalidOperationException("only plain random-feature fits stream; exact and leverage-sampled fits need all rows in memory");
        var draws = PlainPrimalDraws(s, train.FeatureNames.Length, rows,
            columns => new InvalidOperationException($"a streamed fit must be primal: {columns} feature columns > {rows} rows"));

        LastTrainMse = null;
        int streamed = 0;
        var squares = new double[train.TargetNames.Length];
        // Read in the Gram round's own blocks, exactly the blocks an in-memory fit of the same file cuts.
        train = train.WithBlockSize(BlockPlan.GramRowBlock(draws.ColumnCount));
        var blocks = train.Blocks().Select(b =>
        {
            streamed += b.Rows;
            var y = pre.TransformTargets(b.Y);
            RidgeResidual.AddSquares(squares, y);
            return b with { X = pre.TransformFeatures(b.X), Y = y };
        });
        var (gram, cross) = await _rounds.GramAsync(jobId, draws, blocks, train.TargetNames.Length,
            new BlockPlan(rows, train.BlockSize).Count);
        if (streamed != rows) throw new NtkCluster.Numerics.Errors.InvalidInputException(
            $"{train.Path} changed while it was being read: {rows} rows at first, {streamed} the second time");
        var beta = SolvePrimal(gram, cross, s);
        LastTrainMse = RidgeResidual.MeanSquaredError(gram, cross, beta, squares, pre.TargetScales, rows);
        return RandomFeatureModel(draws, s, RidgeFormulation.Primal, train.FeatureNames, train.TargetNames, pre, beta, leverage: null);
    }

    /// <summary>
    /// The fit of a partitioned dataset (<see cref="PartitionedDataset"/>). Random features in the primal form — plain,
    /// or leverage-sampled with scalable scores (<see cref="FeatureSampler.SamplePartitionedAsync"/>) — compute every
    /// round per partition: each partition reads its own rows where the round runs it (never through this process) and
    /// answers one partial — its column moments, then its ΨᵀΨ, ΨᵀY and Σy², then its squared errors — and the partials
    /// are reduced in partition order. The model depends on the partitioning alone: a dataset of one partition gives
    /// bitwise the model of <see cref="FitStreamedAsync"/> on the same file (its one partial added to zero is itself).
    /// Fits that need every row in one place — exact KRR, the dual form (M·d2 &gt; n), exact leverage scores — hold
    /// O(n²) anyway: within the memory limits their rows are gathered in partition order (a rows round) and fitted in
    /// memory exactly as the same rows loaded from one file (<see cref="FitEvaluatedAsync"/>), so the model is bitwise
    /// that fit's; beyond the limits they are refused with what to use instead.
    /// Then its training error (from the normal equations when they can be trusted, else a round over the training
    /// partitions or the gathered rows) and test error: over <paramref name="test"/>, or over the held-out side of
    /// <paramref name="split"/>'s hashed split of the training partitions (<see cref="RowHash"/>), always per partition.
    /// </summary>
    /// <param name="source">The training dataset as the user named it, for messages.</param>
    /// <param name="split">The training side of a hashed train/test split, or null to use every row.</param>
    /// <exception cref="InvalidInputException">No training rows, or a file changed.</exception>
    /// <exception cref="ResourceLimitException">A fit that needs all rows in one place on more rows than memory allows.</exception>
    public async Task<FitOutcome> FitPartitionedEvaluatedAsync(string jobId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, IReadOnlyList<DataPartition>? test, RowSplit? split, FitSettings s)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(columns);
        if (test is not null && split is not null) throw new ArgumentException("a test set or a split, not both", nameof(split));
        if (columns.Classify && columns.Classes is null) return await ClassifyPartitionedAsync(jobId, source, train, columns, test, split, s);
        var clock = Stopwatch.StartNew();
        LastTrainMse = null;
        LastSampling = null;
        var kernel = KernelSpec.Parse(s.KernelSpec);
        bool leverage = !s.Exact && s.Sampling == FeatureSampling.Leverage;
        // The hashed split and the hashed subsample decide a row by its index in the whole dataset, and gathered rows
        // carry it: each partition's first row must be known.
        if (split is not null || s.Exact || leverage) train = await _rounds.CountedAsync(jobId + "-count", train, source);
        var prepared = await PartitionedPreprocessing.PrepareAsync(_rounds, jobId, source, train, columns, split, s.Standardize, s.ScaleTarget, s.Normalize);
        long n = prepared.Rows;
        columns = prepared.Columns; // with --missing mean|median, the fills every later round applies
        int rows = checked((int)n);
        if (s.Features <= 0 && !s.Exact) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        int featureColumns = s.Exact ? 0 : checked(s.Features * kernel.FeatureDimension(columns.FeatureNames.Length));

        KrrModel model;
        double trainMse;
        if (NeedsAllRows(s, rows, featureColumns) is { } why)
        {
            train = await _rounds.CountedAsync(jobId + "-count", train, source: null);
            _rounds.Report($"{why}: gathering the {rows} training rows of {train.Count} partition(s) of {source} in partition order");
            // A "sample" as large as the data is every row, in global row order (RowSampleRounds: bounded requests).
            var gathered = await RowSampleRounds.GatherAsync(_rounds, jobId + "-rows", train, columns, split, s.Seed, rows, n);
            if (gathered.Rows.Length != rows)
                throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {gathered.Rows.Length} later");
            // One-hot columns stay 0/1 under --standardize, and the model keeps their encoding (as the single file's fit).
            var inMemory = await FitEvaluatedAsync(jobId, new Dataset(columns.FeatureNames, gathered.X, columns.FittedTargetNames, gathered.Y)
            {
                OneHot = columns.OneHot(), Categorical = columns.Categorical,
            }, null, s);
            (model, trainMse) = (inMemory.Model, inMemory.TrainMse);
            if (columns.Categorical is { Length: > 0 } encoding) model = model.WithPreprocessing(model.Preprocessing.WithCategorical(encoding));
        }
        else
        {
            var pre = prepared.Preprocessor;
            FeatureDraws draws;
            if (leverage)
            {
                FitPlanner.Plan(exact: false, rows, featureColumns);
                _rounds.Report($"leverage sampling: scoring candidates against the {rows} rows of {train.Count} partition(s), partition by partition");
                var sampling = await new FeatureSampler(_rounds).SamplePartitionedAsync(jobId, train, columns, split, pre, rows, kernel, s, s.Features);
                LastSampling = sampling;
                draws = sampling.Draws;
            }
            else draws = PlainPrimalDraws(s, columns.FeatureNames.Length, rows,
                columns => new InvalidOperationException($"a partitioned fit must be primal here: {columns} feature columns > {rows} rows"));
            _rounds.Report($"{rows} training rows in {train.Count} partition(s) of {source}");
            var gram = await _rounds.PartitionGramAsync(jobId, train, columns, split, pre, draws);
            if (gram.Rows != n) throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {gram.Rows} later");
            var beta = SolvePrimal(gram.Gram, gram.Cross, s);
            LastTrainMse = RidgeResidual.MeanSquaredError(gram.Gram, gram.Cross, beta, gram.Squares, pre.TargetScales, rows);
            model = RandomFeatureModel(draws, s, RidgeFormulation.Primal, columns.FeatureNames, columns.FittedTargetNames, pre, beta, LastSampling?.Leverage);
            if (LastTrainMse is double fromNormalEquations) trainMse = FromNormalEquations(fromNormalEquations);
            else
            {
                _rounds.Report($"training error: reading {source} again");
                var errors = await _rounds.PartitionSquaredErrorsAsync(jobId + "-train", train, columns, split, model, "training-error partitions");
                if (errors.Rows != n) throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {errors.Rows} later");
                trainMse = errors.Mean;
            }
        }

        double? testMse = null;
        long? testRows = null;
        if (test is not null || split is not null)
        {
            var (parts, side) = test is not null ? (test, (RowSplit?)null) : (train, split!.OtherSide());
            _rounds.Report(test is not null ? $"test error: {test.Count} partition(s)" : "test error: the held-out rows");
            var errors = await _rounds.PartitionSquaredErrorsAsync(jobId + "-test", parts, columns, side, model, "test-error partitions");
            if (errors.Rows == 0) throw new InvalidInputException($"{source}: no test rows" + (side is null ? "" : " on the held-out side of the split"));
            testMse = errors.Mean;
            testRows = errors.Rows;
        }
        // The rows counted on the way (the statistics round, the test errors): what --json reports as n_train and n_test.
        return new FitOutcome(model, trainMse, testMse, null, clock.Elapsed.TotalSeconds, LastSampling, TrainRows: n, TestRows: testRows);
    }

    /// <summary>
    /// <c>--task classify</c> on a partitioned dataset: the classes are the distinct labels of every partition (a labels
    /// round, merged in partition order); the fit is the multi-target fit of one ±1 column per class, built per
    /// partition as its rows are read (<see cref="PartitionColumns.Classes"/>), so it is the in-memory classifier's fit of
    /// the same rows wherever the in-memory fit would be the same; and the accuracy on the training and test rows is
    /// counted per partition (arg-max of the predicted scores) and merged in partition order.
    /// </summary>
    private async Task<FitOutcome> ClassifyPartitionedAsync(string jobId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, IReadOnlyList<DataPartition>? test, RowSplit? split, FitSettings s)
    {
        if (split is not null) train = await _rounds.CountedAsync(jobId + "-count", train, source);
        var labels = await _rounds.PartitionLabelsAsync(jobId + "-labels", train, columns, split);
        if (labels.Length == 0) throw new InvalidInputException($"{source}: no training rows" + (split is null ? "" : " after the split"));
        if (labels.Length < 2)
            throw new InvalidInputException($"{source}: the training rows hold only one class " +
                                            $"({columns.LabelNames?[labels[0]] ?? labels[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}) " +
                                            $"in '{columns.TargetNames[0]}': nothing to classify");
        var classes = columns.ClassesFound(labels, source);
        _rounds.Report($"{classes.Count} classes in '{classes.Column}': one-vs-rest ±1 targets, built per partition");
        var fit = await FitPartitionedEvaluatedAsync(jobId, source, train, columns with { Classes = classes }, test, split, s);
        var trainScore = await _rounds.PartitionClassificationAsync(jobId + "-train-accuracy", train, columns, split, fit.Model, classes,
            "training-accuracy partitions");
        ClassificationScore? testScore = null;
        if (test is not null || split is not null)
        {
            var (parts, side) = test is not null ? (test, (RowSplit?)null) : (train, split!.OtherSide());
            testScore = await _rounds.PartitionClassificationAsync(jobId + "-test-accuracy", parts, columns, side, fit.Model, classes,
                "test-accuracy partitions");
        }
        return fit with { Model = fit.Model.AsClassifier(classes), Classification = new ClassifierScores(classes, trainScore, testScore) };
    }

    /// <summary>
    /// Why a fit of <paramref name="rows"/> rows needs them all in one place — exact KRR, the dual form, exact leverage
    /// scores — or null when it runs per partition. Refuses (<see cref="ResourceLimitException"/>) such a fit beyond the
    /// memory limits, before any row is gathered.
    /// </summary>
    private static string? NeedsAllRows(FitSettings s, int rows, int featureColumns)
    {
        if (s.Exact)
        {
            FitPlanner.Plan(exact: true, rows, 0);
            return "exact KRR";
        }
        if (s.Sampling == FeatureSampling.Leverage && FeatureSampler.ResolveMode(s.LeverageMode, rows) == "exact")
        {
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(rows, rows, 4), $"exact leverage scores on n={rows} rows (n×n (K+λI)⁻¹)",
                "use --leverage scalable");
            return "exact leverage scores";
        }
        return FitPlanner.Plan(exact: false, rows, featureColumns) == RidgeFormulation.Dual ? "the dual form (M·d2 > n)" : null;
    }

    /// <summary>
    /// The plain draws of a fit whose rows are read as it goes (streamed or partitioned): they depend on the seed alone,
    /// and the fit must take the primal form, a sum over row blocks.
    /// </summary>
    /// <param name="notPrimal">The error to throw, given the feature columns, when M·d2 exceeds the rows.</param>
    private FeatureDraws PlainPrimalDraws(FitSettings s, int inputDimension, int rows, Func<int, Exception> notPrimal)
    {
        var kernel = KernelSpec.Parse(s.KernelSpec);
        if (s.Features <= 0) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        var sampling = FeatureSampler.Plain(kernel, inputDimension, s, s.Features);
        LastSampling = sampling;
        if (FitPlanner.Plan(exact: false, rows, sampling.Draws.ColumnCount) != RidgeFormulation.Primal) throw notPrimal(sampling.Draws.ColumnCount);
        return sampling.Draws;
    }

    private Matrix<double> SolvePrimal(Matrix<double> gram, Matrix<double> cross, FitSettings s)
    {
        _rounds.Report($"solving the {gram.RowCount}×{gram.RowCount} system");
        return RidgeSolver.Solve(gram, s.Lambda, cross);
    }

    private static KrrModel RandomFeatureModel(FeatureDraws draws, FitSettings s, RidgeFormulation formulation,
        string[] featureNames, string[] targetNames, Preprocessor pre, Matrix<double> beta, LeverageProvenance? leverage) => new()
        {
            ProgramVersion = ProgramInfo.Version, Kernel = draws.Kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = s.Sampling.Name(), Leverage = leverage,
            Formulation = formulation, FeatureNames = featureNames, TargetNames = targetNames,
            Preprocessing = pre, Draws = draws, Coefficients = beta,
        };
}
