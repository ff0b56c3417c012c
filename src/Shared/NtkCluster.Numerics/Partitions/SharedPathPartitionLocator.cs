namespace NtkCluster.Numerics.Partitions;

/// <summary>The shared-path mode: every worker reads the files at the paths the client named, so a descriptor is readable as it is.</summary>
public sealed class SharedPathPartitionLocator : IPartitionLocator
{
    /// <summary>The one instance: it has no state.</summary>
    public static readonly SharedPathPartitionLocator Instance = new();

    private SharedPathPartitionLocator() { }

    public Task<DataPartition> LocateAsync(DataPartition partition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return Task.FromResult(partition);
    }
}
