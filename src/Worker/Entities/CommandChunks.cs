using Akka.Actor;
using Akka.Event;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// An entity's inbox for commands that arrive in pieces (<see cref="BlockCommandChunk"/>). It holds at most one
/// transfer at a time — an entity is one block, and a new transfer to it means the coordinator gave up on the
/// previous one and sent the command again — so a piece of a newer transfer discards the one being collected, and a
/// piece of an older one is dropped as stale. A transfer that receives no piece for the timeout is discarded too,
/// so an abandoned one never keeps its buffers.
/// </summary>
internal sealed class CommandChunks
{
    /// <summary>The key of the entity's timer that discards an idle transfer.</summary>
    public const string TimerKey = "ntk-transfer-timeout";

    /// <summary>Sent to the entity itself when a transfer has been idle for the timeout.</summary>
    public sealed record Expire(long TransferId) : INoSerializationVerificationNeeded;

    private readonly TimeSpan _timeout;
    private ChunkAssembly? _partial;
    private long _newest = long.MinValue;

    public CommandChunks(TimeSpan? timeout = null) => _timeout = timeout ?? ChunkedTransfer.PartialTimeout;

    /// <summary>The transfer being collected, if any (for tests and logs).</summary>
    public long? Partial => _partial?.TransferId;

    /// <summary>
    /// Adds a piece. Returns the command when the piece completes its transfer, else null (the piece was kept,
    /// or dropped as stale, duplicate or inconsistent). Keeps the entity's idle timer in step.
    /// </summary>
    public IBlockCommand? Add(BlockCommandChunk chunk, ILoggingAdapter log, ITimerScheduler timers)
    {
        if (chunk.TransferId < _newest) return null; // a piece of a sending the coordinator has given up on
        if (chunk.TransferId > _newest)
        {
            if (_partial is { } abandoned)
                log.Info($"entity {chunk.EntityId}: transfer {abandoned.TransferId} abandoned with {abandoned.Received} of " +
                    $"{abandoned.Count} pieces; transfer {chunk.TransferId} replaces it");
            _newest = chunk.TransferId;
            _partial = new ChunkAssembly(chunk.TransferId, chunk.Count, chunk.Manifest);
        }
        if (_partial is not { } assembly) return null; // that transfer is already complete: a duplicate piece
        if (!assembly.Add(chunk.Index, chunk.Count, chunk.Manifest, chunk.Bytes))
        {
            log.Warning($"entity {chunk.EntityId}: piece {chunk.Index}/{chunk.Count} ({chunk.Manifest}) contradicts transfer " +
                $"{assembly.TransferId} ({assembly.Count} pieces of {assembly.Manifest}); the transfer is dropped");
            Discard(timers);
            return null;
        }
        if (!assembly.IsComplete)
        {
            timers.StartSingleTimer(TimerKey, new Expire(assembly.TransferId), _timeout); // restarted by every piece
            return null;
        }
        Discard(timers);
        object message;
        try
        {
            message = NtkMessageSerializer.Deserialize(assembly.Join(), assembly.Manifest);
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or InvalidOperationException)
        {
            log.Error("entity {0}: transfer {1} of {2} pieces does not read back: {3}", chunk.EntityId, assembly.TransferId, assembly.Count, e.Message);
            return null;
        }
        if (message is IBlockCommand command) return command;
        log.Error("entity {0}: transfer {1} carried a {2}, not a block command", chunk.EntityId, assembly.TransferId, message.GetType().Name);
        return null;
    }

    /// <summary>The idle timer fired: drops the transfer if it is still the one being collected.</summary>
    public void OnExpire(Expire expire, ILoggingAdapter log)
    {
        if (_partial is not { } assembly || assembly.TransferId != expire.TransferId) return;
        log.Warning($"transfer {assembly.TransferId}: only {assembly.Received} of {assembly.Count} pieces ({assembly.Bytes} bytes) " +
            $"arrived with no new piece for {_timeout.TotalSeconds:0.#} s; dropped");
        _partial = null;
    }

    private void Discard(ITimerScheduler timers)
    {
        _partial = null;
        timers.Cancel(TimerKey);
    }
}
