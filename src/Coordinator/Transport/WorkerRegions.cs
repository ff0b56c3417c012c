using Akka.Actor;

namespace NtkCluster.Coordinator.Transport;

/// <summary>The two sharded entity types jobs talk to: stateless compute blocks, and stateful neuron blocks.</summary>
public sealed record WorkerRegions(IActorRef Blocks, IActorRef Neurons);
