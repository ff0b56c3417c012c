using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Networks;

/// <summary>
/// What makes a train-nn checkpoint resumable by a run: the same training rows and the same settings that decide the
/// trajectory. Steps, the reference, the checkpoint interval and the test set may differ: they do not change W(t).
/// </summary>
public static class NetworkCheckpoints
{
    /// <summary>The settings that decide the trajectory, as canonical <c>name=value</c> pairs joined by <c>;</c>.</summary>
    public static string SettingsKey(NetworkSettings s)
    {
        static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var parts = new List<string>
        {
            $"width={s.Width}", $"init={s.Init.Name()}", $"lambda={R(s.Lambda)}", $"kappa={R(s.Kappa)}",
            $"lr={(s.LearningRate is double eta ? R(eta) : "auto")}", $"seed={s.Seed}",
            $"standardize={s.Standardize}", $"scale_target={s.ScaleTarget}", $"normalize={s.Normalize}",
        };
        // Only leverage initialization reads these; a Gaussian run's checkpoint need not name them.
        if (s.Init == NetworkInitialization.Leverage) parts.AddRange([$"leverage={s.LeverageMode.Name()}", $"pool={s.PoolSize}"]);
        return string.Join(";", parts);
    }

    /// <summary>SHA-256 (hex) of the column names and the raw training rows, bitwise.</summary>
    public static string DataFingerprint(Dataset train)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in train.FeatureNames.Append("|").Concat(train.TargetNames))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData([0]);
        }
        Append(hash, train.X);
        Append(hash, train.Y);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>
    /// SHA-256 (hex) of a partitioned dataset as a run reads it: the columns, every partition's content key (its file's
    /// fingerprint and its row group or byte range) in partition order, and the split's side. The rows themselves are
    /// never in one place to hash; a file that changes changes its fingerprint.
    /// </summary>
    public static string DataFingerprint(PartitionColumns columns, IReadOnlyList<DataPartition> partitions, RowSplit? split)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(partitions);
        var text = new StringBuilder("partitions\0");
        foreach (var name in columns.FeatureNames.Append("|").Concat(columns.TargetNames)) text.Append(name).Append('\0');
        foreach (var p in partitions) text.Append(p.ContentKey).Append('\0');
        if (split is not null) text.Append(CultureInfo.InvariantCulture, $"split={split.Seed};{split.TestFraction:R};{split.TestSide}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>The first column whose encoding differs between a checkpoint and a run, each side described; null when they agree.</summary>
    private static (string Then, string Now)? EncodingDifference(IReadOnlyList<CategoricalColumn>? then, IReadOnlyList<CategoricalColumn>? now)
    {
        then ??= [];
        now ??= [];
        for (int k = 0; k < Math.Max(then.Count, now.Count); k++)
        {
            var (a, b) = (k < then.Count ? then[k] : null, k < now.Count ? now[k] : null);
            if (a is not null && b is not null && Same(a, b)) continue;
            string name = (a ?? b)!.Name;
            return (Describe(a, name), Describe(b, name));
        }
        return null;

        static bool Same(CategoricalColumn a, CategoricalColumn b) =>
            a.Name == b.Name && a.Codes == b.Codes && a.Fill == b.Fill && a.Categories.SequenceEqual(b.Categories, StringComparer.Ordinal);

        static string Describe(CategoricalColumn? c, string name) => c is null ? $"no categorical column '{name}'"
            : $"categorical column '{c.Name}'{(c.Codes ? " (codes)" : "")} as {string.Join("|", c.Categories)}" + (c.Fill is null ? "" : $" (missing: {c.Fill})");
    }

    private static void Append(IncrementalHash hash, Matrix<double> m)
    {
        hash.AppendData(BitConverter.GetBytes(m.RowCount));
        hash.AppendData(BitConverter.GetBytes(m.ColumnCount));
        var values = m.ToRowMajorArray();
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>The checkpoint in <paramref name="path"/>, refused with one line unless this run can continue it.</summary>
    /// <exception cref="InvalidInputException">Not a checkpoint, other data or settings, or a step beyond <see cref="NetworkSettings.Steps"/>.</exception>
    public static NetworkModel EnsureResumable(IPredictiveModel loaded, string path, Dataset train, NetworkSettings s)
    {
        ArgumentNullException.ThrowIfNull(train);
        return EnsureResumable(loaded, path, DataFingerprint(train), s, train.Categorical);
    }

    /// <summary>The checkpoint in <paramref name="path"/>, refused with one line unless a run on the data whose
    /// <see cref="DataFingerprint(Dataset)"/> (or partitioned <see cref="DataFingerprint(PartitionColumns, IReadOnlyList{DataPartition}, RowSplit?)"/>)
    /// is <paramref name="dataKey"/> can continue it.</summary>
    /// <param name="encoding">The run's categorical encoding, learnt from its training rows (null: every feature is numeric).</param>
    /// <exception cref="InvalidInputException">Not a checkpoint, other data, another categorical encoding or other settings, or a step
    /// beyond <see cref="NetworkSettings.Steps"/>.</exception>
    public static NetworkModel EnsureResumable(IPredictiveModel loaded, string path, string dataKey, NetworkSettings s,
        IReadOnlyList<CategoricalColumn>? encoding = null)
    {
        if (loaded is not NetworkModel { Checkpoint: { } checkpoint } model)
            throw new InvalidInputException($"{path}: not a train-nn checkpoint (write one with ntk train-nn --checkpoint FILE)");
        // Before the fingerprint: an encoding that differs (other categories, --categorical, a --missing fill) says more
        // than "other data", and a fill that changed with --missing alone leaves a partitioned dataset's fingerprint as it was.
        if (EncodingDifference(model.Preprocessing.Categorical, encoding) is ({ } was, { } isNow))
            throw new InvalidInputException($"{path}: the checkpoint's data has {was}, this run's has {isNow}; resume with the same --train, " +
                                            "--columns, --categorical, --missing and --test-fraction/--split-seed");
        if (checkpoint.DataFingerprint != dataKey)
            throw new InvalidInputException($"{path}: the checkpoint was made on other training data; resume with the same --train, --columns, " +
                                            "--target and --test-fraction/--split-seed");
        string[] then = checkpoint.Settings.Split(';'), now = SettingsKey(s).Split(';');
        int at = Enumerable.Range(0, Math.Min(then.Length, now.Length)).FirstOrDefault(i => then[i] != now[i], -1);
        if (at >= 0 || then.Length != now.Length)
        {
            var (a, b) = at >= 0 ? (then[at], now[at]) : (checkpoint.Settings, SettingsKey(s));
            throw new InvalidInputException($"{path}: the checkpoint was made with {a}, this run has {b}; resume with the same settings");
        }
        if (model.Steps > s.Steps)
            throw new InvalidInputException($"{path}: the checkpoint is at step {model.Steps}, beyond {(s.AutoSteps ? "--max-steps" : "--steps")} {s.Steps}");
        return model;
    }
}
