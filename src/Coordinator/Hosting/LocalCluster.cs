using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Coordinator.Transport;

namespace NtkCluster.Coordinator.Hosting;

/// <summary>
/// Local mode: one process hosting a one-node Akka cluster with both roles — the coordinator and the Worker's
/// sharded block entities — so a laptop run goes through exactly the message flow of a multi-node cluster.
/// </summary>
public sealed class LocalCluster : IJobRunner
{
    public ActorSystem System { get; }
    public IActorRef Region { get; }
    public IActorRef Neurons { get; }
    public IActorRef Coordinator { get; }
    public int Workers { get; }

    /// <summary>Blocks in flight per round: the workers (compute threads) of this process.</summary>
    public int Window => Workers;

    private LocalCluster(ActorSystem system, IActorRef region, IActorRef neurons, IActorRef coordinator, int workers)
    {
        System = system;
        Region = region;
        Neurons = neurons;
        Coordinator = coordinator;
        Workers = workers;
    }

    /// <param name="workers">Blocks computed at once (compute threads); the model does not depend on it.</param>
    public static async Task<LocalCluster> StartAsync(int workers, Action<ProgressUpdate>? progress = null, TimeSpan? blockTimeout = null, bool serializeMessages = false)
    {
        var options = new NodeOptions
        {
            Port = 0,
            Roles = new[] { BlockSharding.CoordinatorRole, BlockSharding.WorkerRole },
            ComputeThreads = workers,
            SerializeMessages = serializeMessages,
            // One process, no peers: Akka's warnings here are its own start-up chatter (a region retrying to register
            // with a shard coordinator that is still starting, on a busy machine), which would land in the middle of
            // the progress bar. A job's real failures reach the user as its own one-line errors. NTK_DEBUG=1 shows them.
            LogLevel = Environment.GetEnvironmentVariable("NTK_DEBUG") == "1" ? "WARNING" : "ERROR",
        };
        var system = NodeConfig.CreateSystem(options);
        try
        {
            var cluster = Cluster.Get(system);
            var up = system.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
            cluster.Join(cluster.SelfAddress);
            if (!await up)
                throw new JobFailedException("the local cluster node did not come up within 30 s");
            var region = await system.StartBlockRegionAsync();
            var neurons = await system.StartNeuronRegionAsync();
            var coordinator = system.ActorOf(CoordinatorActor.Props(new WorkerRegions(region, neurons), RoundOptions.ForWorkers(workers, blockTimeout), progress ?? (_ => { })), "coordinator");
            return new LocalCluster(system, region, neurons, coordinator, workers);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Submits a job and waits for its answer; the ask's timeout is a backstop, blocks have their own.</summary>
    public async Task<T> RunAsync<T>(object submission)
    {
        var answer = await Coordinator.Ask<object>(submission, TimeSpan.FromDays(7));
        return answer switch
        {
            JobSucceeded { Outcome: T result } => result,
            JobFailed { IsBadInput: true } f => throw new NtkCluster.Numerics.Errors.InvalidInputException(f.Reason),
            JobFailed f => throw new JobFailedException(f.Reason),
            _ => throw new JobFailedException($"unexpected answer {answer.GetType().Name}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        // A one-node cluster has nobody to hand over to: terminate directly instead of a graceful leave.
        await System.Terminate();
    }
}
