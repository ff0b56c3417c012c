using System.Runtime.Serialization;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Shipping;
using Xunit;

namespace NtkCluster.Cluster.Tests.Shipping;

[Collection(SerializationCollection.Name)]
public sealed class ShippingMessageRoundTripTests(SerializationFixture fixture)
{
    private static readonly DataPartition Csv = new(3, "/data/part-00001.csv", DataFormat.Csv,
        new FileFingerprint(123_456_789, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "00112233445566778899aabbccddeeff"), -1, 67_108_913, 123_456_789,
        1000, 2000, 1001);

    private static readonly DataPartition Parquet = new(7, "/data/part-00000.parquet", DataFormat.Parquet,
        new FileFingerprint(4096, new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), "ffeeddccbbaa99887766554433221100"), 2, 0, 4096, null, null, null);

    public static TheoryData<string, object> Messages() => new()
    {
        { "probe", new ProbeFiles("r1", ["/data/a.csv", "/data/ü b.parquet"]) },
        { "probe-none", new ProbeFiles("r2", []) },
        { "probed", new FilesProbed("r1", "127.0.0.1:4054", [new ProbedFile("/data/a.csv", 99, "0123456789abcdef0123456789abcdef", null),
            new ProbedFile("/data/b.csv", 0, "", "file not found: /data/b.csv")]) },
        { "request-csv", new RequestPartition("127.0.0.1:4054/abc", Csv) },
        { "request-parquet", new RequestPartition("t2", Parquet) },
        { "not-shipped", new PartitionNotShipped("t2") },
        { "ship", new ShipPartition("req", "t3", Csv) },
        { "shipment", new PartitionShipment("t3", 67_108_999, 257) },
        { "sealed", new ShipmentSealed("t3", new string('a', 64)) },
        { "failed", new ShipmentFailed("t3", "/data/a.csv: the file changed since the job started", true) },
        { "probe-output", new ProbeOutput("r3", "/shared/.predictions.0a1b2c.partial") },
        { "output-probed", new OutputProbed("r3", "127.0.0.1:4054", null) },
        { "output-unwritable", new OutputProbed("r3", "10.0.0.7:4055", "no directory /shared/.predictions.0a1b2c.partial there") },
        { "part-stream", new PredictionPartStream("127.0.0.1:4054/p1", "part-00003.csv", 5_000_000_000, 9537) },
        { "part-empty", new PredictionPartStream("t4", "part-00000.csv", 0, 0) },
        { "part-sealed", new PredictionPartSealed("t4", new string('b', 64)) },
        { "part-stored", new PredictionPartStored("t4") },
        { "part-failed", new PredictionPartFailed("t4", "the client cannot write /out/.x/part-00000.csv: disk full") },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_shipping_message_round_trips_through_its_own_serializer(string name, object message)
    {
        var serializer = Assert.IsType<ShippingMessageSerializer>(fixture.Serialization.FindSerializerFor(message));
        byte[] bytes = serializer.ToBinary(message);
        string manifest = serializer.Manifest(message);
        Assert.Contains(manifest, ShippingMessageSerializer.Manifests);
        var back = fixture.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        Assert.Equal(message.GetType(), back.GetType());
        // Written again, the message read back gives the same bytes: every field survived (arrays included).
        Assert.Equal(bytes, serializer.ToBinary(back));
        switch (message, back)
        {
            case (RequestPartition a, RequestPartition b):
                Assert.Equal(a.Partition, b.Partition);
                break;
            case (ShipPartition a, ShipPartition b):
                Assert.Equal(a.Partition, b.Partition);
                Assert.Equal((a.RequestId, a.TransferId), (b.RequestId, b.TransferId));
                break;
            case (FilesProbed a, FilesProbed b):
                Assert.Equal(a.Files, b.Files);
                Assert.Equal(a.Worker, b.Worker);
                break;
            case (ProbeFiles a, ProbeFiles b):
                Assert.Equal(a.Paths, b.Paths);
                break;
            default:
                Assert.Equal(message, back);
                break;
        }
        _ = name;
    }

    [Fact]
    public void Every_manifest_has_a_sample()
    {
        var covered = Messages().Select(row => new ShippingMessageSerializer((Akka.Actor.ExtendedActorSystem)fixture.System).Manifest(row[1])).ToHashSet();
        Assert.Equal(ShippingMessageSerializer.Manifests.OrderBy(m => m), covered.OrderBy(m => m));
    }

    [Fact]
    public void A_truncated_or_foreign_payload_is_refused_with_a_serialization_error()
    {
        var serializer = new ShippingMessageSerializer((Akka.Actor.ExtendedActorSystem)fixture.System);
        byte[] bytes = serializer.ToBinary(new ShipPartition("req", "t3", Csv));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^3], ShippingMessageSerializer.ShipPartitionManifest));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "s-unknown"));
        bytes[0] = 99;
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, ShippingMessageSerializer.ShipPartitionManifest));
    }

    [Theory]
    [InlineData(RowDelivery.Auto)]
    [InlineData(RowDelivery.Shared)]
    [InlineData(RowDelivery.Shipped)]
    public void A_job_request_carries_its_row_delivery(RowDelivery rows)
    {
        var submission = new NtkCluster.Protocol.Jobs.SubmitPartitionedFit("/data", [Csv], new PartitionColumns(["a"], ["y"], null), null, null,
            new NtkCluster.Fit.FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 8 });
        var back = JobPayloads.ReadRequest(JobPayloads.WriteRequest(new JobRequest(submission, 3, 12.5, rows)));
        Assert.Equal(rows, back.Rows);
        Assert.Equal(3, back.Window);
        Assert.Equal(Csv, Assert.IsType<NtkCluster.Protocol.Jobs.SubmitPartitionedFit>(back.Submission).Train[0]);
    }
}
