namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// How the parts of a partitioned prediction reach the output directory on a cluster (<c>ntk predict --out-delivery</c>):
/// written there by the workers that predict them, or streamed back to the client, which writes them.
/// </summary>
public enum OutputDelivery
{
    /// <summary>Written by the workers when every worker can create a file in the output's staging directory, else streamed.</summary>
    Auto,

    /// <summary>Written by the workers; a worker that cannot write the output's staging directory fails the job before it starts.</summary>
    Shared,

    /// <summary>Always streamed back to the client, whatever the workers could write.</summary>
    Streamed,
}

/// <summary>The spelling of <see cref="OutputDelivery"/> on the command line.</summary>
public static class OutputDeliveryNames
{
    public const string Choices = "auto|shared|streamed";

    /// <summary>Parses auto, shared or streamed; null for anything else.</summary>
    public static OutputDelivery? Parse(string? text) => text switch
    {
        "auto" => OutputDelivery.Auto,
        "shared" => OutputDelivery.Shared,
        "streamed" => OutputDelivery.Streamed,
        _ => null,
    };

    public static string Name(this OutputDelivery delivery) => delivery switch
    {
        OutputDelivery.Shared => "shared",
        OutputDelivery.Streamed => "streamed",
        _ => "auto",
    };
}
