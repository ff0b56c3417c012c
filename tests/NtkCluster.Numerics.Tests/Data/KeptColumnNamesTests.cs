using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// <c>predict --keep</c> never writes two columns of one name: a prediction column named like a kept column (a
/// classifier's label column kept to compare) becomes <c>prediction_NAME</c>, as a regression target's prediction is named.
/// </summary>
public sealed class KeptColumnNamesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private KeptColumns Kept(params string[] names) =>
        KeptColumns.Read(_dir.Write("d.csv", "id,Class,bus,x\n7,bus,1,0.5\n8,\"car, shared\",0,1.5\n"), names);

    [Fact]
    public void A_kept_label_column_stays_and_the_prediction_is_renamed()
    {
        string csv = Kept("id", "Class").Prepend("Class\nbus\nbus\n");
        Assert.Equal("id,Class,prediction_Class\n7,bus,bus\n8,\"car, shared\",bus\n", csv);
    }

    [Fact]
    public void The_partitioned_header_is_renamed_alike()
    {
        Assert.Equal("id,Class,prediction_Class\n", Kept("id", "Class").PrependHeader("Class\n"));
    }

    [Fact]
    public void Score_columns_named_after_a_kept_column_are_renamed_and_a_taken_name_is_skipped()
    {
        // Kept: Class and bus. The scored header is the label column then one column per class (bus, "car, shared").
        string header = Kept("Class", "bus").PrependHeader("Class,bus,\"car, shared\"\n");
        Assert.Equal("Class,bus,prediction_Class,prediction_bus,\"car, shared\"\n", header);
    }

    [Fact]
    public void Headers_without_a_clash_are_left_as_they_were()
    {
        Assert.Equal("id,prediction\n", Kept("id").PrependHeader("prediction\n"));
    }
}
