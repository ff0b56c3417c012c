using Akka.Actor;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// A remote round's answer, made by its <see cref="RoundReceiver"/> and never sent over the wire, for a neuron-block
/// command whose entity is on a worker node that became unreachable or stalls: the block's state is out of reach there,
/// and waiting for the node to be downed and the shard re-homed would cost seconds more. The neuron blocks
/// (<see cref="ShardedNeuronBlocks"/>) restore the block at once on a backup entity on one of <see cref="Usable"/>
/// and address it there for the rest of the job; any later answer from the lost entity finds nothing pending and is dropped.
/// </summary>
/// <param name="Lost">The node the block's entity is on (null: not known).</param>
/// <param name="Usable">Reachable worker nodes known to host a shard of the neuron region, where a backup can go
/// without the shard coordinator; never empty.</param>
/// <param name="Why">What happened, for the client's warning.</param>
public sealed record NeuronHostLost(string JobId, int BlockIndex, Address? Lost, IReadOnlyList<Address> Usable, string Why)
    : IBlockReply, INoSerializationVerificationNeeded;
