namespace NtkCluster.Numerics.Execution;

/// <summary>What a <see cref="ProgressUpdate"/> is, which decides how it is shown and whether <c>--quiet</c> hides it.</summary>
/// <remarks>The values are on the client wire (one byte): never renumber them.</remarks>
public enum ProgressKind : byte
{
    /// <summary>A count in a stage: so many units of a stage done, out of a total when one is known. Hidden by --quiet.</summary>
    Count = 0,

    /// <summary>A one-off line about what the job does next ("solving the 400×400 system"). Hidden by --quiet.</summary>
    Note = 1,

    /// <summary>Something the user should know even with --quiet (a worker node lost, blocks asked again).</summary>
    Warning = 2,

    /// <summary>
    /// A line about how the job runs that the user chose or should know (how the rows reach the workers and why, what
    /// was shipped): shown without --verbose, unlike a <see cref="Note"/>. Hidden by --quiet.
    /// </summary>
    Notice = 3,
}
