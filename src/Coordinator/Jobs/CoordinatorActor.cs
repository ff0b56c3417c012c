using Akka.Actor;
using NtkCluster.Protocol.Hosting;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// The coordinator: accepts job submissions and runs each in its own <see cref="JobActor"/>, so jobs run
/// side by side and a failing job takes nothing else down.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private int _jobs;

    public CoordinatorActor(WorkerRegions regions, RoundOptions options, Action<string> progress)
    {
        Receive<SubmitFit>(m => StartJob("fit", m, regions, options, progress));
        Receive<SubmitStreamedFit>(m => StartJob("fit", m, regions, options, progress));
        Receive<SubmitPredict>(m => StartJob("predict", m, regions, options, progress));
        Receive<SubmitSpectral>(m => StartJob("spectral", m, regions, options, progress));
        Receive<SubmitSweep>(m => StartJob("sweep", m, regions, options, progress));
        Receive<SubmitTrainNetwork>(m => StartJob("nn", m, regions, options, progress));
    }

    private void StartJob(string kind, object submission, WorkerRegions regions, RoundOptions options, Action<string> progress)
    {
        // Job ids are unique per coordinator incarnation, so block entities of different jobs never collide.
        string jobId = $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)] + $"-{++_jobs}";
        var replyTo = Sender;
        Context.ActorOf(Akka.Actor.Props.Create(() => new JobActor(jobId, submission, regions, options, replyTo, progress))
            .WithDispatcher(NodeConfig.ComputeDispatcher), jobId);
    }

    public static Props Props(WorkerRegions regions, RoundOptions options, Action<string> progress) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(regions, options, progress));
}
