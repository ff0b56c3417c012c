using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// A sharded block entity: computes one block of a job — a partial Gram, a feature block's outer product or
/// projection, kernel rows, predictions — and answers the asker. It runs on the compute dispatcher, so the
/// computation occupies one of this node's compute threads and never the ThreadPool. It keeps no state between
/// messages: a block recomputed anywhere gives bitwise the same answer.
/// </summary>
/// <remarks>
/// A leverage scoring command (<see cref="ScorePartitionCandidates"/>) reads a partition's rows but is one block of a
/// round of candidate groups × partitions, several of them on one partition at once, each large enough to arrive in
/// pieces: it stays on its own block entity (a partition entity collects one transfer at a time and answers one
/// command at a time, so the groups would interrupt each other's transfers and queue behind each other), and reads
/// the partition as a partition entity does — located through the node's <see cref="IPartitionLocator"/> (the shared
/// path, or the copy the client shipped), its rows from the worker's <see cref="PartitionRowCache"/>. The locate is
/// piped back to the entity, never awaited in it.
/// </remarks>
public sealed class BlockEntity : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CommandChunks _chunks;
    private readonly NodeScorers _scorers = NodeScorers.For(Context.System);
    private readonly IPartitionRows? _rows;
    private readonly IPartitionLocator _locator;
    private readonly CancellationTokenSource _stopping = new();
    private int _locating;

    public ITimerScheduler Timers { get; set; } = null!;

    public BlockEntity() : this(null) { }

    /// <param name="transferTimeout">How long a command arriving in pieces may go without a piece before it is
    /// dropped (default <see cref="ChunkedTransfer.PartialTimeout"/>).</param>
    /// <param name="rows">The worker's row cache, which located partition commands read through; null streams them
    /// from the file.</param>
    /// <param name="locator">Where this worker reads a partition; null: the node's (<see cref="Shipping.PartitionLocators"/>),
    /// else the shared path.</param>
    public BlockEntity(TimeSpan? transferTimeout, IPartitionRows? rows = null, IPartitionLocator? locator = null)
    {
        _chunks = new CommandChunks(transferTimeout);
        _rows = rows;
        _locator = locator ?? Shipping.PartitionLocators.Get(Context.System).Locator ?? SharedPathPartitionLocator.Instance;
        Receive<IBlockCommand>(Handles, Answer);
        // A command too large for one frame: the pieces are put together, then handled as if it had come whole.
        Receive<BlockCommandChunk>(chunk =>
        {
            if (_chunks.Add(chunk, _log, Timers) is { } command) Answer(command);
        });
        Receive<CommandChunks.Expire>(e => _chunks.OnExpire(e, _log));
        Receive<Located>(OnLocated);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private static bool Handles(IBlockCommand command) =>
        command is BuildGramBlock or BuildOuterBlock or ProjectFeatureBlock or BuildKernelRows or ScoreCandidateBlock or PredictBlock
            or IPartitionCommand or FindPartitionSampleKeys or ScorePartitionCandidates;

    private IBlockReply Compute(IBlockCommand command)
    {
        // A partition command sent here reads its rows from the path in its descriptor (the shared-path mode); a path this
        // node cannot read, or a file changed since the job started, is the user's input: answered as such, naming
        // this worker, so the job fails with one line. (FindPartitionSampleKeys reads no file, only the counted row
        // range, so it is right in the shipped mode too; ScorePartitionCandidates is located first, see Answer.)
        if (command is IPartitionCommand or FindPartitionSampleKeys)
            return AnswerPartition(command, Context.System, _log);
        // The block's work is the math project's (BlockComputations), the same functions in-process rounds call: an
        // entity only unpacks the command and packs the answer.
        switch (command)
        {
            case BuildGramBlock m:
            {
                var (gram, cross) = BlockComputations.GramBlock(m.Draws, m.X, m.Y);
                return new GramBlockComputed(m.JobId, m.BlockIndex, gram, cross);
            }
            case BuildOuterBlock m:
                return new OuterBlockComputed(m.JobId, m.BlockIndex, BlockComputations.OuterBlock(m.Draws, m.X, m.FirstDraw, m.DrawCount));
            case ProjectFeatureBlock m:
                return new FeatureBlockProjected(m.JobId, m.BlockIndex, BlockComputations.ProjectBlock(m.Draws, m.X, m.FirstDraw, m.DrawCount, m.Alpha));
            case BuildKernelRows m:
                return new KernelRowsComputed(m.JobId, m.BlockIndex, BlockComputations.KernelRows(KernelSpec.Parse(m.KernelSpec), m.XBlock, m.X));
            case ScoreCandidateBlock m:
            {
                if (m.Scorer is { } sent) _scorers.Keep(m.ScorerKey, sent);
                var scorer = m.Scorer ?? _scorers.Find(m.ScorerKey);
                return scorer is null
                    ? new ScorerMissing(m.JobId, m.BlockIndex)
                    : new CandidateBlockScored(m.JobId, m.BlockIndex, BlockComputations.Score(scorer, m.Candidates));
            }
            case PredictBlock m:
                return new BlockPredicted(m.JobId, m.BlockIndex, BlockComputations.Predict(m.Model, m.X));
            default:
                throw new NotSupportedException($"a block entity does not compute {command.GetType().Name}");
        }
    }

    /// <summary>
    /// A partition command's answer, its rows from <paramref name="rows"/> (null: streamed from the file). Partition
    /// commands normally go to the partition's own entity (<see cref="PartitionEntity"/>), which calls this with the
    /// worker's row cache; a block entity answers one sent to it the same way, streaming.
    /// </summary>
    internal static IBlockReply AnswerPartition(IBlockCommand command, ActorSystem system, ILoggingAdapter log, IPartitionRows? rows = null)
    {
        try
        {
            return ComputePartition(command, rows);
        }
        catch (InvalidInputException e)
        {
            log.Warning("partition {0} of job {1} cannot be read here: {2}", command.BlockIndex, command.JobId, e.Message);
            return new PartitionUnreadable(command.JobId, command.BlockIndex, WorkerNames.Of(system), e.Message);
        }
    }

    private static IBlockReply ComputePartition(IBlockCommand command, IPartitionRows? rows) => command switch
    {
        CountPartition m => Counted(m, PartitionComputations.Count(m.Partition)),
        ComputePartitionMoments m => new PartitionMomentsComputed(m.JobId, m.BlockIndex, PartitionComputations.Moments(m.Partition, m.Columns, m.Split, rows)),
        BuildPartitionGram m => new PartitionGramComputed(m.JobId, m.BlockIndex,
            PartitionComputations.Gram(m.Partition, m.Columns, m.Split, m.Preprocessing, m.Draws, rows)),
        PartitionSquaredErrors m => new PartitionErrorsComputed(m.JobId, m.BlockIndex,
            PartitionComputations.SquaredErrors(m.Partition, m.Columns, m.Split, m.Model, rows)),
        // The part is written here, into the shared staging directory; only its receipt goes back.
        WritePartitionPredictions m => new PartitionPredictionsWritten(m.JobId, m.BlockIndex,
            PartitionComputations.WritePredictions(m.Partition, m.Model, m.Columns, m.DatasetRows, m.Directory, m.PartName, rows, m.Keep)),
        FindPartitionSampleKeys m => new PartitionSampleKeysFound(m.JobId, m.BlockIndex,
            PartitionComputations.SampleKeys(m.Partition, m.Split, m.Seed, m.Count, m.MaxHash)),
        ReadPartitionRows m => new PartitionRowsRead(m.JobId, m.BlockIndex, PartitionComputations.SampleRows(m.Partition, m.Columns, m.Rows, rows)),
        ScorePartitionCandidates m => new PartitionCandidatesScored(m.JobId, m.BlockIndex,
            PartitionComputations.ScoreSums(m.Partition, m.Columns, m.Split, m.Preprocessing, m.FirstStage, m.Candidates, rows)),
        FindPartitionLabels m => new PartitionLabelsFound(m.JobId, m.BlockIndex, PartitionComputations.Labels(m.Partition, m.Columns, m.Split, rows)),
        // The scans read the partition's text cells from its file (the shared path or the shipped copy), not the row cache.
        TakePartitionCategoryCensus m => new PartitionCategoryCensusTaken(m.JobId, m.BlockIndex,
            CategoryCensus.Of(m.Partition, m.Columns.FeatureNames, m.Columns.Separator, m.Split)),
        ScanPartitionTextLabels m => new PartitionTextLabelsScanned(m.JobId, m.BlockIndex, TextLabelScan.Of(m.Partition, m.Columns, m.Split)),
        ScorePartitionClassifier m => new PartitionClassifierScored(m.JobId, m.BlockIndex,
            PartitionComputations.Classification(m.Partition, m.Columns, m.Split, m.Model, m.Classes, rows)),
        ComputePartitionNetwork m => new PartitionNetworkComputed(m.JobId, m.BlockIndex,
            PartitionComputations.Network(m.Partition, m.Columns, m.Split, m.Preprocessing, m.Point, rows)),
        ComputePartitionGap m => new PartitionGapComputed(m.JobId, m.BlockIndex,
            PartitionComputations.Gap(m.Partition, m.Columns, m.Split, m.Model, m.Reference, rows)),
        BuildPartitionFoldGrams m => new PartitionFoldGramsComputed(m.JobId, m.BlockIndex,
            PartitionComputations.FoldGrams(m.Partition, m.Columns, m.Split, m.Folds, m.Preprocessing, m.Draws, rows)),
        PartitionFoldSquaredErrors m => new PartitionFoldErrorsComputed(m.JobId, m.BlockIndex,
            PartitionComputations.FoldSquaredErrors(m.Partition, m.Columns, m.Split, m.Folds, m.Models, rows)),
        _ => throw new NotSupportedException($"a block entity does not compute {command.GetType().Name}"),
    };

    private static PartitionCounted Counted(CountPartition m, PartitionCount count) => new(m.JobId, m.BlockIndex, count.Rows, count.Lines);

    /// <summary>Props for the sharding region: every entity on the compute dispatcher.</summary>
    /// <param name="rows">The worker's row cache (see the constructor); null streams from the file.</param>
    /// <param name="locator">Where this worker reads a partition; null: the node's.</param>
    public static Props Props(string computeDispatcher, TimeSpan? transferTimeout = null, IPartitionRows? rows = null, IPartitionLocator? locator = null) =>
        Akka.Actor.Props.Create(() => new BlockEntity(transferTimeout, rows, locator)).WithDispatcher(computeDispatcher);

    /// <summary>
    /// Answers, then passivates. An entity's id names one block of one job, so it has nothing more to do (a retry
    /// after a timeout is answered first, or recreates it). A live entity keeps its last sender — the asker's future,
    /// which holds the answer — so, left to idle passivation, every m×m Gram block stayed in memory for a minute or
    /// more: thousands of them on a long round (a 3-million-row fit with M = 1024 peaked at 18.6 GB; with this,
    /// 362 MB). The shard stops the entity and buffers anything sent to it meanwhile; outside sharding (tests) the
    /// parent ignores the request.
    /// </summary>
    private void Answer(IBlockCommand command)
    {
        if (command is ScorePartitionCandidates located)
        {
            Locate(located, Sender);
            return;
        }
        BlockAnswers.Send(Sender, BlockAnswers.Compute(_log, command, () => Compute(command)), Self);
        Passivate();
    }

    private void Passivate()
    {
        // Not while a located command is still on its way: its answer would be lost with the entity.
        if (_locating == 0) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>Where this worker reads the command's partition (<see cref="IPartitionLocator"/>), piped back as <see cref="Located"/>.</summary>
    private void Locate(ScorePartitionCandidates command, IActorRef asker)
    {
        _locating++;
        _locator.LocateAsync(command.Partition, _stopping.Token).PipeTo(Self,
            success: local => new Located(command with { Partition = local }, asker, null),
            failure: e => new Located(command, asker, e is AggregateException { InnerException: { } inner } ? inner : e));
    }

    private void OnLocated(Located m)
    {
        _locating--;
        IBlockReply reply = m.Failure switch
        {
            null => BlockAnswers.Compute(_log, m.Command, () => AnswerPartition(m.Command, Context.System, _log, _rows)),
            InvalidInputException e => Unlocated(m.Command, e),
            { } e => new BlockFailed(m.Command.JobId, m.Command.BlockIndex, $"{e.GetType().Name}: {e.Message}"),
        };
        BlockAnswers.Send(m.Asker, reply, Self);
        Passivate();
    }

    private PartitionUnreadable Unlocated(IBlockCommand command, InvalidInputException e)
    {
        _log.Warning("partition {0} of job {1} cannot be located here: {2}", command.BlockIndex, command.JobId, e.Message);
        return new PartitionUnreadable(command.JobId, command.BlockIndex, WorkerNames.Of(Context.System), e.Message);
    }

    /// <summary>A command's partition located (<see cref="IBlockCommand"/> with the local descriptor), or why not.</summary>
    private sealed record Located(ScorePartitionCandidates Command, IActorRef Asker, Exception? Failure) : INoSerializationVerificationNeeded;
}
