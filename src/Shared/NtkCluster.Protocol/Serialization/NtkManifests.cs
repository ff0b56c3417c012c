namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The string manifest of every message type on the wire. They travel with every message, so they are short; they
/// are part of the protocol, so a name never changes meaning — a new or changed message gets a new manifest, and a
/// node that does not know it says so instead of misreading it. A reply's manifest is its command's plus "-r".
/// </summary>
public static class NtkManifests
{
    public const string BuildGramBlock = "gram";
    public const string GramBlockComputed = "gram-r";
    public const string BuildOuterBlock = "outer";
    /// <summary>"outer-r" carried the whole n×n partial; "outer-r2" its upper triangle.</summary>
    public const string OuterBlockComputed = "outer-r2";
    public const string ProjectFeatureBlock = "proj";
    public const string FeatureBlockProjected = "proj-r";
    public const string BuildKernelRows = "krows";
    public const string KernelRowsComputed = "krows-r";
    /// <summary>"score" carried the scorer always; "score-2" has a key and carries the scorer only when a node lacks it.</summary>
    public const string ScoreCandidateBlock = "score-2";
    public const string ScorerMissing = "score-miss";
    public const string CandidateBlockScored = "score-r";
    public const string PredictBlock = "pred";
    public const string BlockPredicted = "pred-r";
    public const string BlockFailed = "failed";
    public const string LoadNeuronBlock = "nload";
    public const string NeuronBlockLoaded = "nload-r";
    public const string NeuronStep = "nstep";
    public const string NeuronStepDone = "nstep-r";
    public const string NeuronBlockMissing = "nmissing";
    public const string InspectNeuronBlock = "ninspect";
    public const string NeuronBlockInspected = "ninspect-r";
    public const string ReleaseNeuronBlock = "nrelease";

    /// <summary>Partition rounds: a command per partition of a dataset, read where it runs; its answer is one partial.</summary>
    public const string CountPartition = "pcount";
    public const string PartitionCounted = "pcount-r";
    public const string ComputePartitionMoments = "pstats";
    public const string PartitionMomentsComputed = "pstats-r";
    public const string BuildPartitionGram = "pgram";
    public const string PartitionGramComputed = "pgram-r";
    public const string PartitionSquaredErrors = "perr";
    public const string PartitionErrorsComputed = "perr-r";
    public const string PartitionUnreadable = "punread";
    public const string WritePartitionPredictions = "ppred";
    public const string PartitionPredictionsWritten = "ppred-r";
    public const string FindPartitionSampleKeys = "pkeys";
    public const string PartitionSampleKeysFound = "pkeys-r";
    public const string ReadPartitionRows = "prows";
    public const string PartitionRowsRead = "prows-r";
    public const string ScorePartitionCandidates = "pscore";
    public const string PartitionCandidatesScored = "pscore-r";
    public const string FindPartitionLabels = "plabels";
    public const string PartitionLabelsFound = "plabels-r";
    public const string TakePartitionCategoryCensus = "pcensus";
    public const string PartitionCategoryCensusTaken = "pcensus-r";
    public const string ScanPartitionTextLabels = "ptexts";
    public const string PartitionTextLabelsScanned = "ptexts-r";
    public const string ScorePartitionClassifier = "pclass";
    public const string PartitionClassifierScored = "pclass-r";
    public const string ComputePartitionNetwork = "pnet";
    public const string PartitionNetworkComputed = "pnet-r";
    public const string ComputePartitionGap = "pgap";
    public const string PartitionGapComputed = "pgap-r";
    public const string BuildPartitionFoldGrams = "pfgram";
    public const string PartitionFoldGramsComputed = "pfgram-r";
    public const string PartitionFoldSquaredErrors = "pferr";
    public const string PartitionFoldErrorsComputed = "pferr-r";

    /// <summary>A piece of a command or reply too large for one frame (<see cref="Messages.BlockCommandChunk"/>).</summary>
    public const string BlockCommandChunk = "chunk";
    public const string BlockReplyChunk = "chunk-r";

    /// <summary><see cref="Messages.StreamPartitionPredictions"/>: a part streamed back to the client (answered by <see cref="PartitionPredictionsWritten"/>).</summary>
    public const string StreamPartitionPredictions = "pstream";

    /// <summary>Every manifest, for error messages and tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        BuildGramBlock, GramBlockComputed, BuildOuterBlock, OuterBlockComputed, ProjectFeatureBlock, FeatureBlockProjected,
        BuildKernelRows, KernelRowsComputed, ScoreCandidateBlock, ScorerMissing, CandidateBlockScored, PredictBlock, BlockPredicted,
        BlockFailed, LoadNeuronBlock, NeuronBlockLoaded, NeuronStep, NeuronStepDone, NeuronBlockMissing,
        InspectNeuronBlock, NeuronBlockInspected, ReleaseNeuronBlock, CountPartition, PartitionCounted, ComputePartitionMoments,
        PartitionMomentsComputed, BuildPartitionGram, PartitionGramComputed, PartitionSquaredErrors, PartitionErrorsComputed,
        PartitionUnreadable, BlockCommandChunk, BlockReplyChunk, WritePartitionPredictions, PartitionPredictionsWritten,
        FindPartitionSampleKeys, PartitionSampleKeysFound, ReadPartitionRows, PartitionRowsRead,
        ScorePartitionCandidates, PartitionCandidatesScored, FindPartitionLabels, PartitionLabelsFound, ScorePartitionClassifier,
        PartitionClassifierScored,
        ComputePartitionNetwork, PartitionNetworkComputed, ComputePartitionGap, PartitionGapComputed,
        BuildPartitionFoldGrams, PartitionFoldGramsComputed, PartitionFoldSquaredErrors, PartitionFoldErrorsComputed,
        StreamPartitionPredictions,
        TakePartitionCategoryCensus, PartitionCategoryCensusTaken, ScanPartitionTextLabels, PartitionTextLabelsScanned,
    ];
}
