using System.Globalization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk fit</c>'s choice to stream the training file in row blocks instead of loading it, and the first pass over
/// the file that a streamed fit starts with.
/// </summary>
/// <remarks>
/// <para>
/// A fit streams when <c>--stream</c> asks for it, or by itself when the training file is larger than
/// <see cref="AutoStreamBytes"/> — decided from the file's size, known without reading it. Only a primal fit
/// with plain sampling can stream: its draws depend on the seed alone and ΨᵀΨ is a sum over row blocks. Exact
/// KRR, leverage sampling, dual fits (M·d2 &gt; n) and <c>--test-fraction</c>'s random split all need every row
/// at once; with <c>--stream</c> they are refused with the reason, without it the file is loaded whole as before.
/// </para>
/// <para>
/// The first pass, before any cluster starts, reads every row: it checks the whole file (a bad cell anywhere fails
/// in seconds, with its <c>file:line:column</c>, not after the Gram pass), counts the rows (the primal/dual choice
/// and the memory check need n) and accumulates the column moments that <c>--standardize</c> and
/// <c>--scale-target</c> need. The test file, if any, is checked and counted the same way.
/// </para>
/// </remarks>
public sealed record StreamedData(RowBlockSource Train, int TrainRows, Preprocessor Preprocessing, RowBlockSource? Test, int TestRows)
{
    /// <summary>Training files larger than this stream without <c>--stream</c> (16 MiB: about 750 000 rows of three features).</summary>
    public const long AutoStreamBytes = 16L << 20;

    /// <summary>The streamed data of a fit, or null when the fit loads its data whole.</summary>
    /// <param name="note">Told why a large file is loaded whole after all, and which non-numeric Parquet columns are skipped.</param>
    /// <exception cref="UsageException"><paramref name="forced"/>, and the fit cannot stream.</exception>
    public static StreamedData? Prepare(FitOptions options, bool forced, Action<string> note)
    {
        var data = options.Data;
        var s = options.Settings;
        string size = "";
        if (!forced)
        {
            var info = new FileInfo(data.TrainPath);
            if (!info.Exists || info.Length <= AutoStreamBytes) return null;
            size = $" ({MemoryBudget.Describe(info.Length)})";
        }
        string? obstacle = s.Exact ? "the exact solver needs all rows in memory (the n×n kernel matrix); use --solver features --features M"
            : s.Sampling != FeatureSampling.Plain ? "leverage sampling scores its candidates against all rows, which must be in memory; use --sampling plain"
            : data.TestFraction is not null ? "--test-fraction draws a random split, which needs all rows in memory; give the held-out rows as --test FILE"
            : data.Missing != MissingPolicy.Refuse ? $"--missing {MissingValues.Name(data.Missing)} is applied to a file loaded whole"
            : data.Separator is not null ? "--separator is applied to a file loaded whole (a streamed file's separator is detected from its header)"
            : data.Categorical is not null || CategoricalTable.StartsWithText(data.TrainPath, data.Columns, data.Targets, data.Separator)
                ? "categorical features (text columns, --categorical) are one-hot encoded in a file loaded whole"
            : null;
        if (obstacle is not null) return Refuse(forced, obstacle, data.TrainPath + size, note);

        var train = RowBlockSource.ForTraining(data.TrainPath, data.Targets, data.Columns, note);
        var test = data.TestPath is null ? null : RowBlockSource.Matching(data.TestPath, train.FeatureNames, train.TargetNames, data.Columns);
        var features = new ColumnMoments(train.FeatureNames.Length);
        var targets = new ColumnMoments(train.TargetNames.Length);
        foreach (var block in train.Blocks())
        {
            features.Add(block.X);
            targets.Add(block.Y);
        }
        int rows = checked((int)features.Count);
        int testRows = test is null ? 0 : test.Blocks().Sum(b => b.Rows);

        int columns = checked(s.Features * KernelSpec.Parse(s.KernelSpec).FeatureDimension(train.FeatureNames.Length));
        if (FitPlanner.Plan(exact: false, rows, columns) != RidgeFormulation.Primal)
            return Refuse(forced, $"{columns} feature columns (M·d2) exceed its {rows.ToString(CultureInfo.InvariantCulture)} rows, " +
                                  "so the fit takes the dual form, which needs all rows in memory", data.TrainPath + size, note);
        return new StreamedData(train, rows, Preprocessor.FromMoments(features, targets, s.Standardize, s.ScaleTarget, s.Normalize), test, testRows);
    }

    public SubmitStreamedFit Submission(FitSettings settings) => new(Train, TrainRows, Preprocessing, Test, TestRows, settings);

    private static StreamedData? Refuse(bool forced, string reason, string file, Action<string> note)
    {
        if (forced) throw new UsageException($"--stream cannot be used here: {reason}");
        note($"{file} is large, but is loaded whole: {reason}");
        return null;
    }
}
