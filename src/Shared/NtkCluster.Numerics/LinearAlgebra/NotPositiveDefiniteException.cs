namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>A matrix that should be symmetric positive definite (K+λI, ΨᵀΨ+λI) failed to factor.</summary>
public sealed class NotPositiveDefiniteException : Exception
{
    public NotPositiveDefiniteException(string message) : base(message) { }
}
