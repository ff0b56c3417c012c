using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// Exact KRR for many λ on one fold: the kernel matrix is computed once by the workers (the costly O(n²d) part),
/// then (K+λI)α = Y is solved per λ, and the held-out rows are predicted for every λ in one predict round by a model
/// whose coefficients are the α of all λ side by side. Each α is the one <see cref="KrrFitter"/> computes for that λ.
/// </summary>
public sealed class FoldFitter
{
    private readonly BlockRounds _rounds;

    public FoldFitter(BlockRounds rounds) => _rounds = rounds;

    public async Task<FoldPredictions> FitAsync(string jobId, SubmitFoldFits job)
    {
        var s = job.Settings;
        if (!s.Exact) throw new InvalidOperationException("only exact fits share one kernel matrix across λ");
        if (job.Lambdas.Length == 0) throw new ArgumentException("no λ to fit", nameof(job));
        var clock = Stopwatch.StartNew();
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(job.Train.X, job.Train.Y, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(job.Train.X);
        var y = pre.TransformTargets(job.Train.Y);
        int n = x.RowCount, t = y.ColumnCount, count = job.Lambdas.Length;
        FitPlanner.Plan(exact: true, n, 0);
        var k = await _rounds.KernelMatrixAsync(jobId, kernel, x);
        var alpha = Matrix<double>.Build.Dense(n, t * count);
        for (int l = 0; l < count; l++)
        {
            _rounds.Report($"solving the {n}×{n} system for lambda {job.Lambdas[l]:G4}");
            alpha.SetSubMatrix(0, l * t, RidgeSolver.Solve(k, job.Lambdas[l], y));
        }
        // One target column per (λ, target): the target transform repeats for each λ.
        var tiled = new Preprocessor
        {
            Standardize = pre.Standardize, ScaleTarget = pre.ScaleTarget, Normalize = pre.Normalize,
            FeatureMeans = pre.FeatureMeans, FeatureScales = pre.FeatureScales,
            TargetMeans = Tile(pre.TargetMeans, count), TargetScales = Tile(pre.TargetScales, count),
        };
        var model = new KrrModel
        {
            ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = job.Lambdas[0], Seed = s.Seed, Sampling = "none",
            Formulation = RidgeFormulation.Exact, FeatureNames = job.Train.FeatureNames,
            TargetNames = Enumerable.Range(0, count).SelectMany(l => job.Train.TargetNames.Select(name => $"{name}@{l}")).ToArray(),
            Preprocessing = tiled, TrainingInputs = x, DualCoefficients = alpha,
        };
        var all = await new ModelPredictor(_rounds).PredictAsync(jobId + "-held", model, job.Held.X);
        var held = Enumerable.Range(0, count).Select(l => all.SubMatrix(0, all.RowCount, l * t, t)).ToArray();
        return new FoldPredictions(held, clock.Elapsed.TotalSeconds);
    }

    private static double[] Tile(double[] values, int times) => Enumerable.Repeat(values, times).SelectMany(v => v).ToArray();
}
