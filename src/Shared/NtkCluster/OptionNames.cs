using NtkCluster.Numerics.Errors;

namespace NtkCluster;

/// <summary>
/// The options' names as the command line, the model file, checkpoints and the job wire format spell them
/// (<c>plain</c>, <c>leverage</c>, <c>auto</c>, <c>exact</c>, <c>scalable</c>, <c>gaussian</c>): one place turns the typed
/// options into text and back, so every spelling of an option is the same.
/// </summary>
public static class OptionNames
{
    public static string Name(this FeatureSampling sampling) => sampling switch
    {
        FeatureSampling.Plain => "plain",
        FeatureSampling.Leverage => "leverage",
        _ => throw new ArgumentOutOfRangeException(nameof(sampling), sampling, null),
    };

    public static string Name(this LeverageScoring scoring) => scoring switch
    {
        LeverageScoring.Auto => "auto",
        LeverageScoring.Exact => "exact",
        LeverageScoring.Scalable => "scalable",
        LeverageScoring.Subsample => "subsample",
        _ => throw new ArgumentOutOfRangeException(nameof(scoring), scoring, null),
    };

    public static string Name(this NetworkInitialization initialization) => initialization switch
    {
        NetworkInitialization.Gaussian => "gaussian",
        NetworkInitialization.Leverage => "leverage",
        _ => throw new ArgumentOutOfRangeException(nameof(initialization), initialization, null),
    };

    /// <exception cref="InvalidInputException">Not <c>plain</c> or <c>leverage</c>; <paramref name="what"/> names the option.</exception>
    public static FeatureSampling ParseSampling(string text, string what = "sampling") => text switch
    {
        "plain" => FeatureSampling.Plain,
        "leverage" => FeatureSampling.Leverage,
        _ => throw new InvalidInputException($"unknown {what} '{text}' (known: plain, leverage)"),
    };

    /// <exception cref="InvalidInputException">Not <c>auto</c>, <c>exact</c>, <c>scalable</c> or <c>subsample</c>.</exception>
    public static LeverageScoring ParseScoring(string text, string what = "leverage mode") => text switch
    {
        "auto" => LeverageScoring.Auto,
        "exact" => LeverageScoring.Exact,
        "scalable" => LeverageScoring.Scalable,
        "subsample" => LeverageScoring.Subsample,
        _ => throw new InvalidInputException($"unknown {what} '{text}' (known: auto, exact, scalable, subsample)"),
    };

    /// <exception cref="InvalidInputException">Not <c>gaussian</c> or <c>leverage</c>.</exception>
    public static NetworkInitialization ParseInitialization(string text, string what = "init") => text switch
    {
        "gaussian" => NetworkInitialization.Gaussian,
        "leverage" => NetworkInitialization.Leverage,
        _ => throw new InvalidInputException($"unknown {what} '{text}' (known: gaussian, leverage)"),
    };
}
