using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Validation;

/// <summary>
/// k-fold cross-validation of ridge regression on a partitioned dataset. Plain random features in the primal form take
/// the one-pass path below; classification, leverage sampling, exact KRR and the dual form fit each fold on its own
/// training rows (<see cref="PartitionedFoldFits"/>, as in-memory cross-validation does). Every round is computed per
/// partition and reduced in partition order, so the scores depend on the partitioning alone. A row's fold
/// is a hash of (fold seed, its global row index) (<see cref="RowFolds"/>), so nothing is shuffled: after a count round
/// (for each partition's first row) and a statistics round, on the one-pass path each kernel of the grid takes two rounds —
/// <list type="number">
/// <item>one Gram round: every partition answers k partials (ΨᵀΨ, ΨᵀY, Σy² of each fold's rows); the training Gram of
/// fold f is the sum of the other folds' partials in fold order (<see cref="FoldPartials.TrainingOf"/>), and every λ
/// of the grid is solved from it;</item>
/// <item>one error round: every partition predicts each of its rows with the models of the row's fold, all λ at once,
/// and answers the squared errors per (fold, λ).</item>
/// </list>
/// </summary>
/// <remarks>
/// On the one-pass path, preprocessing (<c>--standardize</c>, <c>--scale-target</c>, <c>--normalize</c>) is fitted once on all the rows being
/// cross-validated, not on each fold's training rows as in-memory cross-validation does: the features of one
/// preprocessing feed the Gram partials of every fold, which is what lets one pass serve all k folds. The held-out
/// fold's column means and scales thus enter its model's preprocessing (never its targets' fit); without those flags
/// the preprocessing is the identity and the scores are exactly those of k separate fits.
/// </remarks>
public sealed class PartitionedCrossValidator
{
    private readonly IBlockRounds _rounds;

    public PartitionedCrossValidator(IBlockRounds rounds) => _rounds = rounds;

