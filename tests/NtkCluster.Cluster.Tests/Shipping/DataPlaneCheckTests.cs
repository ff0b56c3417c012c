using NtkCluster.Coordinator.Gateway;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Shipping;
using Xunit;

namespace NtkCluster.Cluster.Tests.Shipping;

/// <summary>How a worker's view of the files is compared with the client's: the first difference, naming the worker and the path.</summary>
public sealed class DataPlaneCheckTests
{
    private static readonly FileFingerprint A = new(100, DateTime.UnixEpoch, "0123456789abcdef0123456789abcdef");
    private static readonly FileFingerprint B = new(200, DateTime.UnixEpoch, "fedcba9876543210fedcba9876543210");

    private static readonly DataPartition[] Files =
    [
        new(0, "/data/a.csv", DataFormat.Csv, A, -1, 0, 100, null, null, null),
        new(1, "/data/b.csv", DataFormat.Csv, B, -1, 0, 200, null, null, null),
    ];

    private static FilesProbed Seen(params ProbedFile[] files) => new("r", "10.0.0.6:4053", files);

    [Fact]
    public void A_worker_that_sees_every_file_as_the_client_does_has_no_difference() =>
        Assert.Null(DataPlaneCheck.FirstDifference("10.0.0.6:4053", Files,
            // The write time is not compared: copies on two machines have different times and the same content.
            Seen(new ProbedFile("/data/a.csv", 100, A.SampleHash, null), new ProbedFile("/data/b.csv", 200, B.SampleHash, null))));

    [Fact]
    public void A_file_a_worker_cannot_read_is_named_with_the_worker_and_the_reason() =>
        Assert.Equal("worker 10.0.0.6:4053 cannot read /data/b.csv (file not found: /data/b.csv)",
            DataPlaneCheck.FirstDifference("10.0.0.6:4053", Files,
                Seen(new ProbedFile("/data/a.csv", 100, A.SampleHash, null), new ProbedFile("/data/b.csv", 0, "", "file not found: /data/b.csv"))));

    [Theory]
    [InlineData(101, "0123456789abcdef0123456789abcdef")]
    [InlineData(100, "00000000000000000000000000000000")]
    public void A_different_file_at_the_same_path_is_a_difference(long size, string hash) =>
        Assert.Equal($"worker 10.0.0.6:4053 sees a different file at /data/a.csv ({size} bytes, fingerprint {hash}; the client's: 100 bytes, {A.SampleHash})",
            DataPlaneCheck.FirstDifference("10.0.0.6:4053", Files,
                Seen(new ProbedFile("/data/a.csv", size, hash, null), new ProbedFile("/data/b.csv", 200, B.SampleHash, null))));
}
