using System.Buffers.Binary;
using System.Runtime.Serialization;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// What arrives from the network is not trusted: unknown manifests, versions and tags, truncated payloads, garbage
/// lengths and trailing bytes all fail with a <see cref="SerializationException"/> that says what went wrong —
/// never an IndexOutOfRangeException, never a giant allocation.
/// </summary>
[Collection(SerializationCollection.Name)]
public sealed class CorruptPayloadTests(SerializationFixture fixture)
{
    private SerializationException Fails(byte[] bytes, string manifest)
    {
        var e = Assert.ThrowsAny<Exception>(() => fixture.Deserialize(bytes, manifest));
        var serialization = Assert.IsType<SerializationException>(e);
        Assert.Contains(nameof(NtkMessageSerializer), serialization.Message);
        return serialization;
    }

    [Fact]
    public void An_unknown_manifest_names_the_manifest_and_the_serializer()
    {
        var e = Fails([NtkMessageSerializer.FormatVersion, 1, 2, 3], "gram-v2");
        Assert.Contains("'gram-v2'", e.Message);
        Assert.Contains(NtkMessageSerializer.SerializerId.ToString(), e.Message);
        Fails([], "");
    }

    [Fact]
    public void Every_truncation_of_every_sample_fails_clearly()
    {
        foreach (var sample in MessageSamples.ByType.Values.SelectMany(make => make()))
        {
            var (bytes, manifest, _) = fixture.RoundTrip(sample);
            // Every prefix of small payloads; a spread of prefixes of larger ones.
            var lengths = bytes.Length <= 4096
                ? Enumerable.Range(0, bytes.Length)
                : Enumerable.Range(0, 512).Concat(Enumerable.Range(0, 64).Select(i => (int)((long)bytes.Length * i / 64))).Append(bytes.Length - 1);
            foreach (int length in lengths.Distinct())
            {
                var e = Fails(bytes[..length], manifest);
                Assert.Contains($"'{manifest}'", e.Message);
            }
        }
    }

    [Fact]
    public void A_truncated_matrix_says_which_field_and_how_many_bytes_are_missing()
    {
        var (bytes, manifest, _) = fixture.RoundTrip(new KernelRowsComputed("job", 1, MessageSamples.Random(4, 4, 1)));
        var e = Fails(bytes[..^8], manifest);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("kernel rows", e.Message);
    }

    [Fact]
    public void Trailing_bytes_are_an_error_not_ignored()
    {
        var (bytes, manifest, _) = fixture.RoundTrip(new ReleaseNeuronBlock("j", 3));
        Assert.Contains("unread", Fails([.. bytes, 0], manifest).Message);
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        var (bytes, manifest, _) = fixture.RoundTrip(new ReleaseNeuronBlock("j", 3));
        bytes[0] = NtkMessageSerializer.FormatVersion + 1;
        Assert.Contains("format version", Fails(bytes, manifest).Message);
    }

    [Fact]
    public void Garbage_lengths_fail_before_anything_is_allocated()
    {
        // A KernelRowsComputed whose matrix claims int.MaxValue × int.MaxValue doubles, or a negative row count.
        var (bytes, manifest, _) = fixture.RoundTrip(new KernelRowsComputed("job", 1, MessageSamples.Random(2, 2, 1)));
        int shapeAt = 1 + 4 + 3 + 4;
        var huge = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(shapeAt), int.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(shapeAt + 4), int.MaxValue);
        Assert.Contains("truncated", Fails(huge, manifest).Message);
        var negative = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(shapeAt), -2);
        Assert.Contains("-2×2", Fails(negative, manifest).Message);

        var (scores, scoresManifest, _) = fixture.RoundTrip(new CandidateBlockScored("job", 1, [1.0, 2.0]));
        BinaryPrimitives.WriteInt32LittleEndian(scores.AsSpan(shapeAt), int.MaxValue);
        Assert.Contains("truncated", Fails(scores, scoresManifest).Message);
        BinaryPrimitives.WriteInt32LittleEndian(scores.AsSpan(shapeAt), -1);
        Assert.Contains("negative", Fails(scores, scoresManifest).Message);
    }

    [Fact]
    public void Corrupt_flags_tags_and_text_are_refused()
    {
        // The presence byte of NeuronBlockMissing.HasStep is the last byte when absent.
        var (missing, missingManifest, _) = fixture.RoundTrip(new NeuronBlockMissing("j", 0, null));
        missing[^1] = 7;
        Assert.Contains("expected 0 or 1", Fails(missing, missingManifest).Message);

        // The job id's first byte: 0xFF is never valid UTF-8.
        var (release, releaseManifest, _) = fixture.RoundTrip(new ReleaseNeuronBlock("j", 0));
        release[5] = 0xFF;
        Assert.Contains("UTF-8", Fails(release, releaseManifest).Message);

        // The kernel tag of BuildGramBlock's draws, right after the job id and block index.
        var gram = new BuildGramBlock("j", 0, NtkCluster.Numerics.Features.PlainSampler.Sample(new RbfKernel(0.5), 2, 3, 1),
            MessageSamples.Random(2, 2, 1), MessageSamples.Random(2, 1, 2));
        var (gramBytes, gramManifest, _) = fixture.RoundTrip(gram);
        int kernelAt = 1 + 4 + 1 + 4;
        gramBytes[kernelAt] = 99;
        Assert.Contains("unknown kernel tag 99", Fails(gramBytes, gramManifest).Message);

        // A γ that parses but that the kernel refuses (−γ): the constructor's check, reported as a corrupt payload.
        (gramBytes, _, _) = fixture.RoundTrip(gram);
        BinaryPrimitives.WriteInt64LittleEndian(gramBytes.AsSpan(kernelAt + 1), BitConverter.DoubleToInt64Bits(-0.5));
        Assert.Contains("gamma", Fails(gramBytes, gramManifest).Message);
    }

    [Fact]
    public void Writing_a_message_with_a_missing_field_fails_clearly()
    {
        var serializer = fixture.SerializerFor(new ReleaseNeuronBlock("j", 0));
        var e = Assert.Throws<SerializationException>(() => serializer.ToBinary(new BlockPredicted("j", 0, null!)));
        Assert.Contains(nameof(BlockPredicted), e.Message);
    }
}
