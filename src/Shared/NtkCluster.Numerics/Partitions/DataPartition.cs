using System.Globalization;

namespace NtkCluster.Numerics.Partitions;

/// <summary>The format of every file of a dataset.</summary>
public enum DataFormat
{
    Csv,
    Parquet,
}

/// <summary>
/// One partition of a <see cref="PartitionedDataset"/>: one Parquet row group of one file, or the lines that start
/// in one byte range of one CSV file (the whole file unless it is larger than the split size). A stable descriptor,
/// defined by the files alone: the same files give the same partitions on every machine and for every cluster, so
/// results that are reduced per partition, in partition order, do not depend on where partitions are read.
/// </summary>
/// <param name="Index">0-based position of the partition in the dataset: the order in which partials are reduced.</param>
/// <param name="Path">The file, as the dataset's source named it (a directory or glob joined with the file's name).</param>
/// <param name="Format">Parquet or CSV.</param>
/// <param name="Fingerprint">The file as it was when the dataset was resolved; reading a partition checks it.</param>
/// <param name="RowGroup">Parquet: the row group's index in the file; CSV: -1.</param>
/// <param name="ByteStart">CSV: the offset of the range's first line (0 for the first range, which holds the header);
/// Parquet: 0.</param>
/// <param name="ByteEnd">CSV: the offset just past the range (a line start, or the file's size); Parquet: the file's size.</param>
/// <param name="RowCount">Data rows in the partition: from the footer for Parquet, after a counting pass for CSV
/// (<see cref="PartitionedDataset.WithCounts"/>); null while unknown.</param>
/// <param name="FirstRow">0-based index in the whole dataset of the partition's first row, once the rows of every
/// earlier partition are counted; null while unknown.</param>
/// <param name="LinesBefore">CSV: lines of the file before the range (0 for the first range), once counted; null while
/// unknown, in which case a reader counts them only if it has an error to report. Parquet: null.</param>
public sealed record DataPartition(
    int Index,
    string Path,
    DataFormat Format,
    FileFingerprint Fingerprint,
    int RowGroup,
    long ByteStart,
    long ByteEnd,
    long? RowCount,
    long? FirstRow,
    long? LinesBefore)
{
    /// <summary>
    /// The partition's identity by content, whatever the path or machine: the file's content key and the row group
    /// or byte range — a key for a cache of shipped partitions.
    /// </summary>
    public string ContentKey => Format == DataFormat.Parquet
        ? string.Create(CultureInfo.InvariantCulture, $"{Fingerprint.ContentKey}/rg{RowGroup}")
        : string.Create(CultureInfo.InvariantCulture, $"{Fingerprint.ContentKey}/b{ByteStart}-{ByteEnd}");

    /// <summary>The partition for messages: "data/a.parquet, row group 3", "data/b.csv, bytes 0-67108913".</summary>
    public string Name => Format == DataFormat.Parquet
        ? string.Create(CultureInfo.InvariantCulture, $"{Path}, row group {RowGroup}")
        : ByteStart == 0 && ByteEnd == Fingerprint.Size
            ? Path
            : string.Create(CultureInfo.InvariantCulture, $"{Path}, bytes {ByteStart}-{ByteEnd}");
}
