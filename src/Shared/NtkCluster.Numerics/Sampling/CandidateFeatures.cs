using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;

namespace NtkCluster.Numerics.Sampling;

/// <summary>Unscaled feature blocks Φ(w) = [φ(x_1,w), …, φ(x_n,w)]ᵀ for many candidate draws at once.</summary>
internal static class CandidateFeatures
{
    /// <summary>x.RowCount × (count·d2): candidate r occupies columns [r·d2, (r+1)·d2), with scale 1.</summary>
    public static Matrix<double> Build(IFeatureKernel kernel, Matrix<double> x, Matrix<double> candidates)
    {
        int d2 = kernel.FeatureDimension(x.ColumnCount);
        var output = Matrix<double>.Build.Dense(x.RowCount, candidates.RowCount * d2);
        var ones = new double[candidates.RowCount];
        Array.Fill(ones, 1.0);
        kernel.WriteFeatures(x, candidates, ones, output, 0);
        return output;
    }

    /// <summary>Sums each candidate's d2 consecutive column values: Σ_k v[r·d2 + k].</summary>
    public static double[] SumPerCandidate(double[] columnValues, int d2)
    {
        var result = new double[columnValues.Length / d2];
        for (int r = 0; r < result.Length; r++)
        {
            double s = 0;
            for (int k = 0; k < d2; k++) s += columnValues[r * d2 + k];
            result[r] = s;
        }
        return result;
    }

    /// <summary>Column-wise dot products Σ_i a_ij·b_ij.</summary>
    public static double[] ColumnDots(Matrix<double> a, Matrix<double> b)
    {
        var result = new double[a.ColumnCount];
        var av = ((MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double>)a.Storage).Data;
        var bv = ((MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double>)b.Storage).Data;
        int n = a.RowCount;
        for (int j = 0; j < result.Length; j++)
        {
            double s = 0;
            int o = j * n;
            for (int i = 0; i < n; i++) s += av[o + i] * bv[o + i];
            result[j] = s;
        }
        return result;
    }
}
