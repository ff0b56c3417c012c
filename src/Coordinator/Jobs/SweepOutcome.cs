namespace NtkCluster.Coordinator.Jobs;

/// <summary>One sampling at one feature count: medians over the sweep's seeds.</summary>
public sealed record SweepPoint(int Features, string Sampling, double Epsilon, double Error, double TrainError, double Seconds);

/// <summary>
/// A sweep's table. <see cref="Error"/> is the test MSE (training MSE without a test set); ε is exact or, beyond
/// <see cref="EpsilonIsExact"/>, a subsample lower bound. <see cref="ExactError"/> is exact KRR's, when it fits.
/// </summary>
public sealed record SweepOutcome(IReadOnlyList<SweepPoint> Points, double? ExactError, bool EpsilonIsExact, bool HasTest,
    double? SLambda, int Rows, int Repeats, double Seconds);
