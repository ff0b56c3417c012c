using System.Runtime.Serialization;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// Every message type of the protocol resolves to <see cref="NtkMessageSerializer"/> under the production
/// configuration, has its own manifest, and arrives bitwise as sent.
/// </summary>
[Collection(SerializationCollection.Name)]
public sealed class MessageRoundTripTests(SerializationFixture fixture)
{
    private static readonly Type[] MessageTypes = typeof(INtkMessage).Assembly.GetTypes()
        .Where(t => typeof(INtkMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .OrderBy(t => t.Name)
        .ToArray();

    public static TheoryData<string> TypeNames => new(MessageTypes.Select(t => t.Name));

    [Fact]
    public void Every_concrete_message_type_has_samples_and_a_distinct_manifest_known_to_the_serializer()
    {
        Assert.True(MessageTypes.Length >= 21, $"only {MessageTypes.Length} message types found");
        var missing = MessageTypes.Where(t => !MessageSamples.ByType.ContainsKey(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"no samples for {string.Join(", ", missing)}: add them to {nameof(MessageSamples)}");

        var serializer = fixture.SerializerFor(MessageSamples.ByType[typeof(NeuronStep)]()[0]);
        var manifests = MessageTypes.ToDictionary(t => t, t => serializer.Manifest(MessageSamples.ByType[t]()[0]));
        Assert.Equal(manifests.Count, manifests.Values.Distinct().Count());
        Assert.Equal(NtkManifests.All.OrderBy(m => m), manifests.Values.OrderBy(m => m));
        Assert.All(manifests.Values, m => Assert.InRange(m.Length, 1, 10));
    }

    [Fact]
    public void Every_message_type_resolves_to_our_serializer_and_unregistered_types_do_not_fall_back_to_json()
    {
        foreach (var type in MessageTypes)
        {
            Assert.IsType<NtkMessageSerializer>(fixture.Serialization.FindSerializerForType(type));
            foreach (var sample in MessageSamples.ByType[type]()) Assert.IsType<NtkMessageSerializer>(fixture.Serialization.FindSerializerFor(sample));
        }
        Assert.False(fixture.System.Settings.Config.GetBoolean("akka.actor.serialization-settings.allow-unregistered-types"));
        // Strict mode: a type nobody bound is an error, not a silent ride on the System.Object → JSON fallback.
        var e = Assert.ThrowsAny<Exception>(() => fixture.Serialization.FindSerializerFor(new NotAMessage(1.0)));
        Assert.IsType<SerializationException>(e);
        Assert.Contains(nameof(NotAMessage), e.Message);
    }

    [Fact]
    public void Serialization_is_strict_on_real_nodes_and_lenient_only_for_the_serialize_messages_test_mode()
    {
        static bool Lenient(bool serializeMessages) => NodeConfig.Build(new NodeOptions { SerializeMessages = serializeMessages })
            .GetBoolean("akka.actor.serialization-settings.allow-unregistered-types");
        Assert.False(Lenient(serializeMessages: false));
        // serialize-messages also round-trips Akka's own local-only messages, which have no binding.
        Assert.True(Lenient(serializeMessages: true));
    }

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void Every_sample_round_trips_bitwise(string typeName)
    {
        var type = MessageTypes.Single(t => t.Name == typeName);
        foreach (var sample in MessageSamples.ByType[type]())
        {
            var (bytes, manifest, back) = fixture.RoundTrip(sample);
            Assert.IsType(type, back);
            Assert.Equal(NtkMessageSerializer.FormatVersion, bytes[0]);
            BitwiseEquality.AssertSame(sample, back, typeName);
            // And the copy writes the very same bytes: nothing is lost or reordered on the way.
            Assert.Equal(bytes, fixture.SerializerFor(back).ToBinary(back));
            Assert.Equal(manifest, fixture.SerializerFor(back).Manifest(back));
        }
    }

    [Fact]
    public void Entity_ids_survive_so_a_deserialized_command_reaches_the_same_entity()
    {
        foreach (var command in MessageTypes.SelectMany(t => MessageSamples.ByType[t]()).OfType<IBlockCommand>())
        {
            var back = (IBlockCommand)fixture.RoundTrip(command).Back;
            Assert.Equal(command.EntityId, back.EntityId);
        }
    }

    [Fact]
    public void A_message_type_the_serializer_does_not_know_fails_clearly_when_written()
    {
        var serializer = fixture.SerializerFor(new ReleaseNeuronBlock("j", 0));
        var e = Assert.Throws<SerializationException>(() => serializer.ToBinary(new NotAMessage(2.0)));
        Assert.Contains(nameof(NotAMessage), e.Message);
        Assert.Contains(nameof(NtkMessageSerializer), e.Message);
        Assert.Throws<SerializationException>(() => serializer.Manifest(new NotAMessage(2.0)));
    }

    private sealed record NotAMessage(double Value);
}
