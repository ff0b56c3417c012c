using NtkCluster.Numerics.Errors;

namespace NtkCluster.Coordinator.Cli;

/// <summary>A command line that cannot be run as written (unknown option, missing value, bad number). Exit code 2.</summary>
public sealed class UsageException : InvalidInputException
{
    public UsageException(string message) : base(message) { }
}
