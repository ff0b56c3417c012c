namespace NtkCluster.Numerics.Models;

/// <summary>
/// How the leverage scores behind a model's draws were computed: the mode that actually ran (<c>--leverage auto</c>
/// resolved to <c>exact</c> or <c>subsample</c> by the row count) and the size of the candidate pool that was scored.
/// Kept with the model because neither can be read back from the draws, and a user comparing two models needs them;
/// nothing the model predicts depends on them.
/// </summary>
/// <param name="Mode"><c>exact</c> ((K+λI)⁻¹), <c>scalable</c> (first-stage features, bound-corrected) or <c>subsample</c>
/// (the scalable scorer against a hashed row subsample).</param>
/// <param name="Pool">The number of candidates drawn from p and scored.</param>
public sealed record LeverageProvenance(string Mode, int Pool)
{
    /// <summary>The modes a provenance can record; <c>auto</c> is never one, it is resolved before sampling.</summary>
    public static readonly IReadOnlyList<string> Modes = ["exact", "scalable", "subsample"];
}
