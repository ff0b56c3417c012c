using System.Text;

namespace NtkCluster.CommandLine;

/// <summary>
/// The "options:" section of a help text: <c>  --name ARG</c>, then the description from column 27 (on the next line
/// when the name is long), its further lines indented alike.
/// </summary>
public static class HelpLayout
{
    public const int DescriptionColumn = 26;

    /// <param name="options">Each option's name with dashes, placeholder (empty for a flag) and description (lines split by \n).</param>
    public static string Options(IEnumerable<(string Name, string Placeholder, string Description)> options)
    {
        var sb = new StringBuilder("options:\n");
        foreach (var (name, placeholder, description) in options)
        {
            string head = placeholder.Length == 0 ? name : $"{name} {placeholder}";
            var lines = description.Split('\n');
            if (head.Length <= DescriptionColumn - 4) sb.Append("  ").Append(head.PadRight(DescriptionColumn - 2)).Append(lines[0]).Append('\n');
            else sb.Append("  ").Append(head).Append('\n').Append(' ', DescriptionColumn).Append(lines[0]).Append('\n');
            foreach (var more in lines.Skip(1)) sb.Append(' ', DescriptionColumn).Append(more).Append('\n');
        }
        return sb.ToString();
    }
}
