using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using NtkCluster.Numerics.Features;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The binary serializer of every NtkCluster message (bound to <see cref="INtkMessage"/> in
/// <see cref="Hosting.NodeConfig"/>). A payload is one format-version byte, then the message's fields in
/// declaration order in the primitives of <see cref="PayloadWriter"/>; the message type travels as a short string
/// manifest (<see cref="NtkManifests"/>).
/// </summary>
/// <remarks>
/// <para>Why not the default JSON serializer: messages are mostly matrices, and JSON turns each double into ~20
/// characters of text (and back, with rounding hazards for NaN payloads and −0), embeds CLR type names, and cannot
/// even construct MathNet's matrices. Here a 256×256 tile is 512 KiB plus 9 bytes and two memory copies.</para>
/// <para>Why fields and not reflection: the wire format is a protocol between nodes that may run different
/// builds; writing it out by hand makes every change visible in review, and unknown manifests, versions or tags
/// fail with a <see cref="SerializationException"/> that names them.</para>
/// </remarks>
public sealed class NtkMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id on the wire; Akka reserves 0–40 and its plugins use up to about 50.</summary>
    public const int SerializerId = 7411;

    /// <summary>The first byte of every payload. Bump it when a message's layout changes incompatibly.</summary>
    /// <remarks>2: models (in <c>PredictBlock</c>) end with their leverage provenance. 3: models in the model file's
    /// schema (<see cref="NtkCluster.Numerics.Models.ModelCodec"/>'s binary encoding).</remarks>
    public const byte FormatVersion = 3;

    public NtkMessageSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => SerializerId;

    /// <summary>The manifest of <paramref name="o"/>; a type without a wire format is an error.</summary>
    public static string ManifestOf(object o) => o switch
    {
        BuildGramBlock => NtkManifests.BuildGramBlock,
        GramBlockComputed => NtkManifests.GramBlockComputed,
        BuildOuterBlock => NtkManifests.BuildOuterBlock,
        OuterBlockComputed => NtkManifests.OuterBlockComputed,
        ProjectFeatureBlock => NtkManifests.ProjectFeatureBlock,
        FeatureBlockProjected => NtkManifests.FeatureBlockProjected,
        BuildKernelRows => NtkManifests.BuildKernelRows,
        KernelRowsComputed => NtkManifests.KernelRowsComputed,
        ScoreCandidateBlock => NtkManifests.ScoreCandidateBlock,
        ScorerMissing => NtkManifests.ScorerMissing,
        CandidateBlockScored => NtkManifests.CandidateBlockScored,
        PredictBlock => NtkManifests.PredictBlock,
        BlockPredicted => NtkManifests.BlockPredicted,
        BlockFailed => NtkManifests.BlockFailed,
        LoadNeuronBlock => NtkManifests.LoadNeuronBlock,
        NeuronBlockLoaded => NtkManifests.NeuronBlockLoaded,
        NeuronStep => NtkManifests.NeuronStep,
        NeuronStepDone => NtkManifests.NeuronStepDone,
        NeuronBlockMissing => NtkManifests.NeuronBlockMissing,
        InspectNeuronBlock => NtkManifests.InspectNeuronBlock,
        NeuronBlockInspected => NtkManifests.NeuronBlockInspected,
        ReleaseNeuronBlock => NtkManifests.ReleaseNeuronBlock,
        CountPartition => NtkManifests.CountPartition,
        PartitionCounted => NtkManifests.PartitionCounted,
        ComputePartitionMoments => NtkManifests.ComputePartitionMoments,
        PartitionMomentsComputed => NtkManifests.PartitionMomentsComputed,
        BuildPartitionGram => NtkManifests.BuildPartitionGram,
        PartitionGramComputed => NtkManifests.PartitionGramComputed,
        PartitionSquaredErrors => NtkManifests.PartitionSquaredErrors,
        PartitionErrorsComputed => NtkManifests.PartitionErrorsComputed,
        PartitionUnreadable => NtkManifests.PartitionUnreadable,
        WritePartitionPredictions => NtkManifests.WritePartitionPredictions,
        StreamPartitionPredictions => NtkManifests.StreamPartitionPredictions,
        PartitionPredictionsWritten => NtkManifests.PartitionPredictionsWritten,
        FindPartitionSampleKeys => NtkManifests.FindPartitionSampleKeys,
        PartitionSampleKeysFound => NtkManifests.PartitionSampleKeysFound,
        ReadPartitionRows => NtkManifests.ReadPartitionRows,
        PartitionRowsRead => NtkManifests.PartitionRowsRead,
        ScorePartitionCandidates => NtkManifests.ScorePartitionCandidates,
        PartitionCandidatesScored => NtkManifests.PartitionCandidatesScored,
        FindPartitionLabels => NtkManifests.FindPartitionLabels,
        PartitionLabelsFound => NtkManifests.PartitionLabelsFound,
        TakePartitionCategoryCensus => NtkManifests.TakePartitionCategoryCensus,
        PartitionCategoryCensusTaken => NtkManifests.PartitionCategoryCensusTaken,
        ScanPartitionTextLabels => NtkManifests.ScanPartitionTextLabels,
        PartitionTextLabelsScanned => NtkManifests.PartitionTextLabelsScanned,
        ScorePartitionClassifier => NtkManifests.ScorePartitionClassifier,
        PartitionClassifierScored => NtkManifests.PartitionClassifierScored,
        ComputePartitionNetwork => NtkManifests.ComputePartitionNetwork,
        PartitionNetworkComputed => NtkManifests.PartitionNetworkComputed,
        ComputePartitionGap => NtkManifests.ComputePartitionGap,
        PartitionGapComputed => NtkManifests.PartitionGapComputed,
        BuildPartitionFoldGrams => NtkManifests.BuildPartitionFoldGrams,
        PartitionFoldGramsComputed => NtkManifests.PartitionFoldGramsComputed,
        PartitionFoldSquaredErrors => NtkManifests.PartitionFoldSquaredErrors,
        PartitionFoldErrorsComputed => NtkManifests.PartitionFoldErrorsComputed,
        BlockCommandChunk => NtkManifests.BlockCommandChunk,
        BlockReplyChunk => NtkManifests.BlockReplyChunk,
        _ => throw NotOurs(o),
    };

    public override string Manifest(object o) => ManifestOf(o);

    public override byte[] ToBinary(object obj) => Serialize(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Deserialize(bytes, manifest);

    /// <summary>
    /// The payload <see cref="ToBinary"/> writes, without an actor system: what a message too large for one frame is
    /// cut into (<see cref="BlockCommandChunk"/>, <see cref="BlockReplyChunk"/>), and what the pieces put together are
    /// read back from with <see cref="Deserialize"/>.
    /// </summary>
    public static byte[] Serialize(object obj)
    {
        var w = new PayloadWriter();
        w.WriteByte(FormatVersion);
        try
        {
            Write(w, obj);
        }
        catch (Exception e) when (e is ArgumentException or SerializationException or OverflowException)
        {
            throw new SerializationException($"{nameof(NtkMessageSerializer)} (id {SerializerId}) cannot write a {obj.GetType().Name}: {e.Message}", e);
        }
        return w.ToPayload();
    }

    /// <summary>Reads a payload written by <see cref="Serialize"/> for <paramref name="manifest"/>.</summary>
    public static object Deserialize(ReadOnlySpan<byte> bytes, string manifest)
    {
        if (!NtkManifests.All.Contains(manifest))
            throw new SerializationException(
                $"{nameof(NtkMessageSerializer)} (id {SerializerId}) does not know the manifest '{manifest}' ({bytes.Length} bytes); " +
                $"known: {string.Join(", ", NtkManifests.All)}. Is the sending node running a different protocol version?");
        try
        {
            var r = new PayloadReader(bytes);
            int version = r.ReadByte("the format version");
            if (version != FormatVersion)
                throw new SerializationException($"format version {version}, this node reads version {FormatVersion}");
            var message = Read(ref r, manifest);
            r.ExpectEnd();
            return message;
        }
        catch (Exception e) when (e is ArgumentException or SerializationException)
        {
            // ArgumentException: a constructor rejected what was read (a corrupt payload that happened to parse).
            throw new SerializationException(
                $"{nameof(NtkMessageSerializer)} (id {SerializerId}) cannot read a '{manifest}' payload of {bytes.Length} bytes: {e.Message}", e);
        }
    }

    private static void Write(PayloadWriter w, object obj)
    {
        switch (obj)
        {
            case BuildGramBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteFeatureDraws(m.Draws);
                w.WriteMatrix(m.X);
                w.WriteMatrix(m.Y);
                break;
            case GramBlockComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSymmetricMatrix(m.Gram);
                w.WriteMatrix(m.Cross);
                break;
            case BuildOuterBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                WriteDrawRange(w, m.Draws, m.FirstDraw, m.DrawCount);
                w.WriteMatrix(m.X);
                break;
            case OuterBlockComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSymmetricMatrix(m.Outer);
                break;
            case ProjectFeatureBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                WriteDrawRange(w, m.Draws, m.FirstDraw, m.DrawCount);
                w.WriteMatrix(m.X);
                w.WriteMatrix(m.Alpha);
                break;
            case FeatureBlockProjected m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteMatrix(m.Coefficients);
                break;
            case BuildKernelRows m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteString(m.KernelSpec);
                w.WriteMatrix(m.XBlock);
                w.WriteMatrix(m.X);
                break;
            case KernelRowsComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteMatrix(m.Rows);
                break;
            case ScoreCandidateBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteString(m.ScorerKey);
                if (w.WritePresence(m.Scorer)) w.WriteScorer(m.Scorer!);
                w.WriteMatrix(m.Candidates);
                break;
            case ScorerMissing m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                break;
            case CandidateBlockScored m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDoubles(m.Scores);
                break;
            case PredictBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteModel(m.Model);
                w.WriteMatrix(m.X);
                break;
            case BlockPredicted m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteMatrix(m.Predictions);
                break;
            case BlockFailed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteString(m.Reason);
                break;
            case LoadNeuronBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteNeuronBlockSetup(m.Setup);
                w.WriteMatrix(m.Weights);
                w.WriteInt32(m.Step);
                w.WriteInt32(m.ResidualsSince.Count);
                foreach (var residual in m.ResidualsSince) w.WriteDoubles(residual);
                break;
            case NeuronBlockLoaded m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Step);
                w.WriteDoubles(m.Outputs);
                w.WriteDouble(m.SquaredNorm);
                break;
            case NeuronStep m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Step);
                w.WriteDoubles(m.Residual);
                break;
            case NeuronStepDone m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Step);
                w.WriteDoubles(m.Outputs);
                w.WriteDouble(m.SquaredNorm);
                break;
            case NeuronBlockMissing m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                if (w.WritePresence(m.HasStep)) w.WriteInt32(m.HasStep!.Value);
                break;
            case InspectNeuronBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Step);
                if (w.WritePresence(m.TestX)) w.WriteMatrix(m.TestX!);
                w.WriteBool(m.WithKernel);
                break;
            case NeuronBlockInspected m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Step);
                w.WriteMatrix(m.Weights);
                w.WriteDouble(m.MaxWeightMove);
                w.WriteInt64(m.PatternFlips);
                // Kernel parts are n×n and symmetric by construction: upper triangles halve the largest reply of a job.
                if (w.WritePresence(m.KernelNow)) w.WriteSymmetricMatrix(m.KernelNow!);
                if (w.WritePresence(m.KernelInitial)) w.WriteSymmetricMatrix(m.KernelInitial!);
                if (w.WritePresence(m.TestOutputs)) w.WriteDoubles(m.TestOutputs);
                break;
            case ReleaseNeuronBlock m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                break;
            case CountPartition m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDataPartition(m.Partition);
                break;
            case PartitionCounted m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt64(m.Rows);
                w.WriteInt64(m.Lines);
                break;
            case ComputePartitionMoments m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                break;
            case PartitionMomentsComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteColumnMoments(m.Moments.Features);
                w.WriteColumnMoments(m.Moments.Targets);
                if (w.WritePresence(m.Moments.Missing)) w.WriteMissingCensus(m.Moments.Missing!);
                break;
            case BuildPartitionGram m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WritePreprocessor(m.Preprocessing);
                w.WriteFeatureDraws(m.Draws);
                break;
            case PartitionGramComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSymmetricMatrix(m.Partial.Gram);
                w.WriteMatrix(m.Partial.Cross);
                w.WriteDoubles(m.Partial.Squares);
                w.WriteInt64(m.Partial.Rows);
                break;
            case PartitionSquaredErrors m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WriteModel(m.Model);
                break;
            case PartitionErrorsComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSquaredErrorSum(m.Errors);
                break;
            case PartitionUnreadable m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteString(m.Worker);
                w.WriteString(m.Reason);
                break;
            case WritePartitionPredictions m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDataPartition(m.Partition);
                w.WriteModel(m.Model);
                if (w.WritePresence(m.Columns)) w.WriteStrings(m.Columns!);
                w.WriteInt64(m.DatasetRows);
                w.WriteString(m.Directory);
                w.WriteString(m.PartName);
                if (w.WritePresence(m.Keep)) w.WriteStrings(m.Keep!);
                break;
            case PartitionPredictionsWritten m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WritePredictionPart(m.Part);
                break;
            case StreamPartitionPredictions m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDataPartition(m.Partition);
                w.WriteModel(m.Model);
                if (w.WritePresence(m.Columns)) w.WriteStrings(m.Columns!);
                w.WriteInt64(m.DatasetRows);
                w.WriteString(m.PartName);
                w.WriteString(m.Session);
                if (w.WritePresence(m.Keep)) w.WriteStrings(m.Keep!);
                break;
            case FindPartitionSampleKeys m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDataPartition(m.Partition);
                w.WriteOptionalRowSplit(m.Split);
                w.WriteUInt64(m.Seed);
                w.WriteInt32(m.Count);
                w.WriteUInt64(m.MaxHash);
                break;
            case PartitionSampleKeysFound m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteRowSampleKeys(m.Keys);
                break;
            case ReadPartitionRows m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDataPartition(m.Partition);
                w.WritePartitionColumns(m.Columns);
                w.WriteInt64s(m.Rows);
                break;
            case PartitionRowsRead m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSampledRows(m.Rows);
                break;
            case ScorePartitionCandidates m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WritePreprocessor(m.Preprocessing);
                w.WriteFeatureDraws(m.FirstStage);
                w.WriteMatrix(m.Candidates);
                break;
            case PartitionCandidatesScored m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteFirstStageScoreSums(m.Sums);
                break;
            case FindPartitionLabels m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                break;
            case PartitionLabelsFound m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt64s(m.Labels);
                break;
            case TakePartitionCategoryCensus m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                break;
            case PartitionCategoryCensusTaken m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteCategoryCensus(m.Census);
                break;
            case ScanPartitionTextLabels m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                break;
            case PartitionTextLabelsScanned m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteTextLabelPartial(m.Partial);
                break;
            case ScorePartitionClassifier m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WriteModel(m.Model);
                w.WriteClassLabels(m.Classes);
                break;
            case PartitionClassifierScored m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteClassificationScore(m.Score);
                break;
            case ComputePartitionNetwork m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WritePreprocessor(m.Preprocessing);
                w.WriteNetworkPoint(m.Point);
                break;
            case PartitionNetworkComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteNetworkRoundPartial(m.Partial);
                break;
            case ComputePartitionGap m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WriteModel(m.Model);
                w.WriteModel(m.Reference);
                break;
            case PartitionGapComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteDouble(m.Gap.SquaredDifference);
                w.WriteDouble(m.Gap.SquaredReference);
                w.WriteInt64(m.Gap.Rows);
                break;
            case BuildPartitionFoldGrams m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WriteRowFolds(m.Folds);
                w.WritePreprocessor(m.Preprocessing);
                w.WriteFeatureDraws(m.Draws);
                break;
            case PartitionFoldGramsComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteInt32(m.Partials.Length);
                foreach (var partial in m.Partials) w.WritePartitionGram(partial);
                break;
            case PartitionFoldSquaredErrors m:
                WritePartitionRound(w, m.JobId, m.BlockIndex, m.Partition, m.Columns, m.Split);
                w.WriteRowFolds(m.Folds);
                w.WriteFoldModels(m.Models);
                break;
            case PartitionFoldErrorsComputed m:
                WriteBlock(w, m.JobId, m.BlockIndex);
                w.WriteSquaredErrorSums(m.Errors);
                break;
            case BlockCommandChunk m:
                w.WriteString(m.EntityId);
                WritePiece(w, m.TransferId, m.Index, m.Count, m.Manifest, m.Bytes);
                break;
            case BlockReplyChunk m:
                WritePiece(w, m.TransferId, m.Index, m.Count, m.Manifest, m.Bytes);
                break;
            default:
                throw NotOurs(obj);
        }
    }

    private static object Read(ref PayloadReader r, string manifest)
    {
        // Reads follow the writes above field by field; C# evaluates arguments and initializers left to right.
        switch (manifest)
        {
            case NtkManifests.BuildGramBlock:
                return new BuildGramBlock(JobId(ref r), Block(ref r), r.ReadFeatureDraws(), r.ReadMatrix("X"), r.ReadMatrix("Y"));
            case NtkManifests.GramBlockComputed:
                return new GramBlockComputed(JobId(ref r), Block(ref r), r.ReadSymmetricMatrix("ΨᵀΨ"), r.ReadMatrix("ΨᵀY"));
            case NtkManifests.BuildOuterBlock:
            {
                var (jobId, block, (draws, first, count)) = (JobId(ref r), Block(ref r), DrawRange(ref r));
                return new BuildOuterBlock(jobId, block, draws, first, count, r.ReadMatrix("X"));
            }
            case NtkManifests.OuterBlockComputed:
                return new OuterBlockComputed(JobId(ref r), Block(ref r), r.ReadSymmetricMatrix("ΨΨᵀ"));
            case NtkManifests.ProjectFeatureBlock:
            {
                var (jobId, block, (draws, first, count)) = (JobId(ref r), Block(ref r), DrawRange(ref r));
                return new ProjectFeatureBlock(jobId, block, draws, first, count, r.ReadMatrix("X"), r.ReadMatrix("α"));
            }
            case NtkManifests.FeatureBlockProjected:
                return new FeatureBlockProjected(JobId(ref r), Block(ref r), r.ReadMatrix("β"));
            case NtkManifests.BuildKernelRows:
                return new BuildKernelRows(JobId(ref r), Block(ref r), r.ReadString("the kernel spec"), r.ReadMatrix("X_b"), r.ReadMatrix("X"));
            case NtkManifests.KernelRowsComputed:
                return new KernelRowsComputed(JobId(ref r), Block(ref r), r.ReadMatrix("the kernel rows"));
            case NtkManifests.ScoreCandidateBlock:
                return new ScoreCandidateBlock(JobId(ref r), Block(ref r), r.ReadString("the scorer key"),
                    r.ReadPresence("the scorer") ? r.ReadScorer() : null, r.ReadMatrix("the candidates"));
            case NtkManifests.ScorerMissing:
                return new ScorerMissing(JobId(ref r), Block(ref r));
            case NtkManifests.CandidateBlockScored:
                return new CandidateBlockScored(JobId(ref r), Block(ref r), r.ReadDoubles("the scores"));
            case NtkManifests.PredictBlock:
                return new PredictBlock(JobId(ref r), Block(ref r), r.ReadModel(), r.ReadMatrix("X"));
            case NtkManifests.BlockPredicted:
                return new BlockPredicted(JobId(ref r), Block(ref r), r.ReadMatrix("the predictions"));
            case NtkManifests.BlockFailed:
                return new BlockFailed(JobId(ref r), Block(ref r), r.ReadString("the reason"));
            case NtkManifests.LoadNeuronBlock:
            {
                string jobId = JobId(ref r);
                int block = Block(ref r);
                var setup = r.ReadNeuronBlockSetup();
                var weights = r.ReadMatrix("the weights");
                int step = r.ReadInt32("the step");
                var residuals = new double[r.ReadCount("the residuals", 4)][];
                for (int i = 0; i < residuals.Length; i++) residuals[i] = r.ReadDoubles("a residual");
                return new LoadNeuronBlock(jobId, block, setup, weights, step, residuals);
            }
            case NtkManifests.NeuronBlockLoaded:
                return new NeuronBlockLoaded(JobId(ref r), Block(ref r), r.ReadInt32("the step"), r.ReadDoubles("the outputs"), r.ReadDouble("Σ‖w‖²"));
            case NtkManifests.NeuronStep:
                return new NeuronStep(JobId(ref r), Block(ref r), r.ReadInt32("the step"), r.ReadDoubles("the residual"));
            case NtkManifests.NeuronStepDone:
                return new NeuronStepDone(JobId(ref r), Block(ref r), r.ReadInt32("the step"), r.ReadDoubles("the outputs"), r.ReadDouble("Σ‖w‖²"));
            case NtkManifests.NeuronBlockMissing:
                return new NeuronBlockMissing(JobId(ref r), Block(ref r), r.ReadPresence("the step") ? r.ReadInt32("the step") : null);
            case NtkManifests.InspectNeuronBlock:
                return new InspectNeuronBlock(JobId(ref r), Block(ref r), r.ReadInt32("the step"),
                    r.ReadPresence("the test rows") ? r.ReadMatrix("the test rows") : null, r.ReadBool("with-kernel"));
            case NtkManifests.NeuronBlockInspected:
                return new NeuronBlockInspected(JobId(ref r), Block(ref r), r.ReadInt32("the step"), r.ReadMatrix("the weights"),
                    r.ReadDouble("the max weight move"), r.ReadInt64("the pattern flips"),
                    r.ReadPresence("H(t)") ? r.ReadSymmetricMatrix("H(t)") : null,
                    r.ReadPresence("H(0)") ? r.ReadSymmetricMatrix("H(0)") : null,
                    r.ReadPresence("the test outputs") ? r.ReadDoubles("the test outputs") : null);
            case NtkManifests.ReleaseNeuronBlock:
                return new ReleaseNeuronBlock(JobId(ref r), Block(ref r));
            case NtkManifests.CountPartition:
                return new CountPartition(JobId(ref r), Block(ref r), r.ReadDataPartition());
            case NtkManifests.PartitionCounted:
                return new PartitionCounted(JobId(ref r), Block(ref r), r.ReadInt64("the rows"), r.ReadInt64("the lines"));
            case NtkManifests.ComputePartitionMoments:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ComputePartitionMoments(jobId, block, partition, columns, split);
            }
            case NtkManifests.PartitionMomentsComputed:
                return new PartitionMomentsComputed(JobId(ref r), Block(ref r),
                    new NtkCluster.Numerics.Partitions.PartitionMoments(r.ReadColumnMoments(), r.ReadColumnMoments())
                    {
                        Missing = r.ReadPresence("the missing census") ? r.ReadMissingCensus() : null,
                    });
            case NtkManifests.BuildPartitionGram:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new BuildPartitionGram(jobId, block, partition, columns, split, r.ReadPreprocessor(), r.ReadFeatureDraws());
            }
            case NtkManifests.PartitionGramComputed:
                return new PartitionGramComputed(JobId(ref r), Block(ref r), new NtkCluster.Numerics.Partitions.PartitionGram(
                    r.ReadSymmetricMatrix("ΨᵀΨ"), r.ReadMatrix("ΨᵀY"), r.ReadDoubles("Σy²"), r.ReadInt64("the rows")));
            case NtkManifests.PartitionSquaredErrors:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new PartitionSquaredErrors(jobId, block, partition, columns, split, r.ReadModel());
            }
            case NtkManifests.PartitionErrorsComputed:
                return new PartitionErrorsComputed(JobId(ref r), Block(ref r), r.ReadSquaredErrorSum());
            case NtkManifests.ScorePartitionCandidates:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ScorePartitionCandidates(jobId, block, partition, columns, split, r.ReadPreprocessor(), r.ReadFeatureDraws(),
                    r.ReadMatrix("the candidates"));
            }
            case NtkManifests.PartitionCandidatesScored:
                return new PartitionCandidatesScored(JobId(ref r), Block(ref r), r.ReadFirstStageScoreSums());
            case NtkManifests.FindPartitionLabels:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new FindPartitionLabels(jobId, block, partition, columns, split);
            }
            case NtkManifests.PartitionLabelsFound:
                return new PartitionLabelsFound(JobId(ref r), Block(ref r), r.ReadInt64s("the labels"));
            case NtkManifests.TakePartitionCategoryCensus:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new TakePartitionCategoryCensus(jobId, block, partition, columns, split);
            }
            case NtkManifests.PartitionCategoryCensusTaken:
                return new PartitionCategoryCensusTaken(JobId(ref r), Block(ref r), r.ReadCategoryCensus());
            case NtkManifests.ScanPartitionTextLabels:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ScanPartitionTextLabels(jobId, block, partition, columns, split);
            }
            case NtkManifests.PartitionTextLabelsScanned:
                return new PartitionTextLabelsScanned(JobId(ref r), Block(ref r), r.ReadTextLabelPartial());
            case NtkManifests.ScorePartitionClassifier:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ScorePartitionClassifier(jobId, block, partition, columns, split, r.ReadModel(), r.ReadClassLabels());
            }
            case NtkManifests.PartitionClassifierScored:
                return new PartitionClassifierScored(JobId(ref r), Block(ref r), r.ReadClassificationScore());
            case NtkManifests.PartitionUnreadable:
                return new PartitionUnreadable(JobId(ref r), Block(ref r), r.ReadString("the worker"), r.ReadString("the reason"));
            case NtkManifests.WritePartitionPredictions:
                return new WritePartitionPredictions(JobId(ref r), Block(ref r), r.ReadDataPartition(), r.ReadModel(),
                    r.ReadPresence("the columns") ? r.ReadStrings("the columns") : null, r.ReadInt64("the dataset's rows"), r.ReadString("the directory"),
                    r.ReadString("the part's name"))
                {
                    Keep = r.ReadPresence("the kept columns") ? r.ReadStrings("the kept columns") : null,
                };
            case NtkManifests.PartitionPredictionsWritten:
                return new PartitionPredictionsWritten(JobId(ref r), Block(ref r), r.ReadPredictionPart());
            case NtkManifests.StreamPartitionPredictions:
                return new StreamPartitionPredictions(JobId(ref r), Block(ref r), r.ReadDataPartition(), r.ReadModel(),
                    r.ReadPresence("the columns") ? r.ReadStrings("the columns") : null, r.ReadInt64("the dataset's rows"), r.ReadString("the part's name"),
                    r.ReadString("the session"))
                {
                    Keep = r.ReadPresence("the kept columns") ? r.ReadStrings("the kept columns") : null,
                };
            case NtkManifests.FindPartitionSampleKeys:
                return new FindPartitionSampleKeys(JobId(ref r), Block(ref r), r.ReadDataPartition(), r.ReadOptionalRowSplit(), r.ReadUInt64("the seed"),
                    r.ReadInt32("the count"), r.ReadUInt64("the hash bound"));
            case NtkManifests.PartitionSampleKeysFound:
                return new PartitionSampleKeysFound(JobId(ref r), Block(ref r), r.ReadRowSampleKeys());
            case NtkManifests.ReadPartitionRows:
                return new ReadPartitionRows(JobId(ref r), Block(ref r), r.ReadDataPartition(), r.ReadPartitionColumns(), r.ReadInt64s("the row indices"));
            case NtkManifests.PartitionRowsRead:
                return new PartitionRowsRead(JobId(ref r), Block(ref r), r.ReadSampledRows());
            case NtkManifests.ComputePartitionNetwork:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ComputePartitionNetwork(jobId, block, partition, columns, split, r.ReadPreprocessor(), r.ReadNetworkPoint());
            }
            case NtkManifests.PartitionNetworkComputed:
                return new PartitionNetworkComputed(JobId(ref r), Block(ref r), r.ReadNetworkRoundPartial());
            case NtkManifests.ComputePartitionGap:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new ComputePartitionGap(jobId, block, partition, columns, split, r.ReadModel(), r.ReadModel());
            }
            case NtkManifests.PartitionGapComputed:
                return new PartitionGapComputed(JobId(ref r), Block(ref r), new NtkCluster.Numerics.Evaluation.PredictionGap(
                    r.ReadDouble("Σ(a−b)²"), r.ReadDouble("Σb²"), r.ReadInt64("the rows")));
            case NtkManifests.BuildPartitionFoldGrams:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new BuildPartitionFoldGrams(jobId, block, partition, columns, split, r.ReadRowFolds(), r.ReadPreprocessor(), r.ReadFeatureDraws());
            }
            case NtkManifests.PartitionFoldGramsComputed:
            {
                string jobId = JobId(ref r);
                int block = Block(ref r);
                var partials = new NtkCluster.Numerics.Partitions.PartitionGram[r.ReadCount("the fold partials", 24)];
                for (int f = 0; f < partials.Length; f++) partials[f] = r.ReadPartitionGram();
                return new PartitionFoldGramsComputed(jobId, block, partials);
            }
            case NtkManifests.PartitionFoldSquaredErrors:
            {
                var (jobId, block, partition, columns, split) = PartitionRound(ref r);
                return new PartitionFoldSquaredErrors(jobId, block, partition, columns, split, r.ReadRowFolds(), r.ReadFoldModels());
            }
            case NtkManifests.PartitionFoldErrorsComputed:
                return new PartitionFoldErrorsComputed(JobId(ref r), Block(ref r), r.ReadSquaredErrorSums());
            case NtkManifests.BlockCommandChunk:
            {
                string entityId = r.ReadString("the entity id");
                var (transfer, index, count, pieceManifest, bytes) = Piece(ref r);
                return new BlockCommandChunk(entityId, transfer, index, count, pieceManifest, bytes);
            }
            case NtkManifests.BlockReplyChunk:
            {
                var (transfer, index, count, pieceManifest, bytes) = Piece(ref r);
                return new BlockReplyChunk(transfer, index, count, pieceManifest, bytes);
            }
            default:
                // NtkManifests.All lists a manifest that has no reader: a bug here, not a bad payload.
                throw new InvalidOperationException($"{nameof(NtkMessageSerializer)} has no reader for its own manifest '{manifest}'");
        }
    }

    /// <summary>Every message starts with the job id and block index it belongs to.</summary>
    private static void WriteBlock(PayloadWriter w, string jobId, int blockIndex)
    {
        w.WriteString(jobId);
        w.WriteInt32(blockIndex);
    }

    /// <summary>The draws a feature-range command works on: all the draws, and the range of them its block covers.</summary>
    private static void WriteDrawRange(PayloadWriter w, FeatureDraws draws, int firstDraw, int drawCount)
    {
        w.WriteFeatureDraws(draws);
        w.WriteInt32(firstDraw);
        w.WriteInt32(drawCount);
    }

    private static (FeatureDraws Draws, int FirstDraw, int DrawCount) DrawRange(ref PayloadReader r) =>
        (r.ReadFeatureDraws(), r.ReadInt32("the first draw"), r.ReadInt32("the draw count"));

    /// <summary>What every partition command starts with: its block, the partition, the columns it reads and the split side.</summary>
    private static void WritePartitionRound(PayloadWriter w, string jobId, int blockIndex, NtkCluster.Numerics.Partitions.DataPartition partition,
        NtkCluster.Numerics.Partitions.PartitionColumns columns, NtkCluster.Numerics.Partitions.RowSplit? split)
    {
        WriteBlock(w, jobId, blockIndex);
        w.WriteDataPartition(partition);
        w.WritePartitionColumns(columns);
        w.WriteOptionalRowSplit(split);
    }

    private static (string JobId, int Block, NtkCluster.Numerics.Partitions.DataPartition Partition, NtkCluster.Numerics.Partitions.PartitionColumns Columns,
        NtkCluster.Numerics.Partitions.RowSplit? Split) PartitionRound(ref PayloadReader r) =>
        (JobId(ref r), Block(ref r), r.ReadDataPartition(), r.ReadPartitionColumns(), r.ReadOptionalRowSplit());

    /// <summary>A piece of a block command or reply (<see cref="ChunkedTransfer"/>), after what routes it.</summary>
    private static void WritePiece(PayloadWriter w, long transferId, int index, int count, string manifest, byte[] bytes)
    {
        w.WriteInt64(transferId);
        w.WriteInt32(index);
        w.WriteInt32(count);
        w.WriteString(manifest);
        w.WriteBytes(bytes);
    }

    /// <summary>A piece's transfer, position (0 ≤ index &lt; count), manifest and bytes.</summary>
    private static (long TransferId, int Index, int Count, string Manifest, byte[] Bytes) Piece(ref PayloadReader r)
    {
        long transfer = r.ReadInt64("the transfer id");
        int at = r.Position;
        int index = r.ReadInt32("the chunk index");
        int count = r.ReadInt32("the chunk count");
        if (count < 1 || index < 0 || index >= count)
            throw new SerializationException($"corrupt payload: chunk {index} of {count} at offset {at}");
        return (transfer, index, count, r.ReadString("the manifest"), r.ReadBytes("the chunk"));
    }

    private static string JobId(ref PayloadReader r) => r.ReadString("the job id");

    private static int Block(ref PayloadReader r) => r.ReadInt32("the block index");

    private static SerializationException NotOurs(object? o) =>
        new($"{nameof(NtkMessageSerializer)} (id {SerializerId}) has no wire format for {o?.GetType().FullName ?? "null"}; " +
            $"every {nameof(INtkMessage)} needs a manifest and a writer here");
}
