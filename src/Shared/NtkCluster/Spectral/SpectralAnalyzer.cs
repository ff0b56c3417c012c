using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Spectral;

/// <summary>
/// <c>ntk spectral</c>'s job: draws the features exactly as <c>fit</c> would, then measures ε of eq. 2 from the
/// generalized eigenvalues of (ΨΨᵀ+λI, K+λI), s_λ (eq. 4), and Theorem 3.3's feature count for the sampling used.
/// Kernel rows and leverage scores are computed by the workers; the eigenvalue problems run on the coordinator.
/// </summary>
public sealed class SpectralAnalyzer
{
    private readonly IBlockRounds _rounds;

    public SpectralAnalyzer(IBlockRounds rounds) => _rounds = rounds;

    public async Task<SpectralOutcome> AnalyzeAsync(string jobId, Dataset train, FitSettings s, double epsilon, double delta, int exactRowLimit)
    {
        var clock = Stopwatch.StartNew();
        var setting = await SpectralSetting.PrepareAsync(_rounds, jobId, train, s, exactRowLimit);
        return await AnalyzeAsync(jobId, setting, s, epsilon, delta, clock);
    }

    /// <summary>
    /// The report for a partitioned dataset (<see cref="SpectralSetting.PreparePartitionedAsync"/>): preprocessing from
    /// the partitions' moments, everything else on a hashed sample of <paramref name="exactRowLimit"/> rows gathered in
    /// partition order — all rows when n is at most the limit, and then the report is that of those rows in memory
    /// (with the partitions' preprocessing). Beyond the limit ε is the sample's, a lower bound, and the quantities that
    /// need every row (leverage scores τ, s_λ, ‖K‖) are estimated on the sample, with λ scaled by S/n there: K_SS's
    /// eigenvalues are about S/n of K's, so τ and s_λ of (K_SS, λ·S/n) estimate those of (K, λ). A caveat says so.
    /// </summary>
    /// <param name="source">The dataset as the user named it, for messages.</param>
    /// <param name="split">The training side of a hashed train/test split, or null for every row.</param>
    public async Task<SpectralOutcome> AnalyzePartitionedAsync(string jobId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, RowSplit? split, FitSettings s, double epsilon, double delta, int exactRowLimit)
    {
        var clock = Stopwatch.StartNew();
        var setting = await SpectralSetting.PreparePartitionedAsync(_rounds, jobId, source, train, columns, split, s, exactRowLimit);
        return await AnalyzeAsync(jobId, setting, s, epsilon, delta, clock);
    }

    private async Task<SpectralOutcome> AnalyzeAsync(string jobId, SpectralSetting setting, FitSettings s, double epsilon, double delta, Stopwatch clock)
    {
        var x = setting.X;
        int rows = x.RowCount;
        long n = setting.Population;
        // On a sample of S of n rows the scores and s_λ are the sample's at λ·S/n (see AnalyzePartitionedAsync).
        var scoring = setting.IsSample ? s with { Lambda = s.Lambda * rows / n } : s;
        var k = setting.KernelMatrix;
        var ks = setting.MeasuredKernel;
        var sampling = await new FeatureSampler(_rounds).SampleAsync(jobId, setting.Kernel, x, scoring, s.Features, scorePoolForPlain: true, kernelMatrix: k);
        var tau = sampling.PoolScores!;
        _rounds.Report($"generalized eigenvalues on {setting.MeasuredX.RowCount} rows");
        var report = setting.Measure(sampling.Draws, s.Lambda);

        // s_λ: exact from the full kernel's spectrum when we have it; otherwise the pool's mean τ bound, or the sample's
        // spectrum at the scaled λ.
        var spectrum = k is not null ? KernelSpectrum.Of(k) : KernelSpectrum.Of(ks);
        bool sLambdaExact = k is not null && !setting.IsSample;
        double sLambda = k is not null ? spectrum.StatisticalDimension(scoring.Lambda) : tau.Average();
        double kernelNorm = setting.IsSample ? spectrum.SpectralNorm * n / rows : spectrum.SpectralNorm;
        // s_q̃ ≥ s_λ for any q̃ ≥ q_λ; a finite pool's mean can dip below s_λ, so never report less.
        double sq = Math.Max(sLambda, s.Sampling == FeatureSampling.Plain ? tau.Max() : sampling.Mode == "exact" ? sLambda : tau.Average());
        double mBound = TheoremBound.RequiredFeatures(epsilon, delta, sq, sLambda);
        var caveats = TheoremBound.Caveats(epsilon, s.Lambda, kernelNorm).ToList();
        if (setting.IsSample)
            caveats.Add($"the {n} rows of a partitioned dataset are never in one place: ε is measured on a hashed sample of {rows} rows " +
                        $"(a lower bound), and the leverage scores τ, s_lambda and ‖K‖ are estimated on that sample (λ scaled by {rows}/{n} " +
                        $"there, ‖K_SS‖ by {n}/{rows}){(s.Sampling == FeatureSampling.Leverage ? ", which is what the leverage draws are sampled from" : "")}");
        else if (!sLambdaExact) caveats.Add("s_lambda is estimated (n too large for the exact kernel spectrum); ‖K‖ is a subsample's");
        string scoreMode = FeatureSampler.ResolveMode(s.LeverageMode, rows);
        return new SpectralOutcome(report.Epsilon, report.IsExact, setting.MeasuredX.RowCount, checked((int)n), sLambda, sLambdaExact, sq, mBound,
            s.Sampling.Name(), scoreMode, tau.Max(), tau.Average(), sampling.FirstStageEpsilon, kernelNorm, caveats, clock.Elapsed.TotalSeconds);
    }
}
