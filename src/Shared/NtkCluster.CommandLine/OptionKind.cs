namespace NtkCluster.CommandLine;

/// <summary>What an option's value is, which decides how it is parsed and how a bad value is refused.</summary>
public enum OptionKind
{
    /// <summary>A bare flag, <c>--json</c>: no value.</summary>
    Flag,

    /// <summary>Any text: a path, a spec, a list read by the command.</summary>
    Text,

    /// <summary>A finite invariant-culture number (<c>1e-3</c>, <c>0.5</c>).</summary>
    Number,

    /// <summary>A whole number, negative ones included (the command checks its range).</summary>
    Integer,

    /// <summary>A seed: a non-negative whole number up to 2⁶⁴−1.</summary>
    Seed,
}
