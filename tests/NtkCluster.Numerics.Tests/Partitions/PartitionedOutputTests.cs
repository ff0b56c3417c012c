using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// The output directory of a partitioned prediction: parts named so that sorting by name is partition order, a
/// directory that appears whole or not at all, an existing non-empty directory refused, and a part the client does
/// not see (written where it cannot look) refused before anything becomes visible.
/// </summary>
public sealed class PartitionedOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PredictionPart Part(PartitionedOutput output, int index, int count, string text)
    {
        string name = PartitionedOutput.PartName(index, count);
        File.WriteAllText(Path.Combine(output.Staging, name), text);
        return new PredictionPart(name, 1, text.Length, "00");
    }

    [Theory]
    [InlineData(1, "part-00000.csv")]
    [InlineData(100_000, "part-00000.csv")]
    [InlineData(100_001, "part-000000.csv")]
    public void Part_names_have_at_least_five_digits_and_one_length_per_output(int count, string first)
    {
        Assert.Equal(first, PartitionedOutput.PartName(0, count));
        Assert.Equal(first.Length, PartitionedOutput.PartName(count - 1, count).Length);
        // Sorting by name (ordinal, as ls and Spark's readers do) gives partition order, across a change of digit count.
        int[] indices = [0, 1, 9, 10, 99, 100, 9_999, 10_000, 99_999, count - 1];
        var names = indices.Where(i => i < count).Distinct().Select(i => PartitionedOutput.PartName(i, count)).ToArray();
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_new_directory_appears_only_at_commit_with_its_parts_and_a_success_manifest()
    {
        string target = _dir.PathOf("predictions");
        var output = PartitionedOutput.Begin(target);
        Assert.False(Directory.Exists(target));
        Assert.Equal(_dir.Path, Path.GetDirectoryName(output.Staging));
        var parts = new[] { Part(output, 0, 2, "prediction\n1\n"), Part(output, 1, 2, "prediction\n2\n") };
        File.WriteAllText(Path.Combine(output.Staging, ".part-00001.csv.dead.tmp"), "half"); // a dead worker's leftover
        output.Commit(parts);

        Assert.Equal(new[] { "_SUCCESS", "part-00000.csv", "part-00001.csv" },
            Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("part-00000.csv\t1\t13\t00\npart-00001.csv\t1\t13\t00\n", File.ReadAllText(Path.Combine(target, "_SUCCESS")));
        Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(_dir.Path)); // no staging directory left
    }

    [Fact]
    public void An_existing_empty_directory_is_filled_and_a_non_empty_one_or_a_file_refused()
    {
        string target = Directory.CreateDirectory(_dir.PathOf("mounted")).FullName;
        var output = PartitionedOutput.Begin(target);
        Assert.Equal(target, Path.GetDirectoryName(output.Staging));
        output.Commit([Part(output, 0, 1, "prediction\n1\n")]);
        Assert.Equal(new[] { "_SUCCESS", "part-00000.csv" }, Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var again = Assert.Throws<InvalidInputException>(() => PartitionedOutput.Begin(target));
        Assert.Equal($"--out {target} already exists and is not empty: name a new or empty directory (old and new parts are never mixed)", again.Message);
        string file = _dir.Write("p.csv", "x");
        Assert.StartsWith($"--out {file} is a file", Assert.Throws<InvalidInputException>(() => PartitionedOutput.Begin(file)).Message);
        string orphan = Path.Combine(_dir.Path, "missing", "out");
        Assert.Equal($"cannot write {orphan}: directory {Path.Combine(_dir.Path, "missing")} does not exist",
            Assert.Throws<InvalidInputException>(() => PartitionedOutput.Begin(orphan)).Message);
    }

    [Fact]
    public void A_part_this_machine_does_not_see_is_refused_and_abandoning_leaves_nothing()
    {
        string target = _dir.PathOf("out");
        var output = PartitionedOutput.Begin(target);
        var seen = Part(output, 0, 2, "prediction\n1\n");
        var unseen = new PredictionPart(PartitionedOutput.PartName(1, 2), 5, 40, "ff");
        var e = Assert.Throws<InvalidInputException>(() => output.Commit([seen, unseen]));
        Assert.StartsWith("part-00001.csv was written by a worker, but this machine sees no such file in", e.Message);
        Assert.EndsWith("--out must be on a file system this client and every worker share (or let the parts stream back to this client: ntk predict --out-delivery auto|streamed)", e.Message);
        Assert.False(Directory.Exists(target));
        output.Abandon();
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}
