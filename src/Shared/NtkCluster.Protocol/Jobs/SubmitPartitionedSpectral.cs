using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Spectral;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks for the spectral report of one feature draw on a partitioned dataset
/// (<see cref="SpectralAnalyzer.AnalyzePartitionedAsync"/>): the partitions' descriptors travel, never their rows; the
/// workers read the partitions from the same paths and the job gathers a hashed sample of at most
/// <see cref="ExactRowLimit"/> rows. Answered with <see cref="SpectralOutcome"/> or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it (file, directory or glob), for messages.</param>
/// <param name="Split">The training side of a hashed train/test split, or null for every row.</param>
/// <param name="ExactRowLimit">Up to this many rows ε is exact; beyond, the sample has this many rows and ε is a lower bound.</param>
public sealed record SubmitPartitionedSpectral(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns, RowSplit? Split,
    FitSettings Settings, double Epsilon, double Delta, int ExactRowLimit) : INoSerializationVerificationNeeded;
