using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NtkCluster.CommandLine;

/// <summary>
/// System.CommandLine options of each <see cref="OptionKind"/>, parsed with this program's own one-line messages
/// (<c>--lambda 'abc' is not a finite number</c>) and refused when given twice. A placeholder that lists its values
/// (<c>plain|leverage</c>) also becomes the option's tab completions.
/// </summary>
public static partial class TypedOption
{
    /// <param name="name">The option with its dashes, <c>--lambda</c>.</param>
    /// <param name="placeholder">The value's placeholder in the help, <c>L</c> or <c>exact|features</c>; empty for a flag.</param>
    public static Option Create(string name, OptionKind kind, string description, string placeholder)
    {
        Option option = kind switch
        {
            OptionKind.Flag => new Option<bool>(name) { Arity = ArgumentArity.Zero },
            OptionKind.Text => new Option<string>(name),
            OptionKind.Number => new Option<double?>(name) { CustomParser = r => Parse<double>(r, TryNumber, "is not a finite number") },
            OptionKind.Integer => new Option<long?>(name) { CustomParser = r => Parse<long>(r, TryInteger, "is not a whole number") },
            OptionKind.Seed => new Option<ulong?>(name) { CustomParser = r => Parse<ulong>(r, TrySeed, "is not a non-negative whole number") },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        option.Description = description;
        if (placeholder.Length > 0) option.HelpName = placeholder;
        option.Validators.Add(r =>
        {
            if (r.IdentifierTokenCount > 1) r.AddError($"option {name} given twice");
            // '--train --lamda 1': an option name where the value should be is a missing value, not a file called --lamda.
            else if (r.Tokens is [var token] && IsOptionLike(token.Value)) r.AddError($"option {name} needs a value");
        });
        var choices = placeholder.Split('|');
        if (choices.Length > 1) option.CompletionSources.Add(choices.Where(c => ChoiceWord().IsMatch(c)).ToArray());
        return option;
    }

    /// <summary>The kind of an option made by <see cref="Create"/>.</summary>
    public static OptionKind KindOf(Option option) => option.ValueType switch
    {
        var t when t == typeof(bool) => OptionKind.Flag,
        var t when t == typeof(double?) => OptionKind.Number,
        var t when t == typeof(long?) => OptionKind.Integer,
        var t when t == typeof(ulong?) => OptionKind.Seed,
        _ => OptionKind.Text,
    };

    /// <summary>A token that reads as an option name (<c>--x</c>), which no value of this program's options starts with.</summary>
    public static bool IsOptionLike(string token) => token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2;

    private delegate bool TryParser<T>(string text, out T value);

    private static T? Parse<T>(ArgumentResult result, TryParser<T> tryParse, string problem) where T : struct
    {
        if (result.Tokens.Count != 1) return null; // the arity check reports it
        string text = result.Tokens[0].Value;
        if (tryParse(text, out T value)) return value;
        string name = (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
        result.AddError($"{name} '{text}' {problem}");
        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TrySeed(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex("^[a-z][a-z0-9-]+$")]
    private static partial Regex ChoiceWord();
}
