using System.CommandLine;
using System.CommandLine.Parsing;

namespace NtkCluster.CommandLine;

/// <summary>
/// A command line System.CommandLine refused, as the one line this program prints for it: unknown options and stray
/// arguments first (they are the likeliest typo), then options given twice or without their value, then the
/// options' own messages (<see cref="TypedOption"/>, the commands' validators).
/// </summary>
public static class ParseErrors
{
    /// <summary>The line for the first error, or null when the command line parsed.</summary>
    /// <param name="args">The command line as given: tells <c>--flag=value</c> from <c>--flag value</c>.</param>
    /// <param name="usedAs">The command as typed, <c>ntk fit</c>, for the pointer to its help.</param>
    public static string? FirstMessage(ParseResult result, IReadOnlyList<string> args, string usedAs)
    {
        if (result.Errors.Count == 0) return null;
        foreach (var error in result.Errors)
        {
            if (OptionOf(error) is { Tokens: [var value] } option && TypedOption.IsOptionLike(value.Value))
                return $"option {option.Option.Name} needs a value";
        }
        foreach (var token in result.UnmatchedTokens)
        {
            foreach (var flag in result.CommandResult.Command.Options.Where(o => o.Arity.MaximumNumberOfValues == 0))
            {
                if (args.Contains($"{flag.Name}={token}", StringComparer.Ordinal)) return $"option {flag.Name} takes no value";
            }
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
                return $"unknown option '{token.Split('=')[0]}' for '{usedAs}' (see {usedAs} --help)";
            return $"unexpected argument '{token}' for '{usedAs}' (see {usedAs} --help)";
        }
        foreach (var error in result.Errors)
        {
            if (OptionOf(error) is { } option)
            {
                if (option.IdentifierTokenCount > 1) return $"option {option.Option.Name} given twice";
                if (option.Tokens.Count == 0 && option.Option.Arity.MinimumNumberOfValues > 0) return $"option {option.Option.Name} needs a value";
            }
        }
        return result.Errors[0].Message;
    }

    private static OptionResult? OptionOf(ParseError error) => error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult;
}
