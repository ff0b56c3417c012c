using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// Matrices and double arrays arrive bitwise: NaN payloads, ±0, ±∞, subnormals; empty shapes; 1×1; and the sizes
/// around the 256×256 tiles that blocks travel in.
/// </summary>
[Collection(SerializationCollection.Name)]
public sealed class MatrixBitsTests(SerializationFixture fixture)
{
    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private Matrix<double> RoundTrip(Matrix<double> m)
    {
        var back = (KernelRowsComputed)fixture.RoundTrip(new KernelRowsComputed("job", 7, m)).Back;
        return back.Rows;
    }

    public static TheoryData<int, int> Shapes => new()
    {
        { 0, 0 }, { 0, 5 }, { 5, 0 }, { 1, 1 }, { 1, 7 }, { 7, 1 },
        { 255, 255 }, { 256, 256 }, { 257, 257 }, { 255, 257 }, { 257, 256 }, { 256, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matrices_of_every_shape_arrive_bitwise_with_their_shape(int rows, int columns)
    {
        var m = MessageSamples.AwkwardMatrix(rows, columns, rows * 1000 + columns);
        var back = RoundTrip(m);
        Assert.Equal((rows, columns), (back.RowCount, back.ColumnCount));
        Assert.Equal(Bits(m), Bits(back));
    }

    [Fact]
    public void Every_awkward_double_keeps_its_bits_in_a_matrix_and_in_an_array()
    {
        foreach (double v in MessageSamples.Awkward)
        {
            // Not Dense(1, 1, v): MathNet skips filling with a value equal to 0, and −0.0 == 0.
            var back = RoundTrip(Matrix<double>.Build.Dense(1, 1, [v]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(back[0, 0]));
        }
        var scored = (CandidateBlockScored)fixture.RoundTrip(new CandidateBlockScored("j", 0, MessageSamples.Awkward)).Back;
        Assert.Equal(MessageSamples.Awkward.Select(BitConverter.DoubleToInt64Bits), scored.Scores.Select(BitConverter.DoubleToInt64Bits));
        var step = (NeuronStepDone)fixture.RoundTrip(new NeuronStepDone("j", 0, 1, [], -0.0)).Back;
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(step.SquaredNorm));
    }

    [Fact]
    public void Every_NaN_payload_bit_survives()
    {
        // Each of the 51 payload bits of a quiet NaN, in both signs, and a signalling NaN per payload bit.
        var nans = Enumerable.Range(0, 51).SelectMany(bit => new[]
        {
            BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000 | (1L << bit)),
            BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0000) | (1L << bit)),
            BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0000 | (1L << bit)),
        }).ToArray();
        var back = RoundTrip(Matrix<double>.Build.Dense(nans.Length, 1, nans));
        Assert.Equal(nans.Select(BitConverter.DoubleToInt64Bits), back.Column(0).Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_256_by_256_tile_costs_its_values_plus_a_few_header_bytes()
    {
        var (bytes, _, _) = fixture.RoundTrip(new KernelRowsComputed("job", 7, MessageSamples.Random(256, 256, 1)));
        // version 1 + job id (4 + 3) + block 4 + shape 8 + values.
        Assert.Equal(1 + 7 + 4 + 8 + 256 * 256 * 8, bytes.Length);
    }

    [Fact]
    public void Non_dense_storages_arrive_as_dense_matrices_with_the_same_values()
    {
        var diagonal = Matrix<double>.Build.DiagonalOfDiagonalArray([1.5, -0.0, double.NaN]);
        var sparse = Matrix<double>.Build.Sparse(4, 3);
        sparse[2, 1] = double.NegativeInfinity;
        sparse[0, 2] = 3.25;
        foreach (var m in new[] { diagonal, sparse })
        {
            var back = RoundTrip(m);
            Assert.Equal(Bits(m), Bits(back));
            Assert.NotNull(back.AsColumnMajorArray());
        }
    }

    [Fact]
    public void The_received_matrix_does_not_share_storage_with_the_sent_one()
    {
        var m = MessageSamples.Random(3, 3, 5);
        var back = RoundTrip(m);
        back[0, 0] = 42;
        Assert.NotEqual(42, m[0, 0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    public void A_Gram_partial_travels_as_its_upper_triangle_and_arrives_bitwise_whole(int n)
    {
        var gram = MessageSamples.AwkwardSymmetric(n, n + 1);
        var cross = MessageSamples.AwkwardMatrix(n, 2, n + 2);
        var (bytes, _, back) = fixture.RoundTrip(new GramBlockComputed("job", 3, gram, cross));
        var reply = (GramBlockComputed)back;
        Assert.Equal(Bits(gram), Bits(reply.Gram));
        Assert.Equal(Bits(cross), Bits(reply.Cross));
        // version 1 + job id (4 + 3) + block 4 + order 4 + n(n+1)/2 values + the cross term's shape 8 and values.
        Assert.Equal(1 + 7 + 4 + 4 + n * (n + 1) / 2 * 8 + 8 + n * 2 * 8, bytes.Length);
    }

    [Fact]
    public void A_Gram_partial_that_is_not_exactly_symmetric_is_refused_rather_than_half_lost()
    {
        var gram = MessageSamples.AwkwardSymmetric(4, 1);
        gram[3, 1] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(gram[1, 3]) ^ 1); // one bit off
        var error = Assert.ThrowsAny<Exception>(() => fixture.RoundTrip(new GramBlockComputed("job", 3, gram, MessageSamples.Random(4, 1, 2))));
        Assert.Contains("not symmetric", error.ToString());
    }

    [Fact]
    public void A_truncated_triangle_is_a_clear_error()
    {
        var (bytes, manifest, _) = fixture.RoundTrip(new GramBlockComputed("job", 3, MessageSamples.AwkwardSymmetric(5, 1), MessageSamples.Random(5, 1, 2)));
        var error = Assert.ThrowsAny<Exception>(() => fixture.Deserialize(bytes[..40], manifest));
        Assert.Contains("truncated payload: the upper triangle of the 5×5 ΨᵀΨ", error.Message);
    }
}
