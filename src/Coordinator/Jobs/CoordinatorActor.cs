using Akka.Actor;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// A job submitted with its own round options and progress sink (a client's job on a cluster coordinator, whose
/// window depends on the workers Up when it starts and whose progress goes back to that client). Answered like the
/// bare <c>Submit*</c> records: with the job's outcome or <see cref="JobFailed"/>. Never crosses the network.
/// </summary>
/// <param name="Submission">One of the <c>Submit*</c> records.</param>
/// <param name="Started">Told the job's id once its actor exists (before any progress line).</param>
public sealed record RunJob(object Submission, RoundOptions Options, Action<ProgressUpdate> Progress, Action<string>? Started = null)
    : INoSerializationVerificationNeeded;

/// <summary>
/// The coordinator: accepts job submissions and runs each in its own <see cref="JobActor"/>, so jobs run
/// side by side and a failing job takes nothing else down.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private int _jobs;

    public CoordinatorActor(WorkerRegions regions, RoundOptions options, Action<ProgressUpdate> progress)
    {
        Receive<RunJob>(m => StartJob(m.Submission, regions, m.Options, m.Progress, m.Started));
        ReceiveAny(m =>
        {
            if (JobKind.Of(m) is null) Unhandled(m);
            else StartJob(m, regions, options, progress, null);
        });
    }

    private void StartJob(object submission, WorkerRegions regions, RoundOptions options, Action<ProgressUpdate> progress, Action<string>? started)
    {
        string? kind = JobKind.Of(submission)?.IdPrefix;
        if (kind is null)
        {
            Sender.Tell(new JobFailed($"unknown job {submission.GetType().Name}", false));
            return;
        }
        // Job ids are unique per coordinator incarnation, so block entities of different jobs never collide.
        string jobId = $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)] + $"-{++_jobs}";
        var replyTo = Sender;
        started?.Invoke(jobId); // before the job can report progress
        Context.ActorOf(Akka.Actor.Props.Create(() => new JobActor(jobId, submission, regions, options, replyTo, progress))
            .WithDispatcher(NodeConfig.ComputeDispatcher), jobId);
    }

    public static Props Props(WorkerRegions regions, RoundOptions options, Action<ProgressUpdate> progress) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(regions, options, progress));
}
