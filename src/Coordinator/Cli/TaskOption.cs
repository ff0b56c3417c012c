namespace NtkCluster.Coordinator.Cli;

/// <summary><c>--task regress|classify</c> of <c>fit</c> and <c>cv</c>, checked against the options it rules out.</summary>
public static class TaskOption
{
    /// <summary>True for <c>--task classify</c>.</summary>
    public static bool IsClassify(ParsedOptions a, DataOptions data)
    {
        string task = a.Text("task") ?? "regress";
        if (task is not ("regress" or "classify")) throw new UsageException($"unknown --task '{task}' (known: regress, classify)");
        if (task != "classify") return false;
        // Scaling each one-vs-rest column by its own std would weigh the classes' scores differently and move the
        // arg-max; centring (--standardize) does not, so it stays allowed.
        if (data.ScaleTarget) throw new UsageException("--scale-target does not apply to --task classify (scaling the class columns differently would change the predicted class); drop it");
        if (data.Targets is { Length: > 1 }) throw new UsageException("--task classify takes one label column in --target, got " + data.Targets.Length);
        if (a.Has("stream")) throw new UsageException("--task classify does not stream: drop --stream");
        return true;
    }
}
