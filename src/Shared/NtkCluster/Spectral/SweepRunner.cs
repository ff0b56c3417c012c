using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Spectral;

/// <summary>
/// Plain against leverage sampling over a list of feature counts: for each M and seed, the spectral ε of the drawn
/// features and the test error of the fitted model, side by side, so users see how many features each needs.
/// The kernel matrix, candidate pool and leverage scores are computed once per seed and shared by every M.
/// </summary>
public sealed class SweepRunner
{
    private readonly IBlockRounds _rounds;

    public SweepRunner(IBlockRounds rounds) => _rounds = rounds;

    public async Task<SweepOutcome> RunAsync(string jobId, Dataset train, Dataset? test, FitSettings s, int[] featureCounts, int repeats, int exactRowLimit)
    {
        var clock = Stopwatch.StartNew();
        var setting = await SpectralSetting.PrepareAsync(_rounds, jobId, train, s, exactRowLimit);
        var kernel = setting.Kernel;
        var pre = setting.Preprocessing;
        var x = setting.X;
        var y = pre.TransformTargets(train.Y);
        int n = x.RowCount, d = x.ColumnCount;
        var k = setting.KernelMatrix;
        double? sLambda = k is null ? null : KernelSpectrum.Of(k).StatisticalDimension(s.Lambda);

        var evaluation = test ?? train;
        var predictor = new ModelPredictor(_rounds);
        double? exactError = null;
        if (k is not null)
        {
            var exactModel = await new KrrFitter(_rounds).FitAsync(jobId + "-exact", train, s with { Exact = true });
            exactError = Metrics.MeanSquaredError(evaluation.Y, await predictor.PredictAsync(jobId + "-exact-p", exactModel, evaluation.X));
        }

        int poolSize = FeatureSampler.PoolSizeFor(s, featureCounts.Max());
        var raw = new Dictionary<(int M, string Sampling), List<(double Eps, double Err, double TrainErr, double Sec)>>();
        var fitter = new KrrFitter(_rounds);
        var floors = new List<double>();
        int fits = repeats * featureCounts.Length * 2, fitted = 0;
        for (int r = 0; r < repeats; r++)
        {
            var seeded = s with { Seed = s.Seed + (ulong)r, PoolSize = poolSize, Sampling = FeatureSampling.Leverage };
            var scored = await new FeatureSampler(_rounds).SampleAsync($"{jobId}-s{r}", kernel, x, seeded, 1, kernelMatrix: k);
            var pool = FeatureSampler.CandidatePool(kernel, d, poolSize, seeded.Seed);
            floors.Add(scored.PoolScores!.Max() / poolSize);
            foreach (int m in featureCounts)
            {
                foreach (var kind in new[] { FeatureSampling.Plain, FeatureSampling.Leverage })
                {
                    string sampling = kind.Name();
                    var fitClock = Stopwatch.StartNew();
                    var draws = kind == FeatureSampling.Plain
                        ? PlainSampler.Sample(kernel, d, m, seeded.Seed)
                        : LeverageSelection.Select(kernel, d, pool, scored.PoolScores!, m, seeded.Seed);
                    var model = await fitter.FitWithDrawsAsync($"{jobId}-{sampling}-{m}-{r}", train, pre, x, y, draws, seeded with { Sampling = kind },
                        kind == FeatureSampling.Leverage ? scored.Leverage : null);
                    double err = Metrics.MeanSquaredError(evaluation.Y, await predictor.PredictAsync($"{jobId}-p-{sampling}-{m}-{r}", model, evaluation.X));
                    double trainErr = test is null ? err
                        : Metrics.MeanSquaredError(train.Y, await predictor.PredictAsync($"{jobId}-t-{sampling}-{m}-{r}", model, train.X));
                    double seconds = fitClock.Elapsed.TotalSeconds;
                    double eps = setting.Measure(draws, s.Lambda).Epsilon;
                    if (!raw.TryGetValue((m, sampling), out var list)) raw[(m, sampling)] = list = new();
                    list.Add((eps, err, trainErr, seconds));
                    _rounds.Report("sweep fits", ++fitted, fits, "fits", $"M={m} {sampling} seed {seeded.Seed}: ε={eps:G3}, error {err:G5}");
                }
            }
        }
        var points = raw.Select(kv => new SweepPoint(kv.Key.M, kv.Key.Sampling,
                Median(kv.Value.Select(v => v.Eps)), Median(kv.Value.Select(v => v.Err)), Median(kv.Value.Select(v => v.TrainErr)),
                Median(kv.Value.Select(v => v.Sec))))
            .OrderBy(p => p.Features).ThenBy(p => p.Sampling == "plain" ? 0 : 1).ToList();
        return new SweepOutcome(points, exactError, setting.ExactRows, test is not null, sLambda, n, repeats, clock.Elapsed.TotalSeconds,
            Median(floors), poolSize);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int h = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
    }
}