    /// <param name="source">The dataset as the user named it, for messages.</param>
    /// <param name="split">The training side of a hashed train/test split (its held-out rows are never used), or null.</param>
    /// <param name="settings">Everything but the kernel and λ, which come from the grid.</param>
    /// <exception cref="InvalidInputException">A fold without rows, or a file that changed while it was read.</exception>
    /// <exception cref="ResourceLimitException">Exact KRR, the dual form or exact leverage scores on more rows than memory allows
    /// (as <c>ntk fit</c> refuses them).</exception>
    public async Task<PartitionedCrossValidationOutcome> RunAsync(string jobId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, RowSplit? split, RowFolds folds, IReadOnlyList<string> kernelSpecs, IReadOnlyList<double> lambdas,
        FitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(kernelSpecs);
        ArgumentNullException.ThrowIfNull(lambdas);
        ArgumentNullException.ThrowIfNull(settings);
        if (kernelSpecs.Count == 0 || lambdas.Count == 0) throw new ArgumentException("the grid is empty", nameof(kernelSpecs));
        if (settings.Features <= 0 && !settings.Exact) throw new ArgumentOutOfRangeException(nameof(settings), "the number of features must be positive");
        var clock = Stopwatch.StartNew();
        // A row's fold is decided by its index in the whole dataset: each partition's first row must be known.
        train = await _rounds.CountedAsync(jobId + "-count", train, source);
        // What one pass of fold Grams cannot do (classification, leverage, exact KRR, the dual form) is one fit per fold.
        var sizes = PartitionedFoldFits.FoldSizes(train, split, folds);
        int featureColumns = settings.Exact ? 0 : kernelSpecs.Max(spec =>
            checked(settings.Features * KernelSpec.Parse(spec).FeatureDimension(columns.FeatureNames.Length)));
        if (PartitionedFoldFits.Needed(columns, settings, featureColumns, sizes.Sum() - sizes.Max()))
        {
            if (sizes.Sum() == 0) throw new InvalidInputException($"{source}: no training rows" + (split is null ? "" : " after the split"));
            for (int f = 0; f < sizes.Length; f++)
                if (sizes[f] == 0) throw new InvalidInputException($"{source}: fold {f + 1} of {sizes.Length} has no rows ({sizes.Sum()} rows in all): use fewer --folds");
            return await new PartitionedFoldFits(_rounds).RunAsync(jobId, source, train, columns, split, folds, sizes, kernelSpecs, lambdas, settings, clock);
        }
        var prepared = await PartitionedPreprocessing.PrepareAsync(_rounds, jobId + "-stats", source, train, columns, split, settings.Standardize, settings.ScaleTarget, settings.Normalize);
        long n = prepared.Rows;
        columns = prepared.Columns; // with --missing mean|median, the fills every later round applies
        var pre = prepared.Preprocessor;

        int k = folds.Count, count = lambdas.Count, d = columns.FeatureNames.Length;
        var scores = new double[kernelSpecs.Count * count][];
        for (int g = 0; g < scores.Length; g++) scores[g] = new double[k];
        long[] foldRows = new long[k];
        for (int ki = 0; ki < kernelSpecs.Count; ki++)
        {
            string round = $"{jobId}-k{ki}";
            var kernel = KernelSpec.Parse(kernelSpecs[ki]);
            var draws = FeatureSampler.Plain(kernel, d, settings with { KernelSpec = kernelSpecs[ki] }, settings.Features).Draws;
            int m = draws.ColumnCount;
            // k fold sums, the training sum, its shifted copy and its factor.
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(m, m, k + 3), $"{k}-fold cross-validation with m={m} feature columns (k+3 m×m matrices)",
                "use fewer --features or --folds");
            _rounds.Report($"kernel {kernel.Spec}: fold Grams over {train.Count} partition(s) of {source}");
            var grams = await _rounds.PartitionFoldGramsAsync(round + "-gram", train, columns, split, folds, pre, draws);
            if (grams.Sum(g => g.Rows) != n)
                throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {grams.Sum(g => g.Rows)} later");
            for (int f = 0; f < k; f++)
            {
                foldRows[f] = grams[f].Rows;
                if (grams[f].Rows == 0) throw new InvalidInputException($"{source}: fold {f + 1} of {k} has no rows ({n} rows in all): use fewer --folds");
                if (grams[f].Rows != sizes[f])
                    throw new InvalidInputException($"{source} changed while it was being read: fold {f + 1} has {sizes[f]} rows by count, {grams[f].Rows} read");
            }
            var coefficients = new Matrix<double>[k];
            for (int f = 0; f < k; f++)
            {
                var training = FoldPartials.TrainingOf(grams, f);
                _rounds.Report($"kernel {kernel.Spec}, fold {f + 1}/{k}: solving the {m}×{m} system for {count} lambda(s)");
                coefficients[f] = Matrix<double>.Build.Dense(m, count * training.Cross.ColumnCount);
                for (int l = 0; l < count; l++)
                    coefficients[f].SetSubMatrix(0, l * training.Cross.ColumnCount, RidgeSolver.Solve(training.Gram, lambdas[l], training.Cross));
            }
            grams = [];
            var errors = await _rounds.PartitionFoldErrorsAsync(round + "-err", train, columns, split, folds,
                new FoldModels(pre, draws, coefficients, count));
            for (int f = 0; f < k; f++)
            {
                for (int l = 0; l < count; l++)
                {
                    var sum = errors[f * count + l];
                    if (sum.Rows != foldRows[f])
                        throw new InvalidInputException($"{source} changed while it was being read: fold {f + 1} had {foldRows[f]} rows, then {sum.Rows}");
                    scores[ki * count + l][f] = sum.Mean;
                }
            }
        }
        return new PartitionedCrossValidationOutcome(kernelSpecs.ToArray(), lambdas.ToArray(), scores, foldRows, clock.Elapsed.TotalSeconds)
        {
            TrainBaseline = Metrics.MeanBaselineSquaredError(prepared.Moments.Targets),
        };
    }
}
