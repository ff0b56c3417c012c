using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// Issue 15, items 9–11: quoted fields spanning lines (RFC 4180), a line longer than 64 MiB refused with its line
/// number instead of filling memory, and control characters and huge names kept out of error messages.
/// </summary>
public sealed class CsvRecordLimitsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_quoted_field_may_span_lines_in_a_column_left_out()
    {
        string path = _dir.Write("notes.csv", "a,note,b\n1,\"two\nlines, with a comma\",3\n4,\"a blank line\n\nand \"\"quotes\"\"\",5\n6,plain,7\n");
        var table = CsvTable.Read(path, ["a", "b"]);
        Assert.Equal(3, table.RowCount);
        Assert.Equal([1, 3, 4, 5, 6, 7], table.Values);
    }

    [Fact]
    public void A_header_name_may_span_lines()
    {
        string path = _dir.Write("header.csv", "\"first\nname\",y\r\n1,2\r\n");
        var table = CsvTable.Read(path);
        Assert.Equal(["first\nname", "y"], table.Columns);
        Assert.Equal([1, 2], table.Values);
    }

    [Fact]
    public void A_quote_that_never_closes_is_still_refused()
    {
        string path = _dir.Write("open.csv", "a,b\n1,\"2\n3,4\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        Assert.Contains("quoted field has no closing quote", error.Message);
    }

    [Fact]
    public void A_line_longer_than_64_MiB_is_refused_with_its_line_number()
    {
        string path = _dir.PathOf("long.csv");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write("a,b\n1,2\n"u8);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'7');
            for (int i = 0; i < 65; i++) file.Write(chunk);
            file.Write(",1\n"u8);
        }
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        Assert.Equal($"{path}:3: line 3 is longer than 64 MiB: no line break, or a field far too large (not a CSV file of rows?)", error.Message);
    }

    [Fact]
    public void Control_characters_in_a_name_are_escaped_and_a_huge_name_is_cut()
    {
        string path = _dir.Write("names.csv", "a,\u001b[2Jb\n1,x\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("column '\\x1b[2Jb'", error.Message);

        string huge = new('n', 1 << 20);
        path = _dir.Write("huge.csv", $"a,{huge}\n1,{huge}\n");
        error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        Assert.True(error.Message.Length < 500, $"{error.Message.Length} characters");
        Assert.Contains("(1048576 characters)", error.Message);
    }

    [Fact]
    public void Display_text_escapes_controls_and_keeps_ordinary_text()
    {
        Assert.Equal("plain name é", TextForDisplay.Name("plain name é"));
        Assert.Equal("a\\x0ab\\x1b\\x7f\\u202e", TextForDisplay.Name("a\nb\u001b\u007f\u202e"));
        Assert.Equal("abc… (5 characters)", TextForDisplay.Name("abcde", 3));
    }
}
