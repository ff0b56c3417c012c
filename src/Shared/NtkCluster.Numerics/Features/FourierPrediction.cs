using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using NtkCluster.Numerics.Kernels;
using SimdVector = System.Numerics.Vector;

namespace NtkCluster.Numerics.Features;

/// <summary>
/// Ψβ for random Fourier features without Ψ: each feature column scale·cos(X·w + b) is made in an L1-sized buffer
/// (<see cref="ProjectedCosine"/>) and added, times its coefficient, into the predictions at once. Why: a prediction
/// block built a fresh 1024×M Ψ (8 MB at M = 1024), allocated, zeroed, written, then read once by a matrix-vector
/// product; the flights fit's 50 000 test rows made 50 of them.
/// </summary>
/// <remarks>
/// Row i's prediction is Σ_r β_r·ψ_ir summed over r = 0, 1, … by fused multiply-adds, the same operations in every lane
/// and in the scalar tail: it depends on row i alone, never on the block it is predicted in or on the backend.
/// Only for data of at most <see cref="ProjectedCosine.MaxFusedDimension"/> columns, as the fused feature map.
/// </remarks>
public static class FourierPrediction
{
    /// <summary>Whether <see cref="Predict"/> takes these draws and rows.</summary>
    public static bool Applies(FeatureDraws draws, Matrix<double> x) =>
        draws.Kernel is FourierFeatureKernel && x.ColumnCount == draws.InputDimension && x.ColumnCount <= ProjectedCosine.MaxFusedDimension
        && x.Storage is DenseColumnMajorMatrixStorage<double> s && s.Data.Length == (long)x.RowCount * x.ColumnCount;

    /// <summary>Ψβ: x.RowCount × coefficients.ColumnCount, coefficients being M × targets.</summary>
    public static Matrix<double> Predict(FeatureDraws draws, Matrix<double> x, Matrix<double> coefficients)
    {
        if (!Applies(draws, x)) throw new ArgumentException("the fused prediction takes Fourier features of dense data with few columns");
        if (coefficients.RowCount != draws.Count)
            throw new ArgumentException($"{coefficients.RowCount} coefficient rows for {draws.Count} features");
        int n = x.RowCount, d = x.ColumnCount, targets = coefficients.ColumnCount;
        var data = ((DenseColumnMajorMatrixStorage<double>)x.Storage).Data;
        var predictions = new double[(long)n * targets];
        var column = new double[n];
        Span<double> w = stackalloc double[d];
        for (int r = 0; r < draws.Count; r++)
        {
            for (int k = 0; k < d; k++) w[k] = draws.Draws[r, k];
            ProjectedCosine.Apply(data, n, w, draws.Draws[r, d], FourierFeatureKernel.ColumnScale(draws.Scale(r)), column);
            for (int t = 0; t < targets; t++)
                AddScaled(column, coefficients[r, t], predictions.AsSpan(t * n, n));
        }
        return Matrix<double>.Build.Dense(n, targets, predictions);
    }

    /// <summary>sum[i] = fma(column[i], beta, sum[i]), bitwise the same in every lane width.</summary>
    private static void AddScaled(ReadOnlySpan<double> column, double beta, Span<double> sum)
    {
        int i = 0, n = column.Length;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<double>.Count <= n; i += Vector512<double>.Count)
                Vector512.FusedMultiplyAdd(Vector512.Create(column.Slice(i, Vector512<double>.Count)), Vector512.Create(beta),
                    Vector512.Create((ReadOnlySpan<double>)sum.Slice(i, Vector512<double>.Count))).CopyTo(sum.Slice(i, Vector512<double>.Count));
        int width = System.Numerics.Vector<double>.Count;
        if (SimdVector.IsHardwareAccelerated)
            for (; i + width <= n; i += width)
                SimdVector.FusedMultiplyAdd(new System.Numerics.Vector<double>(column.Slice(i, width)), new System.Numerics.Vector<double>(beta),
                    new System.Numerics.Vector<double>(sum.Slice(i, width))).CopyTo(sum.Slice(i, width));
        for (; i < n; i++) sum[i] = Math.FusedMultiplyAdd(column[i], beta, sum[i]);
    }
}
