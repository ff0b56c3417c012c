using Akka.Actor;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Worker.Shipping;

/// <summary>
/// The node's <see cref="IPartitionLocator"/>, which partition entities call before they read: null (the default, and
/// in local mode) reads every partition from its path; a worker with shipping (<see cref="WorkerShipping"/>) sets
/// its <see cref="ShippingPartitionLocator"/>.
/// </summary>
public sealed class PartitionLocators : IExtension
{
    public IPartitionLocator? Locator { get; set; }

    public static PartitionLocators Get(ActorSystem system) => system.WithExtension<PartitionLocators, PartitionLocatorsProvider>();
}

/// <summary>Creates the <see cref="PartitionLocators"/> extension.</summary>
public sealed class PartitionLocatorsProvider : ExtensionIdProvider<PartitionLocators>
{
    public override PartitionLocators CreateExtension(ExtendedActorSystem system) => new();
}
