namespace NtkCluster.Numerics.Errors;

/// <summary>
/// A job that would not fit in memory, refused before any work starts: the message gives the estimate and what
/// to use instead. Treated as a usage problem (exit code 2): the user has to choose differently.
/// </summary>
public sealed class ResourceLimitException : InvalidInputException
{
    public ResourceLimitException(string message) : base(message) { }
}
