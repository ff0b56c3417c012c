using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class CsvTableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Path, DataFormatException Error) Fail(string contents)
    {
        string path = _dir.Write("data.csv", contents);
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        return (path, error);
    }

    [Fact]
    public void Reads_header_and_row_major_values()
    {
        string path = _dir.Write("data.csv", "a,b,c\n1,2,3\n4.5,-6e-1,7\n");
        CsvTable table = CsvTable.Read(path);

        Assert.Equal(path, table.Path);
        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([1, 2, 3, 4.5, -0.6, 7], table.Values);
        Assert.Equal(2, table.FirstDataLine);
        Assert.Equal(-0.6, table[1, 1]);
    }

    [Fact]
    public void Unquotes_header_names_as_R_writes_them()
    {
        // The first lines of letters.csv, as written by R's write.csv.
        string path = _dir.Write("letters.csv",
            "\"x.box\",\"y.box\",\"width\",\"high\",\"onpix\",\"x.bar\",\"y.bar\",\"x2bar\",\"y2bar\",\"xybar\",\"x2ybr\",\"xy2br\",\"x.ege\",\"xegvy\",\"y.ege\",\"yegvx\",\"letter\"\n" +
            "2,8,3,5,1,8,13,0,6,6,10,8,0,8,0,8,19\n" +
            "5,12,3,7,2,10,5,5,4,13,3,9,2,8,4,10,8\n");
        CsvTable table = CsvTable.Read(path);

        Assert.Equal(17, table.Columns.Count);
        Assert.Equal("x.box", table.Columns[0]);
        Assert.Equal("letter", table.Columns[16]);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(19, table[0, 16]);
        Assert.Equal(12, table[1, 1]);
    }

    [Fact]
    public void Accepts_quoted_cells_doubled_quotes_whitespace_and_CRLF()
    {
        string path = _dir.Write("data.csv", " \"a\" , \"say \"\"hi\"\"\",c\r\n \"3.5\" ,  2 ,\t-1\r\n\"1e3\",\"0\",4\r\n");
        CsvTable table = CsvTable.Read(path);

        Assert.Equal(["a", "say \"hi\"", "c"], table.Columns);
        Assert.Equal([3.5, 2, -1, 1000, 0, 4], table.Values);
    }

    [Fact]
    public void Accepts_quoted_comma_in_header_name()
    {
        string path = _dir.Write("data.csv", "\"a,b\",c\n1,2\n");
        Assert.Equal(["a,b", "c"], CsvTable.Read(path).Columns);
    }

    [Fact]
    public void Ignores_trailing_blank_lines_and_missing_final_newline()
    {
        Assert.Equal(2, CsvTable.Read(_dir.Write("a.csv", "a,b\n1,2\n3,4\n\n\r\n  \n")).RowCount);
        Assert.Equal(2, CsvTable.Read(_dir.Write("b.csv", "a,b\n1,2\n3,4")).RowCount);
    }

    [Fact]
    public void Ignores_Utf8_byte_order_mark()
    {
        string path = _dir.PathOf("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a,b\n1,2\n"u8.ToArray()]);
        Assert.Equal(["a", "b"], CsvTable.Read(path).Columns);
    }

    [Fact]
    public void Non_number_names_file_line_column_and_header()
    {
        var (path, error) = Fail("age,sex,bmi\n1,2,3\n4,5,abc\n");
        Assert.Equal($"{path}:3:3: column 'bmi': 'abc' is not a number (a text column? if it holds the class labels to predict, use --task classify; if it is a feature, leave it out by listing the columns to use with --columns A,B,...)", error.Message);
        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal(3, error.Column);
    }

    [Fact]
    public void Decimal_comma_is_not_a_number()
    {
        var (path, error) = Fail("a,b\n1,\"2,5\"\n");
        Assert.Equal($"{path}:2:2: column 'b': '2,5' is not a number (a decimal comma? numbers are written with a point, as 2.5)", error.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    [InlineData("-Inf")]
    [InlineData("1e999")]
    public void Non_finite_values_are_rejected(string cell)
    {
        var (path, error) = Fail($"a,b\n1,2\n3,{cell}\n");
        Assert.Equal($"{path}:3:2: column 'b': '{cell}' is not a finite number", error.Message);
    }

    [Fact]
    public void Quoted_NaN_is_rejected()
    {
        var (path, error) = Fail("a,b\n\"NaN\",2\n");
        Assert.Equal($"{path}:2:1: column 'a': 'NaN' is not a finite number", error.Message);
    }

    [Theory]
    [InlineData("1,,3", 2, "b")]
    [InlineData("1,  ,3", 2, "b")]
    [InlineData("1,\"\",3", 2, "b")]
    [InlineData(",2,3", 1, "a")]
    public void Empty_cells_are_rejected(string row, int column, string name)
    {
        var (path, error) = Fail($"a,b,c\n{row}\n");
        Assert.Equal($"{path}:2:{column}: column '{name}': empty cell (a missing value: --missing drop|mean|median drops or fills the rows that have one)", error.Message);
    }

    [Fact]
    public void Columns_left_out_may_hold_text_and_missing_values_but_chosen_ones_are_checked()
    {
        // What --columns is for on a real file: a city name and a gap in a column the user does not use.
        string path = _dir.Write("houses.csv", "age,city,note,price\n1.5,Bern,,200\n2,Zurich,x,310.25\n");
        var table = CsvTable.Read(path, ["price", "age"]);
        Assert.Equal(["price", "age"], table.Columns);
        Assert.Equal([200, 1.5, 310.25, 2], table.Values);

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path, ["age", "city", "price"]));
        Assert.Equal($"{path}:2:2: column 'city': 'Bern' is not a number (a text column? if it holds the class labels to predict, use --task classify; if it is a feature, leave it out by listing the columns to use with --columns A,B,...)", error.Message);
        // A row missing a field is still ragged, chosen column or not.
        string ragged = _dir.Write("ragged.csv", "age,city,price\n1,Bern,2\n3,Zurich\n");
        Assert.Contains("row has 2 fields, header has 3", Assert.Throws<DataFormatException>(() => CsvTable.Read(ragged, ["age"])).Message);
    }

    [Theory]
    [InlineData("NA")]
    [InlineData("n/a")]
    [InlineData("NULL")]
    [InlineData("None")]
    [InlineData("?")]
    public void Missing_value_markers_are_named_as_missing_values(string marker)
    {
        var (path, error) = Fail($"a,b\n1,2\n3,{marker}\n");
        Assert.Equal($"{path}:3:2: column 'b': '{marker}' is not a number (a missing value: --missing drop|mean|median drops or fills the rows that have one)", error.Message);
    }

    [Fact]
    public void A_malformed_number_gets_no_hint()
    {
        // Neither a missing-value marker, nor a decimal comma, nor text: a guessed hint would mislead, so there is none.
        var (path, error) = Fail("a,b\n1,2-3\n");
        Assert.Equal($"{path}:2:2: column 'b': '2-3' is not a number", error.Message);
    }

    [Theory]
    [InlineData("a;b;c\n1;2;3\n", ';')]
    [InlineData("\"a\";\"b\";\"c\"\n1;2;3\n", ';')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("\"a\"\t\"b\"\t\"c\"\n\"1\"\t2\t 3\n", '\t')]
    [InlineData("\"a;x\",b,c\n1,2,3\n", ',')]
    public void The_separator_is_detected_from_the_header_quoted_or_not(string text, char separator)
    {
        string path = _dir.Write("data.csv", text);
        var table = CsvTable.Read(path);
        Assert.Equal(separator, table.Separator);
        Assert.Equal(3, table.Columns.Count);
        Assert.Equal([1.0, 2, 3], table.Values);
    }

    [Fact]
    public void A_decimal_comma_is_read_in_a_semicolon_separated_file_as_R_write_csv2_writes_it()
    {
        string path = _dir.Write("data.csv", "\"a\";\"b\"\n1,5;-0,25\n2;3\n");
        var table = CsvTable.Read(path);
        Assert.Equal([1.5, -0.25, 2, 3], table.Values);
        Assert.True(table.SawDecimalComma);
    }

    [Fact]
    public void A_forced_comma_names_the_other_separator_at_the_header()
    {
        string path = _dir.Write("data.csv", "a;b;c\n1;2;3\n");
        var error = Assert.Throws<DataFormatException>(() => CsvTable.Read(path, separator: ','));
        Assert.Equal($"{path}:1:1: the header has one column, with ';' in its name: columns are separated by commas here " +
                     "(--separator ','); use --separator ';' or --separator tab", error.Message);
    }

    [Fact]
    public void Missing_cells_are_read_as_NaN_only_when_asked()
    {
        string path = _dir.Write("data.csv", "a,b,c\n1,NA,3\n,nan,?\nnull,None,#N/A\n");
        var table = CsvTable.Read(path, missingAsNaN: true);
        Assert.Equal(1, table.Values[0]);
        Assert.Equal(3, table.Values[2]);
        Assert.Equal(7, table.Values.Count(double.IsNaN));
        Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
    }

    [Fact]
    public void Row_with_too_few_fields_points_at_first_missing_field()
    {
        var (path, error) = Fail("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n");
        Assert.Equal($"{path}:3:5: row has 4 fields, header has 5", error.Message);
    }

    [Fact]
    public void Row_with_too_many_fields_points_at_first_extra_field()
    {
        var (path, error) = Fail("a,b\n1,2\n1,2,3\n");
        Assert.Equal($"{path}:3:3: row has 3 fields, header has 2", error.Message);
    }

    [Fact]
    public void Empty_line_between_rows_is_rejected()
    {
        var (path, error) = Fail("a,b\n1,2\n\n3,4\n");
        Assert.Equal($"{path}:3: empty line between rows", error.Message);
        Assert.Equal(3, error.Line);
        Assert.Equal(0, error.Column);
    }

    [Fact]
    public void Empty_line_before_header_is_rejected()
    {
        var (path, error) = Fail("\r\na,b\n1,2\n");
        Assert.Equal($"{path}:1: empty line before the header", error.Message);
    }

    [Fact]
    public void Duplicate_header_names_are_rejected()
    {
        var (path, error) = Fail("a,b,\"a\"\n1,2,3\n");
        Assert.Equal($"{path}:1:3: duplicate column name 'a' (also column 1)", error.Message);
    }

    [Fact]
    public void Empty_header_name_is_rejected()
    {
        var (path, error) = Fail("a,,c\n1,2,3\n");
        Assert.Equal($"{path}:1:2: empty column name in the header", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Empty_file_is_rejected(string contents)
    {
        var (path, error) = Fail(contents);
        Assert.Equal($"{path}:1: the file is empty; expected a header row of column names", error.Message);
    }

    [Fact]
    public void Header_without_rows_is_rejected()
    {
        var (path, error) = Fail("a,b\n\n");
        Assert.Equal($"{path}:1: the file has a header but no data rows", error.Message);
    }

    [Fact]
    public void Unterminated_quote_is_rejected()
    {
        var (path, error) = Fail("a,b\n1,\"2\n");
        Assert.Equal($"{path}:2:2: quoted field has no closing quote", error.Message);
    }

    [Fact]
    public void Text_after_closing_quote_is_rejected()
    {
        var (path, error) = Fail("a,b\n\"1\"x,2\n");
        Assert.Equal($"{path}:2:1: unexpected text after a closing quote", error.Message);
    }

    [Fact]
    public void Stray_quote_is_rejected()
    {
        var (path, error) = Fail("a,b\n1,2\"\n");
        Assert.Equal($"{path}:2:2: stray double quote inside an unquoted field", error.Message);
    }

    [Fact]
    public void Long_bad_cell_is_shortened_in_the_message()
    {
        string cell = new('x', 100);
        var (path, error) = Fail($"a\n{cell}\n");
        Assert.Equal($"{path}:2:1: column 'a': '{new string('x', 40)}...' is not a number (a text column? if it holds the class labels to predict, use --task classify; if it is a feature, leave it out by listing the columns to use with --columns A,B,...)", error.Message);
    }

    [Fact]
    public void Missing_file_is_invalid_input()
    {
        string path = _dir.PathOf("nope.csv");
        var error = Assert.Throws<InvalidInputException>(() => CsvTable.Read(path));
        Assert.IsNotType<DataFormatException>(error);
        Assert.Equal($"file not found: {path}", error.Message);
    }

    [Fact]
    public void Directory_is_invalid_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => CsvTable.Read(_dir.Path));
        Assert.Equal($"cannot read {_dir.Path}: it is a directory", error.Message);
    }

    [Fact]
    public void Reads_many_rows_across_chunk_boundaries()
    {
        var text = new System.Text.StringBuilder("x,y,z\n");
        const int rows = 50_000; // 150 000 values: more than two 65 536-value chunks
        for (int i = 0; i < rows; i++) text.Append(i).Append(',').Append(i * 0.5).Append(',').Append(-i).Append('\n');
        CsvTable table = CsvTable.Read(_dir.Write("big.csv", text.ToString()));

        Assert.Equal(rows, table.RowCount);
        Assert.Equal(rows * 3, table.Values.Length);
        for (int i = 0; i < rows; i += 997)
        {
            Assert.Equal(i, table[i, 0]);
            Assert.Equal(i * 0.5, table[i, 1]);
            Assert.Equal(-i, table[i, 2]);
        }
        Assert.Equal(rows - 1, table[rows - 1, 0]);
    }
}
