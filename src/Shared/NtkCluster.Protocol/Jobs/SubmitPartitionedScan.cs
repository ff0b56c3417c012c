using Akka.Actor;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks for what a partitioned job must know before its first numeric round — the categories of the text feature
/// columns (<see cref="CategoryCensus"/>) and the classes of text labels (<see cref="TextLabelScan"/>) — taken by
/// rounds where the partitions are read, so the client reads no rows. Answered with <see cref="PartitionScanOutcome"/>
/// or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it, as the refusals name it.</param>
/// <param name="Columns">The columns as resolved, without the categorical encoding yet.</param>
/// <param name="Split">The training side of a hashed split (the text labels are those of the training rows).</param>
/// <param name="Categories">Whether to take the category census.</param>
/// <param name="Forced">The <c>--categorical</c> columns, or null.</param>
/// <param name="Missing">The <c>--missing</c> policy the encoding is made under.</param>
/// <param name="TextLabels">Whether to scan the label column for text classes.</param>
public sealed record SubmitPartitionedScan(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns, RowSplit? Split,
    bool Categories, string[]? Forced, MissingPolicy Missing, bool TextLabels) : INoSerializationVerificationNeeded;
