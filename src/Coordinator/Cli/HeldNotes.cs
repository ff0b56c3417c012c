using System.Globalization;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The notes and notices written while a command reads its data ("read as ';'-separated, with decimal commas",
/// "categorical feature(s) … one-hot encoded", "--missing mean fills …"), held until the command's data line
/// (<see cref="DataLine"/>) is out: that line comes first on stderr, naming the data and the target, and a file refused
/// while it is read gives its one error line alone (issue 16: first line, and bad input in one line).
/// </summary>
public sealed class HeldNotes(string command)
{
    private readonly StringWriter _lines = new(CultureInfo.InvariantCulture);

    /// <summary>For code that writes its own whole lines, "ntk fit: notice: …" (<see cref="ClassificationData.Load"/>).</summary>
    public TextWriter Writer => _lines;

    public void Note(string text) => _lines.WriteLine($"ntk {command}: note: {text}");

    public void Notice(string text) => _lines.WriteLine($"ntk {command}: notice: {text}");

    /// <summary>Writes the held lines, in the order they came, after the data line.</summary>
    public void WriteTo(TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.Write(_lines.ToString());
        _lines.GetStringBuilder().Clear();
    }
}
