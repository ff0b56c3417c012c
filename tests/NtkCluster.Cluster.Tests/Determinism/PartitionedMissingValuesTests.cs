using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Transport;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// <c>--missing</c> and <c>--separator</c> on a partitioned dataset: rows with gaps spread over parts give the model of
/// the same rows in one file — the fills of the single-file path (<see cref="MissingData"/>), the mean from the moments
/// round's sums and counts, the median exactly — in process, locally and on a loopback cluster; the refusal counts the
/// missing cells of every part; R's write.csv2 parts read as the same table, and parts that disagree on their separator
/// are refused naming the part.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedMissingValuesTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly FitSettings Settings = new()
    {
        KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 60, Seed = 3, Standardize = true, ScaleTarget = true,
    };

    /// <summary>Rows a,b,c,y with gaps: about 8% of feature cells missing (NA, empty, ?), 3% of targets; with
    /// <paramref name="csv2"/>, R's write.csv2 form (';' between fields, decimal commas).</summary>
    private static string Rows(int n, int seed, bool header, bool csv2 = false, bool gaps = true)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        char sep = csv2 ? ';' : ',';
        if (header) text.Append(string.Join(sep, "a", "b", "c", "y")).Append('\n');
        string[] markers = ["NA", "", "?"];
        string Number(double v)
        {
            string s = v.ToString("F6", CultureInfo.InvariantCulture);
            return csv2 ? s.Replace('.', ',') : s;
        }
        for (int i = 0; i < n; i++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 3, c = Math.Round(random.NextDouble() * 5); // c has ties: medians of equal values
            double y = Math.Sin(a) + 0.5 * b - 0.2 * c + 0.05 * random.NextDouble();
            var cells = new[] { Number(a), Number(b), Number(c), Number(y) };
            for (int k = 0; k < 4 && gaps; k++)
                if (random.NextDouble() < (k == 3 ? 0.03 : 0.08)) cells[k] = markers[random.Next(markers.Length)];
            text.Append(string.Join(sep, cells)).Append('\n');
        }
        return text.ToString();
    }

    private static readonly int[] PartRows = [400, 250, 651];

    /// <summary>A directory of three parts with gaps, and one file of the same rows.</summary>
    private (string Dir, string Whole) Dataset(string name, bool csv2 = false)
    {
        string dir = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(dir);
        var whole = new StringBuilder(Rows(0, 0, header: true));
        for (int i = 0; i < PartRows.Length; i++)
        {
            string rows = Rows(PartRows[i], 100 + i, header: false);
            File.WriteAllText(Path.Combine(dir, $"part-{i:D5}.csv"), Rows(0, 0, header: true, csv2) + (csv2 ? Rows(PartRows[i], 100 + i, header: false, csv2: true) : rows));
            whole.Append(rows);
        }
        return (dir, _dir.Write(name + ".csv", whole.ToString()));
    }

    private static SubmitPartitionedFit Submission(string train, MissingPolicy policy, char? separator = null)
    {
        var data = PartitionedDataset.Resolve(train, separator: separator);
        var columns = PartitionColumns.ForTraining(data, null, null, separator: separator) with { Missing = policy };
        return new SubmitPartitionedFit(train, data.Partitions, columns, null, null, Settings);
    }

    /// <summary>The single-file path's rows and fills (<see cref="DataOptions.LoadDataAndFills"/>'s steps).</summary>
    private static (Dataset Train, double[]? Fills) SingleFile(string path, MissingPolicy policy)
    {
        var all = NtkCluster.Numerics.Data.Dataset.FromTable(DataFile.ReadTable(path, null, _ => { }, missingAsNaN: true), null);
        var train = MissingData.Prepare(path, all, policy, _ => { });
        var fills = MissingData.Fills(path, train, policy);
        return (fills is null ? train : MissingData.Filled(train, fills), fills);
    }

    private static Matrix<double> Probe()
    {
        var random = new Random(77);
        return Matrix<double>.Build.Dense(50, 3, (_, c) => c == 2 ? Math.Round(random.NextDouble() * 5) : random.NextDouble() * 3 - 1);
    }

    private static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-300, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
        Assert.True(worst <= relative, $"{what}: relative difference {worst:E2} > {relative:E0}");
    }

    [Theory]
    [InlineData(MissingPolicy.Drop)]
    [InlineData(MissingPolicy.Mean)]
    [InlineData(MissingPolicy.Median)]
    public async Task Parts_with_gaps_give_the_model_of_the_same_rows_in_one_file(MissingPolicy policy)
    {
        var (dir, whole) = Dataset("train");
        var parts = await PartitionedFitTests.InProcessAsync(Submission(dir, policy), parallelism: 3);
        var oneFile = await PartitionedFitTests.InProcessAsync(Submission(whole, policy));
        var (rows, fills) = SingleFile(whole, policy);

        // The fills stored in the model are the single-file path's: the median exactly, the mean to rounding (sums per part).
        Assert.Equal(MissingValues.Name(policy), parts.Model.Preprocessing.Missing);
        if (policy == MissingPolicy.Drop) Assert.Null(parts.Model.Preprocessing.FeatureFills);
        else if (policy == MissingPolicy.Median) Assert.Equal(fills, parts.Model.Preprocessing.FeatureFills);
        else AssertClose(fills!, parts.Model.Preprocessing.FeatureFills!, 1e-15, "mean fills");
        if (policy == MissingPolicy.Median) Assert.Equal(oneFile.Model.Preprocessing.FeatureFills, parts.Model.Preprocessing.FeatureFills);

        // The same rows: the preprocessing's moments and the model's predictions agree to rounding.
        var reference = Preprocessor.Fit(rows.X, rows.Y, Settings.Standardize, Settings.ScaleTarget, Settings.Normalize);
        AssertClose(reference.FeatureMeans, parts.Model.Preprocessing.FeatureMeans, 1e-12, "feature means");
        AssertClose(reference.FeatureScales, parts.Model.Preprocessing.FeatureScales, 1e-12, "feature scales");
        AssertClose(reference.TargetMeans, parts.Model.Preprocessing.TargetMeans, 1e-12, "target means");
        var x = Probe();
        AssertClose(oneFile.Model.Predict(x).ToColumnMajorArray(), parts.Model.Predict(x).ToColumnMajorArray(), 1e-12, "predictions");
        Assert.Equal(oneFile.TrainMse, parts.TrainMse, 1e-12);
        output.WriteLine($"{policy}: {rows.Rows} rows, train MSE {parts.TrainMse:R} (one file {oneFile.TrainMse:R})");

        // And the in-memory fit of those rows (the single-file command's) to rounding.
        var inMemory = await new KrrFitter(new InProcessBlockRounds(2)).FitEvaluatedAsync("mem", rows, null, Settings);
        AssertClose(inMemory.Model.Predict(x).ToColumnMajorArray(), parts.Model.Predict(x).ToColumnMajorArray(), 1e-12, "predictions against the in-memory fit");

        // Determinism: locally with another number of threads, bitwise.
        await using var cluster = await LocalCluster.StartAsync(2);
        PartitionedFitTests.AssertSameOutcome(parts, await cluster.RunAsync<FitOutcome>(Submission(dir, policy)));
    }

    [Fact]
    public async Task A_loopback_cluster_fits_parts_with_gaps_bitwise_as_in_process_for_drop_mean_and_median()
    {
        var (dir, _) = Dataset("train");
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        foreach (var policy in new[] { MissingPolicy.Drop, MissingPolicy.Mean, MissingPolicy.Median })
        {
            var s = Submission(dir, policy);
            var onCluster = await new KrrFitter(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), null))
                .FitPartitionedEvaluatedAsync($"fit-{policy}", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);
            PartitionedFitTests.AssertSameOutcome(await PartitionedFitTests.InProcessAsync(s), onCluster);
        }
    }

    [Fact]
    public async Task Without_missing_the_refusal_counts_the_cells_of_every_part_as_one_file_would()
    {
        var (dir, whole) = Dataset("train");
        var parts = await Assert.ThrowsAsync<InvalidInputException>(() => PartitionedFitTests.InProcessAsync(Submission(dir, MissingPolicy.Refuse)));
        var single = Assert.Throws<InvalidInputException>(() => SingleFile(whole, MissingPolicy.Refuse));
        output.WriteLine(parts.Message);
        Assert.StartsWith(dir + ": missing values in a (", parts.Message, StringComparison.Ordinal);
        Assert.Equal(single.Message[whole.Length..], parts.Message[dir.Length..]);
    }

    [Fact]
    public async Task R_write_csv2_parts_read_as_the_same_table_and_parts_must_agree_on_their_separator()
    {
        var (commas, _) = Dataset("commas");
        var (csv2, _) = Dataset("csv2", csv2: true);
        var expected = await PartitionedFitTests.InProcessAsync(Submission(commas, MissingPolicy.Median));
        PartitionedFitTests.AssertSameOutcome(expected, await PartitionedFitTests.InProcessAsync(Submission(csv2, MissingPolicy.Median)));
        PartitionedFitTests.AssertSameOutcome(expected, await PartitionedFitTests.InProcessAsync(Submission(csv2, MissingPolicy.Median, separator: ';')));

        // One comma part among semicolon parts: one line naming it.
        File.Copy(Path.Combine(commas, "part-00001.csv"), Path.Combine(csv2, "part-00001.csv"), overwrite: true);
        var e = Assert.Throws<InvalidInputException>(() => PartitionedDataset.Resolve(csv2));
        Assert.Equal($"{Path.Combine(csv2, "part-00001.csv")}: its header is separated by ',', {Path.Combine(csv2, "part-00000.csv")}'s by ';': " +
                     $"every part of {csv2} must use one separator (or give --separator)", e.Message);
    }

    [Fact]
    public async Task The_command_line_fits_a_directory_with_missing_median_and_a_forced_separator_and_stores_the_fills()
    {
        var (csv2, _) = Dataset("csv2", csv2: true);
        string model = _dir.PathOf("model.json");
        var run = await Ntk.RunAsync("fit", "--train", csv2, "--separator", ";", "--missing", "median", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "40", "--standardize", "--workers", "2", "--model", model);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.Contains("--missing median fills", StringComparison.Ordinal));
        Assert.Contains("\"missing\":\"median\"", File.ReadAllText(model));

        var refused = await Ntk.RunAsync("fit", "--train", csv2, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "40", "--workers", "1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(refused.StderrLines, l => l.Contains(": missing values in a (", StringComparison.Ordinal) && l.Contains("use --missing drop|mean|median", StringComparison.Ordinal));
    }
}
