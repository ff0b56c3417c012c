namespace NtkCluster.Numerics.Errors;

/// <summary>
/// A kernel value, a solution or an error that came out infinite or NaN: double precision overflowed, because of a
/// kernel parameter (a huge gamma) or data of too large a magnitude. It is the input's doing, so exit code 2 with
/// this one line, never a "train MSE NaN" reported as success (issue 15, item 6).
/// </summary>
public sealed class NonFiniteValueException : InvalidInputException
{
    /// <summary>What the message ends with: the two causes, and what to do about them.</summary>
    public const string Causes =
        "double precision overflowed, from a kernel parameter too large (gamma) or from data values of too large a magnitude; " +
        "lower gamma or scale the data (--standardize)";

    public NonFiniteValueException(string message) : base(message) { }

    /// <summary>Throws unless every entry of <paramref name="values"/> is finite; <paramref name="what"/> names them
    /// ("the kernel matrix", "the ridge solution").</summary>
    public static void ThrowIfNotFinite(ReadOnlySpan<double> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new NonFiniteValueException($"{what} holds {Describe(values[i])} values: {Causes}");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    public static void ThrowIfNotFinite(double value, string what)
    {
        if (!double.IsFinite(value)) throw new NonFiniteValueException($"{what} is {Describe(value)}: {Causes}");
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN (not a number)" : "infinite";
}
