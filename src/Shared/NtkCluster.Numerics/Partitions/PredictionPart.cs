namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The receipt of one part of a partitioned prediction (<see cref="Execution.PartitionComputations.WritePredictions"/>):
/// what a partition answers once its part is in place, instead of its predictions.
/// </summary>
/// <param name="Name">The part's file name in the output directory (<see cref="PartitionedOutput.PartName"/>).</param>
/// <param name="Rows">Prediction rows in the part (its header not counted).</param>
/// <param name="Bytes">The part's length in bytes: the client checks it sees the file the worker wrote.</param>
/// <param name="Checksum">SHA-256 of the part's bytes, truncated to 128 bits, in lower-case hex.</param>
public sealed record PredictionPart(string Name, long Rows, long Bytes, string Checksum)
{
    /// <summary>Rows of the partition with a category not seen in training (encoded as all zeros): the client sums the
    /// parts' counts, in partition order, into the one notice a single file gets, or refuses them with
    /// <c>--unknown-category error</c>. 0 for a model without categorical features.</summary>
    public long UnseenCategoryRows { get; init; }

    /// <summary>Each categorical column's cells with an unseen category, in the model's encoding order (empty without
    /// categorical features): the notice names the columns as a single file's does.</summary>
    public long[] UnseenPerColumn { get; init; } = [];

    /// <summary>Receipts are compared by value, the per-column counts too (a record compares an array by reference).</summary>
    public bool Equals(PredictionPart? other) =>
        other is not null && Name == other.Name && Rows == other.Rows && Bytes == other.Bytes && Checksum == other.Checksum &&
        UnseenCategoryRows == other.UnseenCategoryRows && UnseenPerColumn.AsSpan().SequenceEqual(other.UnseenPerColumn);

    public override int GetHashCode() => HashCode.Combine(Name, Rows, Bytes, Checksum, UnseenCategoryRows);
}
