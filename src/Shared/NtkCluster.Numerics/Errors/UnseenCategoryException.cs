namespace NtkCluster.Numerics.Errors;

/// <summary>
/// A category not seen in training, refused (<c>--unknown-category error</c>) by the coder of a categorical column's
/// cells, which knows the file but not where in it: a CSV reader that hands it a cell turns it into a
/// <see cref="DataFormatException"/> naming the line and column (<see cref="Problem"/> after <c>file:line:column:</c>).
/// </summary>
public sealed class UnseenCategoryException : InvalidInputException
{
    public UnseenCategoryException(string file, string problem) : base($"{file}: {problem}") => Problem = problem;

    /// <summary>The message without its file.</summary>
    public string Problem { get; }
}
