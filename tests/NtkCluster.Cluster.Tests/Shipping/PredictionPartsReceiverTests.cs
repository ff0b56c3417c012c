using System.Security.Cryptography;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Shipping;
using Xunit;

namespace NtkCluster.Cluster.Tests.Shipping;

/// <summary>
/// The client's side of streamed predictions: a part is written chunk by chunk and renamed into place once its size
/// and SHA-256 check out; a part announced again (its worker died mid-stream) starts over from the first byte and is
/// never mixed with the first transfer's bytes; damaged or misnamed parts are refused; nothing unfinished is left behind.
/// </summary>
public sealed class PredictionPartsReceiverTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Bytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed)).ToArray();

    private static TransferChunk[] Chunks(string transfer, byte[] bytes) =>
        bytes.Chunk(ChunkedFileSender.ChunkBytes).Select((c, i) => new TransferChunk(transfer, i, c)).ToArray();

    private static PredictionPartStream Announce(string transfer, string name, byte[] bytes) =>
        new(transfer, name, bytes.Length, (bytes.Length + ChunkedFileSender.ChunkBytes - 1) / ChunkedFileSender.ChunkBytes);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task A_part_announced_again_starts_over_and_only_the_newer_transfers_bytes_are_stored()
    {
        using var receiver = new PredictionPartsReceiver(_dir.Path);
        byte[] first = Bytes(ChunkedFileSender.ChunkBytes * 2 + 17, 1), second = Bytes(ChunkedFileSender.ChunkBytes * 2 + 17, 2);
        Assert.Null(receiver.Begin(Announce("w1/a", "part-00003.csv", first)));
        var oldChunks = Chunks("w1/a", first);
        Assert.IsType<TransferAck>(await receiver.ChunkAsync(oldChunks[0]));

        // The worker died after one chunk; the partition is asked again elsewhere and streams again from the start.
        Assert.Null(receiver.Begin(Announce("w2/b", "part-00003.csv", second)));
        Assert.False(receiver.Has("w1/a"));
        Assert.Equal(1, receiver.Replaced);
        foreach (var chunk in Chunks("w2/b", second)) Assert.Equal(new TransferAck("w2/b", chunk.Index), await receiver.ChunkAsync(chunk));
        Assert.Equal(new PredictionPartStored("w2/b"), await receiver.SealAsync(new PredictionPartSealed("w2/b", Sha(second))));

        Assert.Equal(second, File.ReadAllBytes(Path.Combine(_dir.Path, "part-00003.csv")));
        Assert.Equal(["part-00003.csv"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
        Assert.Equal((1, (long)second.Length), (receiver.Stored, receiver.StoredBytes));
    }

    [Fact]
    public async Task A_damaged_or_misnamed_part_is_refused_and_nothing_unfinished_is_left()
    {
        var receiver = new PredictionPartsReceiver(_dir.Path);
        byte[] part = Bytes(1000, 3);
        Assert.NotNull(receiver.Begin(Announce("t0", "../escape.csv", part)));
        Assert.NotNull(receiver.Begin(new PredictionPartStream("t0", "part-00000.csv", 1000, 2)));

        Assert.Null(receiver.Begin(Announce("t1", "part-00000.csv", part)));
        await receiver.ChunkAsync(Chunks("t1", part)[0]);
        var failed = Assert.IsType<PredictionPartFailed>(await receiver.SealAsync(new PredictionPartSealed("t1", new string('0', 64))));
        Assert.Equal("part-00000.csv: its SHA-256 differs from the worker's", failed.Reason);
        Assert.False(receiver.Has("t1"));

        Assert.Null(receiver.Begin(Announce("t2", "part-00001.csv", part)));
        var skipped = Assert.IsType<PredictionPartFailed>(await receiver.ChunkAsync(new TransferChunk("t2", 1, part)));
        Assert.StartsWith("part-00001.csv: chunk 1 of 1000 bytes arrived, chunk 0 expected", skipped.Reason);

        Assert.Null(receiver.Begin(Announce("t3", "part-00002.csv", part)));
        receiver.Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}
