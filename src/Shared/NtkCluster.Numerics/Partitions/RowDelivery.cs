namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// How a partitioned job's rows reach the workers of a cluster (<c>--rows</c>): read by each worker from the shared
/// path, or shipped by the client into the workers' caches.
/// </summary>
public enum RowDelivery
{
    /// <summary>The shared path when every worker sees every file with the client's size and fingerprint, else shipped.</summary>
    Auto,

    /// <summary>The shared path; a worker that cannot read a file, or sees a different one, fails the job before it starts.</summary>
    Shared,

    /// <summary>Always shipped by the client, whatever the workers could read.</summary>
    Shipped,
}

/// <summary>The spelling of <see cref="RowDelivery"/> on the command line.</summary>
public static class RowDeliveryNames
{
    public const string Choices = "auto|shared|shipped";

    /// <summary>Parses auto, shared or shipped; null for anything else.</summary>
    public static RowDelivery? Parse(string? text) => text switch
    {
        "auto" => RowDelivery.Auto,
        "shared" => RowDelivery.Shared,
        "shipped" => RowDelivery.Shipped,
        _ => null,
    };

    public static string Name(this RowDelivery rows) => rows switch
    {
        RowDelivery.Shared => "shared",
        RowDelivery.Shipped => "shipped",
        _ => "auto",
    };
}
