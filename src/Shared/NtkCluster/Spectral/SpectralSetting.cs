using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Spectral;

/// <summary>
/// What <c>spectral</c> and <c>sweep</c> both prepare before measuring ε: the preprocessed training rows, the full
/// kernel matrix when n allows (or exact leverage scores need it), and the rows on which ε is measured — all of
/// them, or a seeded subsample whose ε is a lower bound. For a partitioned dataset (<see cref="PreparePartitionedAsync"/>)
/// <see cref="X"/> is itself a hashed sample of the rows (all of them when n is at most the exact-row limit).
/// </summary>
public sealed class SpectralSetting
{
    public required IFeatureKernel Kernel { get; init; }
    public required Preprocessor Preprocessing { get; init; }
    public required Matrix<double> X { get; init; }

    /// <summary>The rows of the dataset (on the training side): <see cref="X"/>'s rows, unless <see cref="X"/> is a
    /// sample of a partitioned dataset.</summary>
    public required long Population { get; init; }

    /// <summary>True when <see cref="X"/> is a sample of <see cref="Population"/> rows rather than all of them.</summary>
    public bool IsSample => X.RowCount < Population;

    /// <summary>K(X, X), or null when n is beyond both the exact-ε and the exact-leverage limits.</summary>
    public Matrix<double>? KernelMatrix { get; init; }

    /// <summary>True when ε is measured on all rows.</summary>
    public required bool ExactRows { get; init; }

    /// <summary>The rows ε is measured on, their features and their kernel matrix.</summary>
    public required Matrix<double> MeasuredX { get; init; }
    public required Matrix<double> MeasuredKernel { get; init; }

    public static async Task<SpectralSetting> PrepareAsync(IBlockRounds rounds, string jobId, Dataset train, FitSettings s, int exactRowLimit)
    {
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        int n = x.RowCount;
        bool exactRows = n <= exactRowLimit;
        bool exactScores = FeatureSampler.ResolveMode(s.LeverageMode, n) == "exact";
        var k = exactRows || exactScores ? await rounds.KernelMatrixAsync(jobId, kernel, x) : null;
        var rows = exactRows ? null : FeatureSampler.SubsampleRows(n, exactRowLimit, s.Seed);
        var xs = rows is null ? x : Matrix<double>.Build.Dense(rows.Length, x.ColumnCount, (i, j) => x[rows[i], j]);
        return new SpectralSetting
        {
            Kernel = kernel, Preprocessing = pre, X = x, Population = n, KernelMatrix = k, ExactRows = exactRows,
            MeasuredX = xs, MeasuredKernel = rows is null ? k! : kernel.Evaluate(xs, xs),
        };
    }

    /// <summary>
    /// The setting of a partitioned dataset, whose rows are never in one place: the preprocessing from the partitions'
    /// moments (merged in partition order), then a hashed sample of <paramref name="exactRowLimit"/> rows gathered in
    /// partition order (<see cref="RowSampleRounds"/>; every row when n ≤ the limit, so ε is then exact), preprocessed
    /// as the partition rounds preprocess rows. ε is measured on the sample and the kernel matrix is the sample's.
    /// </summary>
    /// <param name="source">The dataset as the user named it, for messages.</param>
    /// <param name="split">The training side of a hashed train/test split, or null for every row.</param>
    /// <exception cref="InvalidInputException">No rows (on the split's side), or a file changed.</exception>
    public static async Task<SpectralSetting> PreparePartitionedAsync(IBlockRounds rounds, string jobId, string source,
        IReadOnlyList<DataPartition> train, PartitionColumns columns, RowSplit? split, FitSettings s, int exactRowLimit)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(columns);
        var kernel = KernelSpec.Parse(s.KernelSpec);
        // The sample picks rows by their index in the whole dataset: every partition's range must be known.
        train = await rounds.CountedAsync(jobId + "-count", train, source);
        var prepared = await PartitionedPreprocessing.PrepareAsync(rounds, jobId + "-stats", source, train, columns, split, s.Standardize, s.ScaleTarget, s.Normalize);
        long n = prepared.Rows;
        columns = prepared.Columns; // with --missing mean|median, the fills every later round applies
        var pre = prepared.Preprocessor;
        var sample = await RowSampleRounds.GatherAsync(rounds, jobId + "-sample", train, columns, split, s.Seed, exactRowLimit, n);
        if (sample.Rows.Length != Math.Min(n, exactRowLimit))
            throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, then {sample.Rows.Length} sampled of {exactRowLimit}");
        var x = pre.TransformFeatures(sample.X);
        var k = await rounds.KernelMatrixAsync(jobId, kernel, x);
        return new SpectralSetting
        {
            Kernel = kernel, Preprocessing = pre, X = x, Population = n, KernelMatrix = k, ExactRows = n <= exactRowLimit,
            MeasuredX = x, MeasuredKernel = k,
        };
    }

    /// <summary>ε of eq. 2 for these draws; on a subsample it is a lower bound and marked as not exact.</summary>
    public SpectralReport Measure(FeatureDraws draws, double lambda)
    {
        var report = SpectralApproximation.Measure(MeasuredKernel, FeatureMap.Build(draws, MeasuredX), lambda);
        return ExactRows ? report : report with { IsExact = false };
    }
}
