using Akka.Actor;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// Runs one round of a job: asks the block region for blocks 0…count−1 with at most
/// <see cref="RoundOptions.Window"/> in flight, and folds the answers strictly in block order, whatever order
/// they arrive in. Reducing in a fixed order is what makes sums of partials — and so models — independent of the
/// number of workers and of timing. Answers that arrive early wait (at most Window−1 of them).
/// </summary>
/// <remarks>
/// In a remote round (<see cref="RoundOptions.Remote"/>, a cluster coordinator node) requests go through a
/// <see cref="RoundReceiver"/> of the round's own, which sends and receives large messages in pieces and asks again
/// for blocks a removed worker node left unanswered; otherwise they are plain asks, and nothing is copied.
/// </remarks>
public static class BlockRound
{
    public static Task<TAcc> RunAsync<TReply, TAcc>(
        IActorRef region, int count, Func<int, IBlockCommand> request, TAcc seed, Func<TAcc, TReply, TAcc> fold,
        RoundOptions options, Action<int>? onBlockDone = null, CancellationToken cancel = default,
        Func<IBlockCommand, IBlockReply, Task<TReply>>? repair = null)
        where TReply : IBlockReply =>
        RunAsync(region, Enumerable.Range(0, count).Select(request), seed, fold, options, onBlockDone, cancel, repair);

    /// <summary>
    /// The same round over requests produced one at a time — blocks 0, 1, 2, … in order — when the number of blocks
    /// is not known in advance, as when they are read from a file as the round goes. The next request is made only
    /// when a window slot frees up, so at most <see cref="RoundOptions.Window"/> requests (and their data) exist at
    /// once: each is held by its ask until answered, which is also what a retry resends. The sequence is disposed
    /// (its file closed) when the round ends, also on failure; an exception it throws fails the round.
    /// </summary>
    public static async Task<TAcc> RunAsync<TReply, TAcc>(
        IActorRef region, IEnumerable<IBlockCommand> requests, TAcc seed, Func<TAcc, TReply, TAcc> fold,
        RoundOptions options, Action<int>? onBlockDone = null, CancellationToken cancel = default,
        Func<IBlockCommand, IBlockReply, Task<TReply>>? repair = null)
        where TReply : IBlockReply
    {
        using var source = requests.GetEnumerator();
        using var remote = options.Remote ? RemoteRound.Start(region, options) : null;
        var inFlight = new Queue<(Task<TReply> Reply, IBlockCommand Command)>();
        var stalls = remote is null ? null : new StallWatch(options);
        bool more = true;
        void Fill()
        {
            while (more && inFlight.Count < options.Window)
            {
                if (!source.MoveNext())
                {
                    more = false;
                    break;
                }
                var ask = AskAsync(region, remote, source.Current, options, cancel, repair);
                stalls?.Started(ask);
                inFlight.Enqueue((ask, source.Current));
            }
        }

        Fill();
        var acc = seed;
        for (int i = 0; inFlight.Count > 0; i++)
        {
            var (next, command) = inFlight.Dequeue();
            if (stalls is not null && remote is not null) await stalls.WaitAsync(next, command, remote, cancel);
            // No ConfigureAwait(false): inside a job actor the fold (adding m×m partials) continues on the actor's
            // compute dispatcher, not on the ThreadPool that remoting and heartbeats need.
            var reply = await next;
            acc = fold(acc, reply);
            onBlockDone?.Invoke(i);
            Fill();
        }
        return acc;
    }

    /// <summary>
    /// Asks one command outside a round — a restore of a lost neuron block — and returns the answer as it comes (a
    /// reply, <see cref="BlockFailed"/>, …), through a receiver of its own in a remote round, else a plain ask.
    /// </summary>
    /// <exception cref="AskTimeoutException">No answer within <see cref="RoundOptions.BlockTimeout"/>.</exception>
    public static async Task<object> AskOnceAsync(IActorRef region, IBlockCommand command, RoundOptions options, CancellationToken cancel = default)
    {
        if (!options.Remote) return await region.Ask<object>(command, options.BlockTimeout, cancel).ConfigureAwait(false);
        using var remote = RemoteRound.Start(region, options);
        return await remote.AskAsync(command, options.BlockTimeout, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks one command outside a round as a round asks it — again on a timeout, up to <see cref="RoundOptions.Attempts"/>
    /// times — and returns its reply; a worker's failure or any other answer fails the job.
    /// </summary>
    public static async Task<TReply> AskReplyAsync<TReply>(IActorRef region, IBlockCommand command, RoundOptions options, CancellationToken cancel = default)
        where TReply : IBlockReply
    {
        using var remote = options.Remote ? RemoteRound.Start(region, options) : null;
        return await AskAsync<TReply>(region, remote, command, options, cancel, repair: null).ConfigureAwait(false);
    }

    /// <param name="repair">For stateful blocks: turns an answer that says the block lost its state into the real
    /// answer (by restoring the block and asking again).</param>
    private static async Task<TReply> AskAsync<TReply>(IActorRef region, RemoteRound? remote, IBlockCommand command, RoundOptions options,
        CancellationToken cancel, Func<IBlockCommand, IBlockReply, Task<TReply>>? repair)
        where TReply : IBlockReply
    {
        for (int attempt = 1; ; attempt++)
        {
            object answer;
            try
            {
                answer = remote is null
                    ? await region.Ask<object>(command, options.BlockTimeout, cancel).ConfigureAwait(false)
                    : await remote.AskAsync(command, options.BlockTimeout, cancel).ConfigureAwait(false);
            }
            catch (AskTimeoutException) when (attempt < options.Attempts)
            {
                continue; // idempotent: ask again, sharding may have moved the entity to a live worker
            }
            catch (AskTimeoutException)
            {
                throw new JobFailedException(
                    $"block {command.BlockIndex} of job {command.JobId} got no answer from any worker within " +
                    $"{options.BlockTimeout.TotalSeconds:0.#} s ({options.Attempts} attempts); are the workers alive?");
            }
            switch (answer)
            {
                case TReply reply when reply.JobId == command.JobId && reply.BlockIndex == command.BlockIndex:
                    return reply;
                case BlockFailed failed:
                    throw new JobFailedException($"block {failed.BlockIndex} of job {failed.JobId} failed on a worker: {failed.Reason}");
                case IBlockReply other when repair is not null && other.JobId == command.JobId && other.BlockIndex == command.BlockIndex:
                    return await repair(command, other);
                default:
                    throw new JobFailedException(
                        $"block {command.BlockIndex} of job {command.JobId}: unexpected answer {answer.GetType().Name}");
            }
        }
    }
}
