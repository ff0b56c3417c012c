using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// Asks every worker node's data probe (<see cref="ShippingPaths.DataProbe"/>) one question at once, each with
/// <see cref="Timeout"/>, and names the node each answer is from — the checks made before a job starts
/// (<see cref="DataPlaneCheck"/>, <see cref="OutputDeliveryCheck"/>) differ only in the question and in what they make of
/// the answers.
/// </summary>
public static class DataProbes
{
    /// <summary>How long a worker's probe may take (a fingerprint reads at most 1 MiB of a file).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>One worker's answer: its name (<see cref="WorkerNames.Of(Address)"/>), and the answer or, when it did not
    /// answer in time, the clause that says so.</summary>
    public sealed record Answer<TAnswer>(string Worker, TAnswer? Reply, string? Silence) where TAnswer : class;

    /// <summary>The answers of all <paramref name="workers"/>, in their order.</summary>
    /// <param name="describe">What the question is called in the line of a worker that did not answer ("data probe").</param>
    public static async Task<IReadOnlyList<Answer<TAnswer>>> AskAllAsync<TAnswer>(ActorSystem system, IReadOnlyList<Member> workers, object message,
        string describe) where TAnswer : class
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(workers);
        return await Task.WhenAll(workers.Select(async m =>
        {
            string name = WorkerNames.Of(m.Address);
            try
            {
                var probe = system.ActorSelection(new RootActorPath(m.Address) / "user" / ShippingPaths.DataProbe);
                return new Answer<TAnswer>(name, await probe.Ask<TAnswer>(message, Timeout), null);
            }
            catch (AskTimeoutException)
            {
                return new Answer<TAnswer>(name, null, $"worker {name} did not answer the {describe} within {Timeout.TotalSeconds:0} s");
            }
        }));
    }
}
