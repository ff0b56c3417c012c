namespace NtkCluster.Numerics.Data;

/// <summary>
/// The note that a CSV file's unnamed first column was left out (<see cref="CsvRowReader.RowNamesLeftOut"/>): R's
/// <c>write.csv(df, "f.csv")</c> writes the row names there under an empty quoted header <c>""</c>. Leaving them out
/// is what an R user expects (<c>read.csv</c> turns them back into row names, not into a variable), and one note says
/// so, since an identifier read as a feature would quietly spoil every fit.
/// </summary>
public static class RowNames
{
    /// <summary>The note for a CSV file whose first column has no name; null for any other file (or one that cannot be
    /// read: its reader says why later).</summary>
    /// <param name="separator">The field separator (<c>--separator</c>); null detects it from the header.</param>
    public static string? Note(string path, char? separator)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (DataFile.IsParquet(path)) return null;
        try
        {
            using var reader = CsvRowReader.Open(path, separator);
            return reader.RowNamesLeftOut
                ? $"{path}: column 1 has no name (R's row names, as write.csv writes them): left out"
                : null;
        }
        catch (Errors.InvalidInputException)
        {
            return null;
        }
    }
}
