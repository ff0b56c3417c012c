using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The wire form of partition descriptors and of what partition rounds carry (columns, split, preprocessing, partials),
/// in the primitives of <see cref="PayloadWriter"/>, every double as its raw bits: shared by the block messages and the
/// client's job payloads.
/// </summary>
public static class PartitionPayloads
{
    public static void WriteDataPartition(this PayloadWriter w, DataPartition p)
    {
        w.WriteInt32(p.Index);
        w.WriteString(p.Path);
        w.WriteByte((byte)p.Format);
        w.WriteInt64(p.Fingerprint.Size);
        w.WriteInt64(p.Fingerprint.LastWriteUtc.Ticks);
        w.WriteString(p.Fingerprint.SampleHash);
        w.WriteInt32(p.RowGroup);
        w.WriteInt64(p.ByteStart);
        w.WriteInt64(p.ByteEnd);
        WriteOptionalInt64(w, p.RowCount);
        WriteOptionalInt64(w, p.FirstRow);
        WriteOptionalInt64(w, p.LinesBefore);
    }

    public static DataPartition ReadDataPartition(this ref PayloadReader r)
    {
        int index = r.ReadInt32("the partition index");
        string path = r.ReadString("the partition's path");
        int at = r.Position;
        byte format = r.ReadByte("the partition's format");
        if (format > (byte)DataFormat.Parquet) throw new System.Runtime.Serialization.SerializationException($"corrupt payload: unknown data format {format} at offset {at}");
        var fingerprint = new FileFingerprint(r.ReadInt64("the file size"), new DateTime(r.ReadInt64("the write time"), DateTimeKind.Utc),
            r.ReadString("the sample hash"));
        return new DataPartition(index, path, (DataFormat)format, fingerprint, r.ReadInt32("the row group"), r.ReadInt64("the range start"),
            r.ReadInt64("the range end"), ReadOptionalInt64(ref r, "the row count"), ReadOptionalInt64(ref r, "the first row"),
            ReadOptionalInt64(ref r, "the lines before"));
    }

    public static void WriteDataPartitions(this PayloadWriter w, IReadOnlyList<DataPartition> partitions)
    {
        w.WriteInt32(partitions.Count);
        foreach (var p in partitions) w.WriteDataPartition(p);
    }

    public static DataPartition[] ReadDataPartitions(this ref PayloadReader r)
    {
        var partitions = new DataPartition[r.ReadCount("the partitions", 40)];
        for (int i = 0; i < partitions.Length; i++) partitions[i] = r.ReadDataPartition();
        return partitions;
    }

    public static void WritePartitionColumns(this PayloadWriter w, PartitionColumns c)
    {
        w.WriteStrings(c.FeatureNames);
        w.WriteStrings(c.TargetNames);
        if (w.WritePresence(c.Columns)) w.WriteStrings(c.Columns!);
    }

    public static PartitionColumns ReadPartitionColumns(this ref PayloadReader r) =>
        new(r.ReadStrings("the feature names"), r.ReadStrings("the target names"), r.ReadPresence("the columns") ? r.ReadStrings("the columns") : null);

    public static void WriteOptionalRowSplit(this PayloadWriter w, RowSplit? split)
    {
        if (!w.WritePresence(split)) return;
        w.WriteUInt64(split!.Seed);
        w.WriteDouble(split.TestFraction);
        w.WriteBool(split.TestSide);
    }

    public static RowSplit? ReadOptionalRowSplit(this ref PayloadReader r) =>
        r.ReadPresence("the split") ? new RowSplit(r.ReadUInt64("the split seed"), r.ReadDouble("the test fraction"), r.ReadBool("the side")) : null;

    public static void WritePreprocessor(this PayloadWriter w, Preprocessor p) => ModelCodec.WritePreprocessor(w, p);

    public static Preprocessor ReadPreprocessor(this ref PayloadReader r) => ModelCodec.ReadPreprocessor(ref r);

    public static void WriteColumnMoments(this PayloadWriter w, ColumnMoments m)
    {
        w.WriteInt64(m.Count);
        w.WriteDoubles(m.Sums.ToArray());
        w.WriteDoubles(m.SquaredDeviations.ToArray());
    }

    public static ColumnMoments ReadColumnMoments(this ref PayloadReader r) =>
        ColumnMoments.FromState(r.ReadInt64("the row count"), r.ReadDoubles("the column sums"), r.ReadDoubles("the squared deviations"));

