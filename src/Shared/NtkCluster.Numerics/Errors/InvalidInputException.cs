namespace NtkCluster.Numerics.Errors;

/// <summary>
/// Bad input from the user: a malformed file, an impossible option, a model that does not fit the data.
/// The message is one line that says what is wrong and where; the command line turns it into exit code 2.
/// </summary>
public class InvalidInputException : Exception
{
    public InvalidInputException(string message) : base(message) { }
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}
