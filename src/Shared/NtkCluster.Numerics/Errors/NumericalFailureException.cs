namespace NtkCluster.Numerics.Errors;

/// <summary>A computation that failed numerically (a factorization breaking down); exit code 1 with this message.</summary>
public sealed class NumericalFailureException : Exception
{
    public NumericalFailureException(string message) : base(message) { }
}
