using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;

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
        w.WriteBool(c.Classify);
        if (w.WritePresence(c.Classes)) w.WriteClassLabels(c.Classes!);
        // --separator and --missing on partitioned datasets: appended, each behind a presence flag.
        if (w.WritePresence(c.Separator)) w.WriteInt32(c.Separator!.Value);
        if (w.WritePresence(c.Missing)) w.WriteInt32((int)c.Missing!.Value);
        if (w.WritePresence(c.Fills)) w.WriteDoubles(c.Fills!);
        if (w.WritePresence(c.Probe))
        {
            w.WriteInt32(c.Probe!.Digit);
            w.WriteInt64s(c.Probe.Prefixes.Select(p => unchecked((long)p)).ToArray());
        }
        if (w.WritePresence(c.LabelNames)) w.WriteStrings(c.LabelNames!);
        // Categorical features on partitioned datasets: appended, read back in this order.
        ModelCodec.WriteCategorical(w, c.Categorical);
        w.WriteBool(c.UnknownCategoryIsError);
    }

    public static void WriteMissingCensus(this PayloadWriter w, MissingCensus m)
    {
        w.WriteInt64(m.Rows);
        w.WriteInt64(m.WithoutTarget);
        w.WriteInt64(m.DroppedIncomplete);
        w.WriteInt64s(m.TargetMissing);
        w.WriteInt64s(m.FeatureMissing);
        w.WriteDoubles(m.PresentSums);
        w.WriteInt64s(m.PresentCounts);
        if (w.WritePresence(m.Histogram)) w.WriteInt64s(m.Histogram!);
    }

    public static MissingCensus ReadMissingCensus(this ref PayloadReader r)
    {
        long rows = r.ReadInt64("the rows read"), withoutTarget = r.ReadInt64("the rows without a target"), dropped = r.ReadInt64("the rows dropped");
        long[] targetMissing = r.ReadInt64s("the missing targets"), featureMissing = r.ReadInt64s("the missing features");
        double[] sums = r.ReadDoubles("the present sums");
        long[] counts = r.ReadInt64s("the present counts");
        long[]? histogram = r.ReadPresence("the median histogram") ? r.ReadInt64s("the median histogram") : null;
        if (featureMissing.Length != sums.Length || sums.Length != counts.Length)
            throw new System.Runtime.Serialization.SerializationException("a missing census's columns disagree");
        return new MissingCensus(0, 0, false)
        {
            Rows = rows, WithoutTarget = withoutTarget, DroppedIncomplete = dropped, TargetMissing = targetMissing, FeatureMissing = featureMissing,
            PresentSums = sums, PresentCounts = counts, Histogram = histogram,
        };
    }

    public static PartitionColumns ReadPartitionColumns(this ref PayloadReader r) =>
        new(r.ReadStrings("the feature names"), r.ReadStrings("the target names"), r.ReadPresence("the columns") ? r.ReadStrings("the columns") : null)
        {
            Classify = r.ReadBool("the classify flag"),
            Classes = r.ReadPresence("the classes") ? r.ReadClassLabels() : null,
            Separator = r.ReadPresence("the separator") ? (char)r.ReadInt32("the separator") : null,
            Missing = r.ReadPresence("the missing policy") ? (MissingPolicy)r.ReadInt32("the missing policy") : null,
            Fills = r.ReadPresence("the fills") ? r.ReadDoubles("the fills") : null,
            Probe = r.ReadPresence("the median probe") ? ReadProbe(ref r) : null,
            LabelNames = r.ReadPresence("the label names") ? r.ReadStrings("the label names") : null,
            Categorical = ModelCodec.ReadCategorical(ref r),
            UnknownCategoryIsError = r.ReadBool("the unknown-category flag"),
        };

    private static MedianProbe ReadProbe(ref PayloadReader r)
    {
        int digit = r.ReadInt32("the median digit");
        return new MedianProbe(r.ReadInt64s("the median prefixes").Select(p => unchecked((ulong)p)).ToArray(), digit);
    }

    public static void WriteInt64s(this PayloadWriter w, IReadOnlyList<long> values)
    {
        w.WriteInt32(values.Count);
        foreach (long v in values) w.WriteInt64(v);
    }

    public static long[] ReadInt64s(this ref PayloadReader r, string what)
    {
        var values = new long[r.ReadCount(what, 8)];
        for (int i = 0; i < values.Length; i++) values[i] = r.ReadInt64(what);
        return values;
    }

    public static void WriteClassLabels(this PayloadWriter w, ClassLabels classes)
    {
        w.WriteString(classes.Column);
        w.WriteInt64s(classes.Labels);
        if (w.WritePresence(classes.Names)) w.WriteStrings(classes.Names!);
    }

    public static ClassLabels ReadClassLabels(this ref PayloadReader r)
    {
        string column = r.ReadString("the label column");
        var labels = r.ReadInt64s("the class labels");
        var names = r.ReadPresence("the class names") ? r.ReadStrings("the class names") : null;
        try
        {
            return names is null ? new ClassLabels(column, labels) : ClassLabels.Named(column, names);
        }
        catch (ArgumentException e)
        {
            throw new System.Runtime.Serialization.SerializationException($"corrupt payload: {e.Message}");
        }
    }

    public static void WriteClassificationScore(this PayloadWriter w, ClassificationScore s)
    {
        w.WriteInt32(s.Correct);
        w.WriteInt32(s.Rows);
        w.WriteInt32(s.Unseen);
        w.WriteInt64s(s.UnseenLabels);
        if (w.WritePresence(s.Confusion)) w.WriteInt64s(s.Confusion!);
    }

    public static ClassificationScore ReadClassificationScore(this ref PayloadReader r) =>
        new(r.ReadInt32("the correct rows"), r.ReadInt32("the rows"), r.ReadInt32("the unseen rows"), r.ReadInt64s("the unseen labels"))
        {
            Confusion = r.ReadPresence("the confusion matrix") ? r.ReadInt64s("the confusion matrix") : null,
        };

    public static void WriteOptionalRowSplit(this PayloadWriter w, RowSplit? split)
    {
        if (!w.WritePresence(split)) return;
        w.WriteUInt64(split!.Seed);
        w.WriteDouble(split.TestFraction);
        w.WriteBool(split.TestSide);
        if (!w.WritePresence(split.Fold)) return;
        w.WriteRowFolds(split.Fold!.Folds);
        w.WriteInt32(split.Fold.Fold);
        w.WriteBool(split.Fold.Held);
    }

    public static RowSplit? ReadOptionalRowSplit(this ref PayloadReader r)
    {
        if (!r.ReadPresence("the split")) return null;
        var split = new RowSplit(r.ReadUInt64("the split seed"), r.ReadDouble("the test fraction"), r.ReadBool("the side"));
        if (!r.ReadPresence("the split's fold")) return split;
        var folds = r.ReadRowFolds();
        int fold = r.ReadInt32("the fold");
        if (folds.Count < 2 || fold < 0 || fold >= folds.Count)
            throw new System.Runtime.Serialization.SerializationException($"corrupt payload: fold {fold} of {folds.Count}");
        return split with { Fold = new RowFoldSide(folds, fold, r.ReadBool("the fold side")) };
    }

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

    public static void WritePredictionPart(this PayloadWriter w, PredictionPart p)
    {
        w.WriteString(p.Name);
        w.WriteInt64(p.Rows);
        w.WriteInt64(p.Bytes);
        w.WriteString(p.Checksum);
        // Last, after the receipt's fields: the unseen-category counts of the partition.
        w.WriteInt64(p.UnseenCategoryRows);
        w.WriteInt64s(p.UnseenPerColumn);
    }

    public static PredictionPart ReadPredictionPart(this ref PayloadReader r) =>
        new(r.ReadString("the part's name"), r.ReadInt64("the part's rows"), r.ReadInt64("the part's bytes"), r.ReadString("the part's checksum"))
        {
            UnseenCategoryRows = r.ReadInt64("the part's rows of unseen categories"),
            UnseenPerColumn = r.ReadInt64s("the part's unseen categories per column"),
        };

    public static void WritePredictionParts(this PayloadWriter w, IReadOnlyList<PredictionPart> parts)
    {
        w.WriteInt32(parts.Count);
        foreach (var p in parts) w.WritePredictionPart(p);
    }

    public static PredictionPart[] ReadPredictionParts(this ref PayloadReader r)
    {
        var parts = new PredictionPart[r.ReadCount("the parts", 24)];
        for (int i = 0; i < parts.Length; i++) parts[i] = r.ReadPredictionPart();
        return parts;
    }

    /// <summary>Sample keys: a count, then (hash, row) pairs as raw 64-bit integers.</summary>
    public static void WriteRowSampleKeys(this PayloadWriter w, IReadOnlyList<RowSampleKey> keys)
    {
        w.WriteInt32(keys.Count);
        foreach (var key in keys)
        {
            w.WriteUInt64(key.Hash);
            w.WriteInt64(key.Row);
        }
    }

    public static RowSampleKey[] ReadRowSampleKeys(this ref PayloadReader r)
    {
        var keys = new RowSampleKey[r.ReadCount("the sample keys", 16)];
        for (int i = 0; i < keys.Length; i++) keys[i] = new RowSampleKey(r.ReadUInt64("a key's hash"), r.ReadInt64("a key's row"));
        return keys;
    }

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

    /// <summary>Global row indices: a count, then the indices.</summary>
    public static void WriteSampledRows(this PayloadWriter w, SampledRows rows)
    {
        w.WriteInt64s(rows.Rows);
        w.WriteMatrix(rows.X);
        w.WriteMatrix(rows.Y);
    }

    public static SampledRows ReadSampledRows(this ref PayloadReader r)
    {
        var rows = r.ReadInt64s("the row indices");
        var x = r.ReadMatrix("the sampled features");
        var y = r.ReadMatrix("the sampled targets");
        if (x.RowCount != rows.Length || y.RowCount != rows.Length)
            throw new System.Runtime.Serialization.SerializationException(
                $"corrupt payload: {rows.Length} sampled rows but {x.RowCount} feature rows and {y.RowCount} target rows");
        return new SampledRows(rows, x, y);
    }

    /// <summary>The scalable scorer's row sums: ZᵀΦ, the norms, the rows.</summary>
    public static void WriteFirstStageScoreSums(this PayloadWriter w, FirstStageScoreSums sums)
    {
        w.WriteMatrix(sums.ZPhi);
        w.WriteDoubles(sums.Norms);
        w.WriteInt64(sums.Rows);
    }

    public static FirstStageScoreSums ReadFirstStageScoreSums(this ref PayloadReader r)
    {
        var zPhi = r.ReadMatrix("ZᵀΦ");
        var norms = r.ReadDoubles("the candidate norms");
        if (norms.Length != zPhi.ColumnCount)
            throw new System.Runtime.Serialization.SerializationException($"corrupt payload: {norms.Length} norms for {zPhi.ColumnCount} candidate columns");
        return new FirstStageScoreSums(zPhi, norms, r.ReadInt64("the rows"));
    }

    public static void WriteNetworkPoint(this PayloadWriter w, NtkCluster.Numerics.Networks.NetworkPoint p)
    {
        w.WriteByte((byte)p.Kind);
        w.WriteMatrix(p.Weights);
        w.WriteDoubles(p.Scales);
        w.WriteDouble(p.Kappa);
        if (w.WritePresence(p.Initial)) w.WriteMatrix(p.Initial!);
    }

    public static NtkCluster.Numerics.Networks.NetworkPoint ReadNetworkPoint(this ref PayloadReader r)
    {
        int at = r.Position;
        byte kind = r.ReadByte("the network round's kind");
        if (kind > (byte)NtkCluster.Numerics.Networks.NetworkRoundKind.KernelProduct)
            throw new System.Runtime.Serialization.SerializationException($"corrupt payload: unknown network round {kind} at offset {at}");
        return new NtkCluster.Numerics.Networks.NetworkPoint((NtkCluster.Numerics.Networks.NetworkRoundKind)kind, r.ReadMatrix("the weights"),
            r.ReadDoubles("the neuron scales"), r.ReadDouble("κ"), r.ReadPresence("the initial weights") ? r.ReadMatrix("the initial weights") : null);
    }

    public static void WriteNetworkRoundPartial(this PayloadWriter w, NtkCluster.Numerics.Networks.NetworkRoundPartial p)
    {
        w.WriteMatrix(p.Sum);
        w.WriteDouble(p.Squares);
        w.WriteInt64(p.Rows);
        w.WriteInt64(p.PatternFlips);
    }

    public static NtkCluster.Numerics.Networks.NetworkRoundPartial ReadNetworkRoundPartial(this ref PayloadReader r) =>
        new(r.ReadMatrix("the m×d partial"), r.ReadDouble("the sum of squares"), r.ReadInt64("the rows"), r.ReadInt64("the pattern flips"));

    private static void WriteOptionalInt64(PayloadWriter w, long? value)
    {
        if (w.WritePresence(value)) w.WriteInt64(value!.Value);
    }

    private static long? ReadOptionalInt64(ref PayloadReader r, string what) => r.ReadPresence(what) ? r.ReadInt64(what) : null;
}
