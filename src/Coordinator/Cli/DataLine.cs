namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The first stderr line of a command that reads data: what was read and which column is the target, so that a
/// default target ("the last column") that is the wrong one is seen at once, before the work (as <c>ntk report</c>
/// started doing).
/// </summary>
public static class DataLine
{
    /// <summary>"target 'y'", with the hint to --target when the target was not given; "targets 'a', 'b'" for several.</summary>
    public static string Target(IReadOnlyList<string> targets, bool given)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return targets.Count == 1
            ? $"target '{targets[0]}'" + (given ? "" : " (the last column; choose another with --target COL)")
            : $"targets {string.Join(", ", targets.Select(t => $"'{t}'"))}";
    }

    /// <summary>"train.csv: 442 training rows × 10 features, target 'progression' (the last column; …)".</summary>
    public static string Of(string path, long rows, int features, IReadOnlyList<string> targets, bool targetGiven) =>
        $"{path}: {rows} training rows × {features} features, {Target(targets, targetGiven)}";

    /// <summary>
    /// The same for <c>--task classify</c>: the label column and its number of classes ("target 'kind' (3 classes; the
    /// last column; …)"), not the one-vs-rest score columns the fit works on ("kind=sedan", …), which are no column of
    /// the user's file.
    /// </summary>
    public static string Of(string path, long rows, int features, NtkCluster.Numerics.Classification.ClassLabels classes, bool targetGiven)
    {
        ArgumentNullException.ThrowIfNull(classes);
        return $"{path}: {rows} training rows × {features} features, target '{classes.Column}' ({classes.Count} classes" +
               (targetGiven ? ")" : "; the last column; choose another with --target COL)");
    }
}
