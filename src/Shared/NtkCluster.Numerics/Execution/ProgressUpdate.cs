using System.Globalization;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// One progress event of a job — the one form every job reports progress in, locally and, relayed by the
/// coordinator, to a <c>--cluster</c> client. A job only describes where it is; the client's renderer decides how
/// and how often to show it, and measures rate and ETA on its own monotonic clock, so an update carries no time.
/// </summary>
/// <param name="Stage">What is being counted ("Gram blocks", "step"), or the text of a note or warning.</param>
/// <param name="Done">Units of the stage done so far (0 when a stage starts).</param>
/// <param name="Total">Units the stage has in all, when known.</param>
/// <param name="Unit">What a unit is ("blocks", "steps", "fits"), for the rate.</param>
/// <param name="Detail">Extra state shown beside the count (a network's loss), if any.</param>
public sealed record ProgressUpdate(ProgressKind Kind, string Stage, long Done, long? Total, string Unit, string? Detail = null)
{
    /// <summary>Units done of a stage.</summary>
    public static ProgressUpdate Count(string stage, long done, long? total, string unit, string? detail = null) =>
        new(ProgressKind.Count, stage, done, total, unit, detail);

    /// <summary>A line about what the job does next.</summary>
    public static ProgressUpdate Note(string text) => new(ProgressKind.Note, text, 0, null, "");

    /// <summary>A line about how the job runs, shown without --verbose (<see cref="ProgressKind.Notice"/>).</summary>
    public static ProgressUpdate Notice(string text) => new(ProgressKind.Notice, text, 0, null, "");

    /// <summary>A line shown even with --quiet.</summary>
    public static ProgressUpdate Warning(string text) => new(ProgressKind.Warning, text, 0, null, "");

    /// <summary>A stage whose count has reached its known total.</summary>
    public bool IsComplete => Kind == ProgressKind.Count && Total is long t && Done >= t;

    /// <summary>
    /// The update as one line of plain text without rate or ETA — "Gram blocks 3/10", "step 10/60: loss 1.5" or the
    /// note itself — for logs and <c>ntk status</c>.
    /// </summary>
    public string Text => Kind != ProgressKind.Count
        ? Stage
        : string.Create(CultureInfo.InvariantCulture, $"{Stage} {Done}{(Total is long t ? $"/{t}" : $" {Unit}")}") + (Detail is null ? "" : $": {Detail}");
}
