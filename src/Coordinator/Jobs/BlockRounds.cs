using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Progress;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// The rounds that jobs are made of, each a <see cref="BlockRound"/> over row, feature or candidate blocks whose
/// answers are reduced in block order. Fits, leverage sampling and spectral diagnostics share them.
/// </summary>
public sealed class BlockRounds
{
    private readonly IActorRef _region;
    private readonly RoundOptions _options;
    private readonly Action<ProgressUpdate> _progress;

    public BlockRounds(IActorRef region, RoundOptions options, Action<ProgressUpdate>? progress = null)
    {
        _region = region;
        // A remote round reports lost workers and resent blocks where progress goes (as warnings: --quiet keeps
        // them), unless told otherwise.
        _options = progress is not null && options.Notify is null ? options with { Notify = line => progress(ProgressUpdate.Warning(line)) } : options;
        _progress = progress ?? (_ => { });
    }

    public RoundOptions Options => _options;

    public IActorRef Region => _region;

    /// <summary>Where this job's progress goes.</summary>
    public Action<ProgressUpdate> Progress => _progress;

    /// <summary>A line about what the job does next (a solve, a phase).</summary>
    public void Report(string message) => _progress(ProgressUpdate.Note(message));

    /// <summary>A line shown even with --quiet: the job recovers from a failure.</summary>
    public void Warn(string message) => _progress(ProgressUpdate.Warning(message));

    /// <summary>Units done of a stage of the job's own (steps, fits), as opposed to a round's blocks.</summary>
    public void Report(string stage, long done, long? total, string unit, string? detail = null) =>
        _progress(ProgressUpdate.Count(stage, done, total, unit, detail));

    /// <summary>The closed-form kernel matrix K(X, X), assembled from row blocks of kernel rows.</summary>
    public Task<Matrix<double>> KernelMatrixAsync(string jobId, IFeatureKernel kernel, Matrix<double> x)
    {
        int n = x.RowCount, d = x.ColumnCount;
        var rows = new BlockPlan(n, BlockPlan.DefaultRowBlock);
        return BlockRound.RunAsync<KernelRowsComputed, Matrix<double>>(_region, rows.Count,
            b => new BuildKernelRows(jobId, b, kernel.Spec, x.SubMatrix(rows.Start(b), rows.Length(b), 0, d), x),
            Matrix<double>.Build.Dense(n, n), (acc, r) => { acc.SetSubMatrix(rows.Start(r.BlockIndex), 0, r.Rows); return acc; },
            _options, Counter(_progress, "kernel rows", rows.Count));
    }

    /// <summary>ΨᵀΨ and ΨᵀY summed over row blocks in block order.</summary>
    public Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> y)
    {
        int rowBlock = BlockPlan.GramRowBlock(draws.ColumnCount);
        return GramAsync(jobId, draws, RowBlock.Split(x, y, rowBlock), y.ColumnCount, new BlockPlan(x.RowCount, rowBlock).Count);
    }

    /// <summary>
    /// ΨᵀΨ and ΨᵀY summed in block order over (preprocessed) row blocks that are produced as the round goes — read
    /// from a file for a streamed fit — so only the round's window of blocks is ever in memory. In-memory data goes
    /// through here too, cut into the same blocks (<see cref="BlockPlan.GramRowBlock"/> rows), which is why both give
    /// bitwise the same sums.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress lines.</param>
    public Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, IEnumerable<RowBlock> blocks,
        int targets, int blockCount)
    {
        int m = draws.ColumnCount;
        return BlockRound.RunAsync<GramBlockComputed, (Matrix<double> Gram, Matrix<double> Cross)>(_region,
            blocks.Select(b => (IBlockCommand)new BuildGramBlock(jobId, b.Index, draws, b.X, b.Y)),
            (Matrix<double>.Build.Dense(m, m), Matrix<double>.Build.Dense(m, targets)),
            (acc, r) => { acc.Gram.Add(r.Gram, acc.Gram); acc.Cross.Add(r.Cross, acc.Cross); return acc; },
            _options, Counter(_progress, "Gram blocks", blockCount));
    }

    /// <summary>ΨΨᵀ summed over feature blocks in block order (the dual form).</summary>
    public Task<Matrix<double>> OuterAsync(string jobId, FeatureDraws draws, Matrix<double> x)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.OuterFeatureBlock(x.RowCount, FeatureMap.OuterColumnsPerDraw(draws)));
        return BlockRound.RunAsync<OuterBlockComputed, Matrix<double>>(_region, blocks.Count,
            f => new BuildOuterBlock(jobId, f, draws, blocks.Start(f), blocks.Length(f), x),
            Matrix<double>.Build.Dense(x.RowCount, x.RowCount), (acc, r) => { acc.Add(r.Outer, acc); return acc; },
            _options, Counter(_progress, "feature blocks", blocks.Count));
    }

    /// <summary>β = Ψᵀα, one feature block's rows at a time.</summary>
    public Task<Matrix<double>> ProjectAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> alpha)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.DefaultFeatureBlock);
        int d2 = draws.FeatureDimension;
        return BlockRound.RunAsync<FeatureBlockProjected, Matrix<double>>(_region, blocks.Count,
            f => new ProjectFeatureBlock(jobId, f, draws, blocks.Start(f), blocks.Length(f), x, alpha),
            Matrix<double>.Build.Dense(draws.ColumnCount, alpha.ColumnCount),
            (acc, r) => { acc.SetSubMatrix(blocks.Start(r.BlockIndex) * d2, 0, r.Coefficients); return acc; },
            _options, Counter(_progress, "projections", blocks.Count));
    }

    /// <summary>τ for every candidate of a pool, one candidate block per request, concatenated in pool order.</summary>
    public Task<double[]> ScoreAsync(string jobId, ILeverageScorer scorer, Matrix<double> pool, int blockSize)
    {
        var blocks = new BlockPlan(pool.RowCount, blockSize);
        // The scorer holds all n rows (exact: an n×n matrix too): blocks go with its key only, and a node that lacks it
        // gets it once (repair). One mechanism in both modes; in one process the first blocks' repairs copy nothing.
        return BlockRound.RunAsync<CandidateBlockScored, double[]>(_region, blocks.Count,
            c => new ScoreCandidateBlock(jobId, c, jobId, null, pool.SubMatrix(blocks.Start(c), blocks.Length(c), 0, pool.ColumnCount)),
            new double[pool.RowCount],
            (acc, r) => { r.Scores.CopyTo(acc, blocks.Start(r.BlockIndex)); return acc; },
            _options, Counter(_progress, "candidate blocks", blocks.Count),
            repair: (command, reply) => reply is ScorerMissing && command is ScoreCandidateBlock score
                ? BlockRound.AskReplyAsync<CandidateBlockScored>(_region, score with { Scorer = scorer }, _options)
                : throw new JobFailedException($"candidate block {command.BlockIndex} of job {command.JobId}: unexpected answer {reply.GetType().Name}"));
    }

    /// <summary>
    /// A round's progress: reports 0/total now (the round starts, and its rate is measured from here), then every
    /// block folded. Every block is reported; the renderer, not the job, decides how often to show them.
    /// </summary>
    public static Action<int> Counter(Action<ProgressUpdate> progress, string stage, int? total)
    {
        progress(ProgressUpdate.Count(stage, 0, total, "blocks"));
        return done => progress(ProgressUpdate.Count(stage, done + 1, total, "blocks"));
    }
}
