using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// The hint after "is not a number" when a streamed training file (a partitioned dataset's parts) meets text that the
/// first rows did not show: a feature can be named categorical; a target can only be a classifier's labels.
/// </summary>
public sealed class TextCellHintTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DataFormatException ReadAll(string path)
    {
        return Assert.Throws<DataFormatException>(() =>
        {
            using var reader = CsvRowBlockReader.OpenTraining(path, ["y"]);
            while (reader.ReadBlock() is not null) { }
        });
    }

    [Fact]
    public void Late_text_in_a_feature_column_suggests_categorical_with_its_name()
    {
        string path = _dir.Write("f.csv", "x,fuel,y\n1,2,1\n2,diesel,2\n");
        var e = ReadAll(path);
        Assert.Contains("'diesel' is not a number", e.Message, StringComparison.Ordinal);
        Assert.Contains("--categorical fuel", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Late_text_in_the_target_suggests_classification_not_categorical()
    {
        string path = _dir.Write("t.csv", "x,y\n1,1\n2,bus\n");
        var e = ReadAll(path);
        Assert.Contains("'bus' is not a number", e.Message, StringComparison.Ordinal);
        Assert.Contains("--task classify", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--categorical", e.Message, StringComparison.Ordinal);
    }
}
