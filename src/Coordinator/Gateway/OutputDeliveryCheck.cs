using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// How a partitioned prediction's parts reach the output (<c>ntk predict --out-delivery</c>), decided before the job
/// starts, like the rows' check (<see cref="DataPlaneCheck"/>): every worker node's data probe is asked to create a
/// file in the output's staging directory — which the client made just before, under a random name, so a node that
/// can is on the client's file system. All can: the workers write the parts there. Otherwise they stream them back.
/// </summary>
public static class OutputDeliveryCheck
{
    /// <summary>The decision: stream or not, the note that says which and why, or the one-line failure of <c>--out-delivery shared</c>.</summary>
    public sealed record Decision(bool Stream, string Note, string? Failure);

    public static async Task<Decision> DecideAsync(ActorSystem system, IReadOnlyList<Member> workers, string directory, OutputDelivery delivery)
    {
        if (delivery == OutputDelivery.Streamed)
            return new Decision(true, "predictions: streamed back to the client, which writes the parts (--out-delivery streamed)", null);
        var answers = await DataProbes.AskAllAsync<OutputProbed>(system, workers, new ProbeOutput(Guid.NewGuid().ToString("N"), directory), "output probe");
        string? problem = answers.Select(a => a.Silence ?? (a.Reply!.Error is { } error ? $"worker {a.Worker} cannot write the output: {error}" : null))
            .FirstOrDefault(p => p is not null);
        if (problem is null)
            return new Decision(false, string.Create(CultureInfo.InvariantCulture,
                $"predictions: written by the workers into the output (all {workers.Count} worker(s) can write its staging directory)"), null);
        return delivery == OutputDelivery.Shared
            ? new Decision(false, "", $"--out-delivery shared: {problem}")
            : new Decision(true, $"predictions: streamed back to the client, which writes the parts, because {problem}", null);
    }
}
