using Xunit;

namespace NtkCluster.Numerics.Tests.Solvers;

/// <summary>
/// Tests that set process-wide environment variables (NTK_MEMORY_LIMIT_MB) belong to this collection. Its tests run
/// one at a time, and — DisableParallelization — only after every parallel collection has finished, so no other
/// test can see a variable while one of these has it set.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "environment";
}
