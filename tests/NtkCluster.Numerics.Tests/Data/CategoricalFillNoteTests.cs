using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// The note that counts the category cells <c>--missing mean|median</c> filled: it counts the rows that are kept, not
/// those dropped afterwards for a missing target.
/// </summary>
public sealed class CategoricalFillNoteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_fill_note_leaves_out_rows_without_a_target()
    {
        // Two missing colours, one of them in a row whose target is missing (dropped later): one cell is filled.
        string path = _dir.Write("c.csv", "colour,y\nred,1\nNA,2\nNA,NA\nred,3\nblue,4\n");
        var notes = new List<string>();
        CategoricalTable.ReadTraining(path, null, ["y"], null, MissingPolicy.Median, null, notes.Add);
        string note = Assert.Single(notes, n => n.Contains("most frequent category", StringComparison.Ordinal));
        Assert.StartsWith($"{path}: 1 missing cell(s) of categorical columns", note);
        Assert.EndsWith("colour (1)", note);
    }
}
