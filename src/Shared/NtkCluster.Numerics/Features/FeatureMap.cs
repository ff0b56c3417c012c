using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Features;

/// <summary>Builds rows of the modified random-feature matrix Ψ (Def 3.2) for blocks of data.</summary>
public static class FeatureMap
{
    /// <summary>
    /// Ψ_fΨ_fᵀ for the draws [first, first+count): through the NTK's Hadamard form when the kernel is the NTK (d times
    /// fewer operations), otherwise by building Ψ_f.
    /// </summary>
    /// <summary>Columns per draw of the matrix <see cref="OuterGram"/> builds: the NTK's activation patterns (one per
    /// draw; XXᵀ supplies the inputs), else Ψ's d2.</summary>
    public static int OuterColumnsPerDraw(FeatureDraws draws) => draws.Kernel is Kernels.NtkKernel ? 1 : draws.FeatureDimension;

    public static Matrix<double> OuterGram(FeatureDraws draws, Matrix<double> x, int first, int count)
    {
        if (draws.Kernel is Kernels.NtkKernel)
        {
            var scales = new double[count];
            for (int r = 0; r < count; r++) scales[r] = draws.Scale(first + r);
            return Kernels.NtkKernel.OuterGram(x, draws.Draws.SubMatrix(first, count, 0, draws.Draws.ColumnCount), scales);
        }
        return LinearAlgebra.DenseBackend.Current.OuterGram(Build(draws, x, first, count));
    }

    /// <summary>Ψ for the rows of <paramref name="x"/> over all draws: x.RowCount × M·d2.</summary>
    public static Matrix<double> Build(FeatureDraws draws, Matrix<double> x) => Build(draws, x, 0, draws.Count);

    /// <summary>Ψ for all draws written into <paramref name="output"/> (x.RowCount × M·d2), every element overwritten:
    /// the same values <see cref="Build(FeatureDraws, Matrix{double})"/> returns, into a buffer the caller reuses.</summary>
    public static void BuildInto(FeatureDraws draws, Matrix<double> x, Matrix<double> output)
    {
        if (output.RowCount != x.RowCount || output.ColumnCount != draws.ColumnCount)
            throw new ArgumentException($"the output is {output.RowCount}×{output.ColumnCount}, Ψ is {x.RowCount}×{draws.ColumnCount}");
        // The kernels' writers may leave entries they do not set (inactive ReLU patterns) as they found them; random
        // Fourier features set every entry, and clearing a 32 MB Ψ_b per Gram block first was wasted memory traffic.
        if (draws.Kernel is not Kernels.FourierFeatureKernel) output.Clear();
        Write(draws, x, 0, draws.Count, output);
    }

    /// <summary>
    /// The columns of Ψ that belong to draws [first, first+count): x.RowCount × count·d2. Scales use the total M,
    /// so the column blocks of all feature blocks put side by side are exactly Ψ.
    /// </summary>
    public static Matrix<double> Build(FeatureDraws draws, Matrix<double> x, int first, int count)
    {
        var output = Matrix<double>.Build.Dense(x.RowCount, count * draws.FeatureDimension);
        Write(draws, x, first, count, output);
        return output;
    }

    /// <summary>Writes the columns of draws [first, first+count) into a zeroed output of matching shape.</summary>
    private static void Write(FeatureDraws draws, Matrix<double> x, int first, int count, Matrix<double> output)
    {
        if (x.ColumnCount != draws.InputDimension)
            throw new ArgumentException($"data has {x.ColumnCount} columns, the draws were made for {draws.InputDimension}");
        var scales = new double[count];
        for (int r = 0; r < count; r++) scales[r] = draws.Scale(first + r);
        var rows = first == 0 && count == draws.Count ? draws.Draws : draws.Draws.SubMatrix(first, count, 0, draws.Draws.ColumnCount);
        draws.Kernel.WriteFeatures(x, rows, scales, output, 0);
    }
}
