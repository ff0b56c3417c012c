using System.Diagnostics;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Spectral;

/// <summary>
/// <c>ntk sweep</c> on a partitioned dataset: for each M, seed and sampling (plain and leverage, as the in-memory sweep),
/// the partitioned fit of <see cref="KrrFitter.FitPartitionedEvaluatedAsync"/> (so a point's model is exactly
/// <c>ntk fit --train DIR</c>'s with that M, seed and sampling) gives the test MSE, and ε (eq. 2) is measured on a
/// bounded sample of the training rows — the <c>--exact-rows</c> rows of smallest hash (<see cref="RowSample"/>),
/// gathered by one partition round — so it is exact when the dataset has no more rows than that, and otherwise a lower
/// bound, as the in-memory sweep's subsample.
/// </summary>
/// <remarks>
/// Leverage points score one candidate pool of the size the largest M needs (<see cref="FeatureSampler.PoolSizeFor"/>), as
/// the in-memory sweep does, but each M's fit scores it again (the fit is <c>ntk fit</c>'s, unchanged): the same draws as
/// scoring once per seed, at the cost of a scoring pass per M. Scores are scalable ones computed per partition, or exact
/// ones of the gathered rows (<c>--leverage exact</c>, or auto up to 4000 rows), which then equal the in-memory sweep's.
/// Exact KRR's error is reported when the sample is the whole dataset (the exact fit then needs only rows that are
/// already gathered).
/// </remarks>
public sealed class PartitionedSweepRunner
{
    private readonly IBlockRounds _rounds;

    public PartitionedSweepRunner(IBlockRounds rounds) => _rounds = rounds;

    /// <param name="split">The training side of a hashed train/test split, or null.</param>
    /// <exception cref="InvalidInputException">No training rows, too many feature columns for them, or a file that changed.</exception>
    public async Task<SweepOutcome> RunAsync(string jobId, string source, IReadOnlyList<DataPartition> train, PartitionColumns columns,
        IReadOnlyList<DataPartition>? test, RowSplit? split, FitSettings s, int[] featureCounts, int repeats, int exactRowLimit)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(featureCounts);
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "at least one seed");
        if (exactRowLimit < 1) throw new ArgumentOutOfRangeException(nameof(exactRowLimit), exactRowLimit, "at least one row");
        var clock = Stopwatch.StartNew();
        // The sample (and a split) choose rows by their index in the whole dataset.
        train = await _rounds.CountedAsync(jobId + "-count", train, source);
        // The preprocessing every fit computes from the same moments: ε is measured on the rows the fits see.
        var prepared = await PartitionedPreprocessing.PrepareAsync(_rounds, jobId + "-stats", source, train, columns, split, s.Standardize, s.ScaleTarget, s.Normalize);
        long n = prepared.Rows;
        columns = prepared.Columns; // with --missing mean|median, the fills every later round applies
        var pre = prepared.Preprocessor;
        var kernel = KernelSpec.Parse(s.KernelSpec);

        _rounds.Report($"gathering up to {exactRowLimit} rows to measure ε on");
        var sample = await RowSampleRounds.GatherAsync(_rounds, jobId + "-sample", train, columns, split, s.Seed, exactRowLimit, n);
        bool exactRows = sample.Rows.Length == n;
        var xs = pre.TransformFeatures(sample.X);
        var k = kernel.Evaluate(xs, xs);
        double? sLambda = exactRows ? KernelSpectrum.Of(k).StatisticalDimension(s.Lambda) : null;

        double? exactError = null;
        if (exactRows)
        {
            // All rows are here: exact KRR is an in-memory fit of them, scored where the fits are scored.
            var gathered = new Dataset(columns.FeatureNames, sample.X, columns.TargetNames, sample.Y);
            var exact = await new KrrFitter(_rounds).FitAsync(jobId + "-exact", gathered, s with { Exact = true });
            var (parts, side) = test is not null ? (test, (RowSplit?)null) : split is not null ? (train, split.OtherSide()) : (train, (RowSplit?)null);
            exactError = (await _rounds.PartitionSquaredErrorsAsync(jobId + "-exact-err", parts, columns, side, exact, "exact KRR error partitions")).Mean;
        }

        var fitter = new KrrFitter(_rounds);
        // One pool size for every M, as the in-memory sweep scores one pool per seed: each leverage point selects from it.
        int poolSize = FeatureSampler.PoolSizeFor(s, featureCounts.Max());
        var raw = new Dictionary<(int M, string Sampling), List<(double Eps, double Err, double TrainErr, double Sec)>>();
        var floors = new List<double>();
        int fits = repeats * featureCounts.Length * 2, fitted = 0;
        for (int r = 0; r < repeats; r++)
        {
            double? floor = null;
            foreach (int m in featureCounts)
            {
                foreach (var kind in new[] { FeatureSampling.Plain, FeatureSampling.Leverage })
                {
                    string sampling = kind.Name();
                    var seeded = s with { Seed = s.Seed + (ulong)r, Features = m, Sampling = kind, PoolSize = poolSize, Exact = false };
                    // The partitioned fit itself (ntk fit --train DIR with this M, seed and sampling): leverage scores per partition
                    // (scalable), or of gathered rows (exact, within the limits); the dual form gathers the rows too.
                    var fit = await fitter.FitPartitionedEvaluatedAsync($"{jobId}-{sampling}-{m}-{r}", source, train, columns, test, split, seeded);
                    if (kind == FeatureSampling.Leverage && floor is null && fit.Sampling?.PoolScores is { } scores) floor = scores.Max() / poolSize;
                    double eps = SpectralApproximation.Measure(k, FeatureMap.Build(fit.Model.Draws!, xs), s.Lambda).Epsilon;
                    double err = fit.TestMse ?? fit.TrainMse;
                    if (!raw.TryGetValue((m, sampling), out var list)) raw[(m, sampling)] = list = new();
                    list.Add((eps, err, fit.TrainMse, fit.Seconds));
                    _rounds.Report("sweep fits", ++fitted, fits, "fits", $"M={m} {sampling} seed {seeded.Seed}: ε={eps:G3}, error {err:G5}");
                }
            }
            if (floor is double f) floors.Add(f);
        }
        var points = raw.Select(kv => new SweepPoint(kv.Key.M, kv.Key.Sampling, SweepRunner.Median(kv.Value.Select(v => v.Eps)),
                SweepRunner.Median(kv.Value.Select(v => v.Err)), SweepRunner.Median(kv.Value.Select(v => v.TrainErr)),
                SweepRunner.Median(kv.Value.Select(v => v.Sec))))
            .OrderBy(p => p.Features).ThenBy(p => p.Sampling == "plain" ? 0 : 1).ToList();
        return new SweepOutcome(points, exactError, exactRows, test is not null || split is not null, sLambda, checked((int)n), repeats,
            clock.Elapsed.TotalSeconds, floors.Count > 0 ? SweepRunner.Median(floors) : double.NaN, poolSize);
    }
}
