using Parquet;
using Parquet.Schema;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>One column of a Parquet file a test writes: its schema field and how to write a slice of its values.</summary>
internal sealed record ParquetTestColumn(Field Field, Func<ParquetRowGroupWriter, int, int, Task> WriteSlice, int Length)
{
    public static ParquetTestColumn Of<T>(string name, T[] values) where T : struct => Of(new DataField<T>(name), values);

    public static ParquetTestColumn Of<T>(DataField field, T[] values) where T : struct =>
        new(field, async (g, start, count) => await g.WriteAsync<T>(field, new ReadOnlyMemory<T>(values, start, count)), values.Length);

    /// <summary>An optional column; null entries are nulls.</summary>
    public static ParquetTestColumn Nullable<T>(string name, T?[] values) where T : struct
    {
        var field = new DataField<T?>(name);
        return new(field, async (g, start, count) => await g.WriteAsync<T>(field, new ReadOnlyMemory<T?>(values, start, count)), values.Length);
    }

    public static ParquetTestColumn Strings(string name, string[] values)
    {
        var field = new DataField<string>(name);
        return new(field, async (g, start, count) => await g.WriteAsync(field, values.Skip(start).Take(count).ToArray()), values.Length);
    }
}

/// <summary>Writes small Parquet files with Parquet.Net, for the reader's tests (values, row groups, errors).</summary>
internal static class ParquetTestFile
{
    /// <summary>Writes the columns (all of one length) in row groups of <paramref name="rowGroupSize"/> rows.</summary>
    public static string Write(string path, int rowGroupSize, params ParquetTestColumn[] columns)
    {
        int rows = columns[0].Length;
        if (columns.Any(c => c.Length != rows)) throw new ArgumentException("columns of different lengths");
        Task.Run(async () =>
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field).ToArray()), stream);
            for (int start = 0; start < rows; start += rowGroupSize)
            {
                int count = Math.Min(rowGroupSize, rows - start);
                using var group = writer.CreateRowGroup();
                foreach (var column in columns) await column.WriteSlice(group, start, count);
            }
        }).GetAwaiter().GetResult();
        return path;
    }
}