    public static void WriteSquaredErrorSum(this PayloadWriter w, SquaredErrorSum s)
    {
        w.WriteInt64(s.Rows);
        w.WriteDoubles(s.Sums.ToArray());
    }

    public static SquaredErrorSum ReadSquaredErrorSum(this ref PayloadReader r) =>
        SquaredErrorSum.FromState(r.ReadInt64("the row count"), r.ReadDoubles("the squared-error sums"));

    public static void WriteRowFolds(this PayloadWriter w, RowFolds folds)
    {
        w.WriteUInt64(folds.Seed);
        w.WriteInt32(folds.Count);
    }

    public static RowFolds ReadRowFolds(this ref PayloadReader r) => new(r.ReadUInt64("the fold seed"), r.ReadInt32("the folds"));

    /// <summary>A primal partial: ΨᵀΨ (symmetric: its upper triangle), ΨᵀY, Σy² and the rows.</summary>
    public static void WritePartitionGram(this PayloadWriter w, PartitionGram g)
    {
        w.WriteSymmetricMatrix(g.Gram);
        w.WriteMatrix(g.Cross);
        w.WriteDoubles(g.Squares);
        w.WriteInt64(g.Rows);
    }

    public static PartitionGram ReadPartitionGram(this ref PayloadReader r) =>
        new(r.ReadSymmetricMatrix("ΨᵀΨ"), r.ReadMatrix("ΨᵀY"), r.ReadDoubles("Σy²"), r.ReadInt64("the rows"));

    public static void WriteFoldModels(this PayloadWriter w, FoldModels models)
    {
        w.WritePreprocessor(models.Preprocessing);
        w.WriteFeatureDraws(models.Draws);
        w.WriteInt32(models.Lambdas);
        w.WriteInt32(models.Coefficients.Length);
        foreach (var beta in models.Coefficients) w.WriteMatrix(beta);
    }

    public static FoldModels ReadFoldModels(this ref PayloadReader r)
    {
        var pre = r.ReadPreprocessor();
        var draws = r.ReadFeatureDraws();
        int lambdas = r.ReadInt32("the λ count");
        var coefficients = new MathNet.Numerics.LinearAlgebra.Matrix<double>[r.ReadCount("the fold models", 8)];
        for (int f = 0; f < coefficients.Length; f++) coefficients[f] = r.ReadMatrix("a fold's coefficients");
        return new FoldModels(pre, draws, coefficients, lambdas);
    }

    public static void WriteSquaredErrorSums(this PayloadWriter w, IReadOnlyList<SquaredErrorSum> sums)
    {
        w.WriteInt32(sums.Count);
        foreach (var s in sums) w.WriteSquaredErrorSum(s);
    }

    public static SquaredErrorSum[] ReadSquaredErrorSums(this ref PayloadReader r)
    {
        var sums = new SquaredErrorSum[r.ReadCount("the squared-error sums", 12)];
        for (int i = 0; i < sums.Length; i++) sums[i] = r.ReadSquaredErrorSum();
        return sums;
    }

    public static void WriteRowSample(this PayloadWriter w, RowSample sample)
    {
        w.WriteUInt64(sample.Seed);
        w.WriteInt32(sample.Count);
    }

    public static RowSample ReadRowSample(this ref PayloadReader r) => new(r.ReadUInt64("the sample seed"), r.ReadInt32("the sample size"));

    public static void WriteSampledRows(this PayloadWriter w, SampledRows rows)
    {
        w.WriteInt32(rows.Rows.Length);
        foreach (long row in rows.Rows) w.WriteInt64(row);
        w.WriteMatrix(rows.X);
        w.WriteMatrix(rows.Y);
    }

    public static SampledRows ReadSampledRows(this ref PayloadReader r)
    {
        var rows = new long[r.ReadCount("the sampled rows", 8)];
        for (int i = 0; i < rows.Length; i++) rows[i] = r.ReadInt64("a sampled row");
        return new SampledRows(rows, r.ReadMatrix("the sampled features"), r.ReadMatrix("the sampled targets"));
    }

    private static void WriteOptionalInt64(PayloadWriter w, long? value)
    {
        if (w.WritePresence(value)) w.WriteInt64(value!.Value);
    }

    private static long? ReadOptionalInt64(ref PayloadReader r, string what) => r.ReadPresence(what) ? r.ReadInt64(what) : null;
}
