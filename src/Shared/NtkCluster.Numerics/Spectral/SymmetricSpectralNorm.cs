using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Spectral;

/// <summary>‖S‖₂ = max |eigenvalue| of a symmetric, possibly indefinite matrix (kernel drift H(T) − H(0)).</summary>
public static class SymmetricSpectralNorm
{
    public static double Of(Matrix<double> s)
    {
        if (s.RowCount != s.ColumnCount) throw new ArgumentException("a symmetric matrix must be square");
        var symmetric = (s + s.Transpose()) * 0.5;
        var eigenvalues = LinearAlgebra.DenseBackend.Current.SymmetricEigenvalues(symmetric);
        return eigenvalues.Length == 0 ? 0.0 : Math.Max(Math.Abs(eigenvalues[0]), Math.Abs(eigenvalues[^1]));
    }
}
