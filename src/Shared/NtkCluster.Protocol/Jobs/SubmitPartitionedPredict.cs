using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator to predict a partitioned dataset with a model, one part per partition
/// (<see cref="ModelPredictor.PredictPartitionsAsync"/>): the workers read the partitions from their paths and write
/// each part into <see cref="Directory"/>, the staging directory of the output (<see cref="PartitionedOutput"/>), which
/// they share with the client. It carries the partitions' descriptors and the model, never rows or predictions.
/// Answered with the parts' receipts (<see cref="PredictionPart"/>[], in partition order) or <see cref="JobFailed"/>.
/// </summary>
/// <param name="Source">The dataset as the user named it (directory or glob), for messages.</param>
/// <param name="Columns">The <c>--columns</c> choice, or null.</param>
/// <param name="Directory">Where the parts go: a full path every worker can write.</param>
public sealed record SubmitPartitionedPredict(string Source, IReadOnlyList<DataPartition> Partitions, IPredictiveModel Model, string[]? Columns,
    string Directory) : INoSerializationVerificationNeeded
{
    /// <summary>How the parts reach <see cref="Directory"/> on a cluster (<c>--out-delivery</c>): written by the workers,
    /// or streamed back to the client, which writes them; the coordinator decides <see cref="OutputDelivery.Auto"/>
    /// by probing the workers. Local mode writes the parts in-process whatever this says.</summary>
    public OutputDelivery Delivery { get; init; }

    /// <summary>The <c>--keep</c> columns, which the partitions' readers copy in front of the predictions; null for none.</summary>
    public string[]? Keep { get; init; }

    /// <summary>Set by the coordinator's job session when the parts are streamed back: its full actor path, where the
    /// workers send them (<see cref="Messages.StreamPartitionPredictions"/>). Never sent by a client.</summary>
    public string? StreamTo { get; init; }
}
