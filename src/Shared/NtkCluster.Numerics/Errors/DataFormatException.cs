namespace NtkCluster.Numerics.Errors;

/// <summary>A problem at a place in a data file, reported as <c>file:line:column: problem</c>.</summary>
public sealed class DataFormatException : InvalidInputException
{
    public string File { get; }
    public long Line { get; }
    public int Column { get; }

    public DataFormatException(string file, long line, int column, string problem)
        : base(column > 0 ? $"{TextForDisplay.Name(file)}:{line}:{column}: {problem}" : $"{TextForDisplay.Name(file)}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
    }
}
