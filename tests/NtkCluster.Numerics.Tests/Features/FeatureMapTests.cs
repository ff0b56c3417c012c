using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;
using Xunit;

namespace NtkCluster.Numerics.Tests.Features;

public sealed class FeatureMapTests
{
    public static TheoryData<string> Specs => new() { "rbf:gamma=0.3", "laplace:gamma=0.4", "ntk" };

    private static Matrix<double> Data(int rows, int cols, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => 3 * rng.NextDouble() - 1.5);
    }

    private static void AssertBitwiseEqual(Matrix<double> expected, Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int j = 0; j < expected.ColumnCount; j++)
            for (int i = 0; i < expected.RowCount; i++)
            {
                if (BitConverter.DoubleToInt64Bits(expected[i, j]) != BitConverter.DoubleToInt64Bits(actual[i, j]))
                    Assert.Fail($"entry ({i},{j}): {expected[i, j]:R} vs {actual[i, j]:R}");
            }
    }

    /// <summary>φ(x,w) from the paper's definitions, written out here independently of the kernels' code.</summary>
    private static double[] Phi(IFeatureKernel kernel, double[] x, double[] w)
    {
        int d = x.Length;
        double dot = 0;
        for (int j = 0; j < d; j++) dot += w[j] * x[j];
        if (kernel is NtkKernel) return dot >= 0 ? (double[])x.Clone() : new double[d];
        return [Math.Sqrt(2) * Math.Cos(dot + w[d])];
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Feature_blocks_concatenate_to_the_full_map_bitwise(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 5, m = 200; // not a multiple of the block size: the last block is short
        var x = Data(37, d, 1);
        FeatureDraws draws = PlainSampler.Sample(kernel, d, m, 42);
        Matrix<double> full = FeatureMap.Build(draws, x);
        Assert.Equal(m * kernel.FeatureDimension(d), full.ColumnCount);

        foreach (int blockSize in new[] { BlockPlan.DefaultFeatureBlock, 1, 7, 200 })
        {
            var plan = new BlockPlan(m, blockSize);
            var joined = Matrix<double>.Build.Dense(x.RowCount, full.ColumnCount);
            int column = 0;
            for (int b = 0; b < plan.Count; b++)
            {
                Matrix<double> part = FeatureMap.Build(draws, x, plan.Start(b), plan.Length(b));
                Assert.Equal(plan.Length(b) * draws.FeatureDimension, part.ColumnCount);
                joined.SetSubMatrix(0, column, part);
                column += part.ColumnCount;
            }
            Assert.Equal(full.ColumnCount, column);
            AssertBitwiseEqual(full, joined);
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Row_blocks_stack_to_the_full_map_bitwise(string spec)
    {
        // The map of a row does not depend on the other rows in its block (workers get different row blocks).
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 4;
        var x = Data(50, d, 2);
        FeatureDraws draws = PlainSampler.Sample(kernel, d, 90, 7);
        Matrix<double> full = FeatureMap.Build(draws, x);
        var stacked = Matrix<double>.Build.Dense(x.RowCount, full.ColumnCount);
        var plan = new BlockPlan(x.RowCount, 16);
        for (int b = 0; b < plan.Count; b++)
            stacked.SetSubMatrix(plan.Start(b), 0, FeatureMap.Build(draws, x.SubMatrix(plan.Start(b), plan.Length(b), 0, d)));
        AssertBitwiseEqual(full, stacked);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void First_draws_do_not_depend_on_the_total_count(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 3;
        FeatureDraws small = PlainSampler.Sample(kernel, d, 100, 2024);
        FeatureDraws large = PlainSampler.Sample(kernel, d, 300, 2024);
        AssertBitwiseEqual(small.Draws, large.Draws.SubMatrix(0, 100, 0, large.Draws.ColumnCount));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Draws_are_keyed_on_seed_and_feature_block_index(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 3, m = 150;
        const ulong seed = 99;
        FeatureDraws draws = PlainSampler.Sample(kernel, d, m, seed);
        var plan = new BlockPlan(m, BlockPlan.DefaultFeatureBlock);
        for (int b = plan.Count - 1; b >= 0; b--) // any order
        {
            Matrix<double> block = PlainSampler.SampleBlock(kernel, d, seed, DrawPurpose.FeatureDraws, b, plan.Length(b));
            AssertBitwiseEqual(draws.Draws.SubMatrix(plan.Start(b), plan.Length(b), 0, draws.Draws.ColumnCount), block);
        }
        // The stream of a block is the same DrawStream a worker would open for (seed, FeatureDraws, b).
        var rng = new DrawStream(seed, DrawPurpose.FeatureDraws, 1);
        var w = new double[kernel.DrawDimension(d)];
        kernel.SampleDraw(rng, w, d);
        for (int j = 0; j < w.Length; j++) Assert.Equal(w[j], draws.Draws[BlockPlan.DefaultFeatureBlock, j]);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Different_seeds_give_different_draws(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 3, m = 130;
        Matrix<double> a = PlainSampler.Sample(kernel, d, m, 1).Draws;
        Matrix<double> b = PlainSampler.Sample(kernel, d, m, 2).Draws;
        int equal = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < a.ColumnCount; j++)
                if (a[i, j] == b[i, j]) equal++;
        Assert.Equal(0, equal);
        // And different blocks of one seed are not copies of each other.
        Assert.NotEqual(a.Row(0), a.Row(BlockPlan.DefaultFeatureBlock));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Columns_are_sqrt_weight_over_M_times_Phi(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 3, m = 6;
        var x = Data(8, d, 3);
        x.SetRow(2, new double[d]); // a zero row
        Matrix<double> w = PlainSampler.Sample(kernel, d, m, 5).Draws;
        double[] weights = [0.5, 2.0, 3.7, 1e-3, 1.0, 10.0];
        var draws = new FeatureDraws(kernel, d, w, weights);
        Matrix<double> psi = FeatureMap.Build(draws, x);
        int d2 = kernel.FeatureDimension(d);
        Assert.Equal(m * d2, psi.ColumnCount);

        var expectedGram = Matrix<double>.Build.Dense(x.RowCount, x.RowCount);
        for (int r = 0; r < m; r++)
        {
            double scale = Math.Sqrt(weights[r] / m);
            Assert.Equal(scale, draws.Scale(r), 15);
            var phis = new double[x.RowCount][];
            for (int i = 0; i < x.RowCount; i++)
            {
                phis[i] = Phi(kernel, x.Row(i).ToArray(), w.Row(r).ToArray());
                for (int k = 0; k < d2; k++)
                {
                    double expected = scale * phis[i][k];
                    Assert.True(Math.Abs(psi[i, r * d2 + k] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                        $"{spec}: Ψ[{i},{r * d2 + k}] = {psi[i, r * d2 + k]:R}, expected √(w/M)·φ = {expected:R}");
                }
            }
            for (int i = 0; i < x.RowCount; i++)
                for (int j = 0; j < x.RowCount; j++)
                {
                    double p = 0;
                    for (int k = 0; k < d2; k++) p += phis[i][k] * phis[j][k];
                    expectedGram[i, j] += weights[r] / m * p;
                }
        }
        Matrix<double> gram = psi.TransposeAndMultiply(psi);
        Assert.True((gram - expectedGram).InfinityNorm() <= 1e-12 * Math.Max(1, expectedGram.InfinityNorm()),
            $"{spec}: ΨΨᵀ differs from (1/M)Σ w_r φφᵀ by {(gram - expectedGram).InfinityNorm():G3}");
        // Columns of the zero row: cos features are √2·cos(b)·scale, ntk features are 0.
        if (kernel is NtkKernel) Assert.All(psi.Row(2).ToArray(), v => Assert.Equal(0.0, v));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Write_features_honours_the_column_offset_and_leaves_other_columns_alone(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int d = 3, m = 4, offset = 5, extra = 3;
        var x = Data(6, d, 4);
        Matrix<double> w = PlainSampler.Sample(kernel, d, m, 8).Draws;
        int d2 = kernel.FeatureDimension(d);
        double[] scales = [1.0, 0.5, 2.0, 0.25];
        var output = Matrix<double>.Build.Dense(x.RowCount, offset + m * d2 + extra, double.NaN);
        kernel.WriteFeatures(x, w, scales, output, offset);

        var reference = Matrix<double>.Build.Dense(x.RowCount, m * d2);
        kernel.WriteFeatures(x, w, scales, reference, 0);
        for (int i = 0; i < x.RowCount; i++)
        {
            for (int c = 0; c < offset; c++) Assert.True(double.IsNaN(output[i, c]), $"column {c} before the offset was written");
            for (int c = 0; c < m * d2; c++) Assert.Equal(reference[i, c], output[i, offset + c]);
            for (int c = offset + m * d2; c < output.ColumnCount; c++) Assert.True(double.IsNaN(output[i, c]), $"column {c} after the block was written");
            for (int r = 0; r < m; r++)
            {
                double[] phi = Phi(kernel, x.Row(i).ToArray(), w.Row(r).ToArray());
                for (int k = 0; k < d2; k++) Assert.Equal(scales[r] * phi[k], reference[i, r * d2 + k], 12);
            }
        }
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var kernel = new RbfKernel(1);
        Matrix<double> w = PlainSampler.Sample(kernel, 3, 10, 1).Draws;
        Assert.Throws<ArgumentException>(() => new FeatureDraws(kernel, 4, w, new double[10]));   // d1 = 4 ≠ 5
        Assert.Throws<ArgumentException>(() => new FeatureDraws(kernel, 3, w, new double[9]));    // one weight per draw
        var draws = new FeatureDraws(kernel, 3, w, Enumerable.Repeat(1.0, 10).ToArray());
        Assert.Throws<ArgumentException>(() => FeatureMap.Build(draws, Data(5, 4, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlainSampler.Sample(kernel, 3, 0, 1));
        Assert.Equal(10, draws.Count);
        Assert.Equal(10, draws.ColumnCount);
        Assert.Equal(30, PlainSampler.Sample(new NtkKernel(), 3, 10, 1).ColumnCount);
    }

    [Fact]
    public void Block_plan_covers_the_range_exactly_once()
    {
        foreach (var (total, size) in new[] { (0, 64), (1, 64), (64, 64), (65, 64), (200, 64), (10, 3) })
        {
            var plan = new BlockPlan(total, size);
            int covered = 0;
            for (int b = 0; b < plan.Count; b++)
            {
                Assert.Equal(covered, plan.Start(b));
                Assert.InRange(plan.Length(b), 1, size);
                covered += plan.Length(b);
            }
            Assert.Equal(total, covered);
        }
    }

    /// <summary>A Gram block's reused buffer gets exactly the Ψ a fresh build gives, whatever it held before.</summary>
    [Theory]
    [MemberData(nameof(Specs))]
    public void Building_into_a_used_buffer_gives_the_fresh_features_bitwise(string spec)
    {
        var kernel = KernelSpec.Parse(spec);
        var x = Data(33, 4, 5);
        FeatureDraws draws = PlainSampler.Sample(kernel, 4, 21, 9);
        var buffer = Matrix<double>.Build.Dense(33, draws.ColumnCount, double.NaN);
        FeatureMap.BuildInto(draws, x, buffer);
        AssertBitwiseEqual(FeatureMap.Build(draws, x), buffer);
        Assert.Throws<ArgumentException>(() => FeatureMap.BuildInto(draws, x, Matrix<double>.Build.Dense(32, draws.ColumnCount)));
    }

    /// <summary>
    /// A Fourier Ψ of exactly Z's shape gets Z = XWᵀ written into it and its cosines taken in place; any other output
    /// goes through a separate Z. Both must give the same bits (a fit's Gram blocks take the first way, a column block
    /// the second), arguments beyond the polynomial's range included. Data of at most
    /// <see cref="ProjectedCosine.MaxFusedDimension"/> columns takes the fused pass either way (d = 3), wider data the
    /// GEMM (d = 20).
    /// </summary>
    [Theory]
    [InlineData("rbf:gamma=0.3", 3)]
    [InlineData("laplace:gamma=0.4", 3)]
    [InlineData("rbf:gamma=0.3", 20)]
    [InlineData("laplace:gamma=0.4", 20)]
    public void Fourier_features_in_place_equal_those_through_a_separate_projection_bitwise(string spec, int d)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        const int m = 37;
        var x = Data(50, d, 6);
        x[7, 0] = 4e6; // |wᵀx| beyond VectorCosine.FastRange: the scalar fallback
        Matrix<double> w = PlainSampler.Sample(kernel, d, m, 10).Draws;
        var scales = Enumerable.Range(0, m).Select(r => 1.0 / (r + 1)).ToArray();
        var inPlace = Matrix<double>.Build.Dense(x.RowCount, m, double.NaN);
        kernel.WriteFeatures(x, w, scales, inPlace, 0);
        var wider = Matrix<double>.Build.Dense(x.RowCount, m + 1, double.NaN);
        kernel.WriteFeatures(x, w, scales, wider, 1);
        AssertBitwiseEqual(wider.SubMatrix(0, x.RowCount, 1, m), inPlace);
        Assert.All(inPlace.Enumerate(), v => Assert.False(double.IsNaN(v)));
    }
}
