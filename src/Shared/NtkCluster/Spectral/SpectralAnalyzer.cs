using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
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
        var x = setting.X;
        int n = x.RowCount;
        var k = setting.KernelMatrix;
        var ks = setting.MeasuredKernel;
        var sampling = await new FeatureSampler(_rounds).SampleAsync(jobId, setting.Kernel, x, s, s.Features, scorePoolForPlain: true, kernelMatrix: k);
        var tau = sampling.PoolScores!;
        _rounds.Report($"generalized eigenvalues on {setting.MeasuredX.RowCount} rows");
        var report = setting.Measure(sampling.Draws, s.Lambda);

        // s_λ: exact from the full kernel's spectrum when we have it; otherwise the pool's mean τ bound.
        var spectrum = k is not null ? KernelSpectrum.Of(k) : KernelSpectrum.Of(ks);
        bool sLambdaExact = k is not null;
        double sLambda = sLambdaExact ? spectrum.StatisticalDimension(s.Lambda) : tau.Average();
        // s_q̃ ≥ s_λ for any q̃ ≥ q_λ; a finite pool's mean can dip below s_λ, so never report less.
        double sq = Math.Max(sLambda, s.Sampling == FeatureSampling.Plain ? tau.Max() : sampling.Mode == "exact" ? sLambda : tau.Average());
        double mBound = TheoremBound.RequiredFeatures(epsilon, delta, sq, sLambda);
        var caveats = TheoremBound.Caveats(epsilon, s.Lambda, spectrum.SpectralNorm).ToList();
        if (!sLambdaExact) caveats.Add("s_lambda is estimated (n too large for the exact kernel spectrum); ‖K‖ is a subsample's");
        string scoreMode = FeatureSampler.ResolveMode(s.LeverageMode, n);
        return new SpectralOutcome(report.Epsilon, report.IsExact, setting.MeasuredX.RowCount, n, sLambda, sLambdaExact, sq, mBound,
            s.Sampling.Name(), scoreMode, tau.Max(), tau.Average(), sampling.FirstStageEpsilon, spectrum.SpectralNorm, caveats, clock.Elapsed.TotalSeconds);
    }
}
