using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// The coordinator's side of a ridge fit: preprocesses, draws the features, runs the block rounds on the workers,
/// reduces the partials in block order and solves. The solve itself runs here, on the coordinator.
/// </summary>
public sealed class KrrFitter
{
    private readonly IActorRef _region;
    private readonly RoundOptions _options;
    private readonly Action<string> _progress;

    public KrrFitter(IActorRef region, RoundOptions options, Action<string>? progress = null)
    {
        _region = region;
        _options = options;
        _progress = progress ?? (_ => { });
    }

    public async Task<KrrModel> FitAsync(string jobId, Dataset train, FitSettings s)
    {
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train.X, train.Y, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        var y = pre.TransformTargets(train.Y);
        int n = x.RowCount, d = x.ColumnCount, t = y.ColumnCount;
        var rows = new BlockPlan(n, BlockPlan.DefaultRowBlock);

        if (s.Exact)
        {
            FitPlanner.Plan(exact: true, n, 0);
            var k = Matrix<double>.Build.Dense(n, n);
            await BlockRound.RunAsync<KernelRowsComputed, Matrix<double>>(_region, rows.Count,
                b => new BuildKernelRows(jobId, b, kernel.Spec, x.SubMatrix(rows.Start(b), rows.Length(b), 0, d), x),
                k, (acc, r) => { acc.SetSubMatrix(rows.Start(r.BlockIndex), 0, r.Rows); return acc; },
                _options, Progress("kernel rows", rows.Count));
            _progress($"solving the {n}×{n} system");
            var alpha = RidgeSolver.Solve(k, s.Lambda, y);
            return new KrrModel
            {
                ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = "none",
                Formulation = RidgeFormulation.Exact, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
                Preprocessing = pre, TrainingInputs = x, DualCoefficients = alpha,
            };
        }

        if (s.Features <= 0) throw new ArgumentOutOfRangeException(nameof(s), "the number of features must be positive");
        var draws = PlainSampler.Sample(kernel, d, s.Features, s.Seed);
        int m = draws.ColumnCount;
        var formulation = FitPlanner.Plan(exact: false, n, m);
        Matrix<double> beta;
        if (formulation == RidgeFormulation.Primal)
        {
            var sums = await BlockRound.RunAsync<GramBlockComputed, (Matrix<double> G, Matrix<double> R)>(_region, rows.Count,
                b => new BuildGramBlock(jobId, b, draws, x.SubMatrix(rows.Start(b), rows.Length(b), 0, d), y.SubMatrix(rows.Start(b), rows.Length(b), 0, t)),
                (Matrix<double>.Build.Dense(m, m), Matrix<double>.Build.Dense(m, t)),
                (acc, r) => { acc.G.Add(r.Gram, acc.G); acc.R.Add(r.Cross, acc.R); return acc; },
                _options, Progress("Gram blocks", rows.Count));
            _progress($"solving the {m}×{m} system");
            beta = RidgeSolver.Solve(sums.G, s.Lambda, sums.R);
        }
        else
        {
            var featureBlocks = new BlockPlan(draws.Count, BlockPlan.DefaultFeatureBlock);
            var outer = await BlockRound.RunAsync<OuterBlockComputed, Matrix<double>>(_region, featureBlocks.Count,
                f => new BuildOuterBlock(jobId, f, draws, featureBlocks.Start(f), featureBlocks.Length(f), x),
                Matrix<double>.Build.Dense(n, n), (acc, r) => { acc.Add(r.Outer, acc); return acc; },
                _options, Progress("feature blocks", featureBlocks.Count));
            _progress($"solving the {n}×{n} dual system");
            var alpha = RidgeSolver.Solve(outer, s.Lambda, y);
            int d2 = draws.FeatureDimension;
            beta = await BlockRound.RunAsync<FeatureBlockProjected, Matrix<double>>(_region, featureBlocks.Count,
                f => new ProjectFeatureBlock(jobId, f, draws, featureBlocks.Start(f), featureBlocks.Length(f), x, alpha),
                Matrix<double>.Build.Dense(m, t),
                (acc, r) => { acc.SetSubMatrix(featureBlocks.Start(r.BlockIndex) * d2, 0, r.Coefficients); return acc; },
                _options, Progress("projections", featureBlocks.Count));
        }
        return new KrrModel
        {
            ProgramVersion = ProgramInfo.Version, Kernel = kernel, Lambda = s.Lambda, Seed = s.Seed, Sampling = s.Sampling,
            Formulation = formulation, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
            Preprocessing = pre, Draws = draws, Coefficients = beta,
        };
    }

    private Action<int> Progress(string what, int total) => done =>
    {
        if (done + 1 == total) _progress($"{what}: {total}/{total} done");
    };
}
