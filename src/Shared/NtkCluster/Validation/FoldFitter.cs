using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Validation;

/// <summary>
/// Exact KRR for many λ on one fold: the kernel matrix is computed once by the workers (the costly O(n²d) part),
/// then (K+λI)α = Y is solved per λ, and the held-out rows are predicted for every λ in one predict round by a model
/// whose coefficients are the α of all λ side by side. Each α is the one <see cref="KrrFitter"/> computes for that λ.
/// </summary>
public sealed class FoldFitter
{
    private readonly IBlockRounds _rounds;

    public FoldFitter(IBlockRounds rounds) => _rounds = rounds;

    public async Task<FoldPredictions> FitAsync(string jobId, Dataset train, Dataset held, FitSettings s, double[] lambdas)
    {
        if (!s.Exact) throw new InvalidOperationException("only exact fits share one kernel matrix across λ");
        if (lambdas.Length == 0) throw new ArgumentException("no λ to fit", nameof(lambdas));
        var clock = Stopwatch.StartNew();
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        var y = pre.TransformTargets(train.Y);
        int n = x.RowCount, t = y.ColumnCount, count = lambdas.Length;
        FitPlanner.Plan(exact: true, n, 0);
        var k = await _rounds.KernelMatrixAsync(jobId, kernel, x);
        var alpha = Matrix<double>.Build.Dense(n, t * count);
        for (int l = 0; l < count; l++)
        {
            _rounds.Report($"solving the {n}×{n} system for lambda {lambdas[l]:G4}");
            alpha.SetSubMatrix(0, l * t, RidgeSolver.Solve(k, lambdas[l], y));
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
            ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = lambdas[0], Seed = s.Seed, Sampling = "none",
            Formulation = RidgeFormulation.Exact, FeatureNames = train.FeatureNames,
            TargetNames = Enumerable.Range(0, count).SelectMany(l => train.TargetNames.Select(name => $"{name}@{l}")).ToArray(),
            Preprocessing = tiled, TrainingInputs = x, DualCoefficients = alpha,
        };
        var all = await new ModelPredictor(_rounds).PredictAsync(jobId + "-held", model, held.X);
        var predictions = Enumerable.Range(0, count).Select(l => all.SubMatrix(0, all.RowCount, l * t, t)).ToArray();
        return new FoldPredictions(predictions, clock.Elapsed.TotalSeconds);
    }

    private static double[] Tile(double[] values, int times) => Enumerable.Repeat(values, times).SelectMany(v => v).ToArray();
}
