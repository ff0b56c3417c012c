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

    public CoordinatorActor(IActorRef region, RoundOptions options, Action<string> progress)
    {
        Receive<SubmitFit>(m => StartJob("fit", m, region, options, progress));
        Receive<SubmitPredict>(m => StartJob("predict", m, region, options, progress));
        Receive<SubmitSpectral>(m => StartJob("spectral", m, region, options, progress));
        Receive<SubmitSweep>(m => StartJob("sweep", m, region, options, progress));
    }

    private void StartJob(string kind, object submission, IActorRef region, RoundOptions options, Action<string> progress)
    {
        // Job ids are unique per coordinator incarnation, so block entities of different jobs never collide.
        string jobId = $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)] + $"-{++_jobs}";
        var replyTo = Sender;
        Context.ActorOf(Akka.Actor.Props.Create(() => new JobActor(jobId, submission, region, options, replyTo, progress))
            .WithDispatcher(NodeConfig.ComputeDispatcher), jobId);
    }

    public static Props Props(IActorRef region, RoundOptions options, Action<string> progress) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(region, options, progress));
}
