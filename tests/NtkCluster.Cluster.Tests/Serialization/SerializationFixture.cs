using Akka.Actor;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Serialization;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// One actor system built by the production Akka.Hosting setup (<see cref="NtkHostingExtensions.WithNtkNode"/>; its
/// host never started, so it never joins a cluster), so the tests resolve serializers exactly as a node does, through
/// Akka's serialization extension.
/// </summary>
public sealed class SerializationFixture : IDisposable
{
    private readonly IHost _host = NodeHost.Create(NodeConfig.SystemName, LogLevel.Warning, handleSignals: false,
        akka => akka.WithNtkNode(new NodeOptions { Port = 0 }));

    public SerializationFixture() => System = _host.ActorSystem();

    public ActorSystem System { get; }

    public Akka.Serialization.Serialization Serialization => System.Serialization;

    /// <summary>The serializer Akka picks for <paramref name="message"/>, which must be ours.</summary>
    public NtkMessageSerializer SerializerFor(object message) =>
        Assert.IsType<NtkMessageSerializer>(Serialization.FindSerializerFor(message));

    /// <summary>Serializes as a node sends, and deserializes as a node receives (by serializer id and manifest).</summary>
    public (byte[] Bytes, string Manifest, object Back) RoundTrip(object message)
    {
        var serializer = SerializerFor(message);
        byte[] bytes = serializer.ToBinary(message);
        string manifest = serializer.Manifest(message);
        return (bytes, manifest, Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    public object Deserialize(byte[] bytes, string manifest) =>
        Serialization.Deserialize(bytes, NtkMessageSerializer.SerializerId, manifest);

    public void Dispose()
    {
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SerializationCollection : ICollectionFixture<SerializationFixture>
{
    public const string Name = "serialization";
}
