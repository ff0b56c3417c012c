using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
namespace NtkCluster.Spectral;

/// <summary>One sampling at one feature count: medians over the sweep's seeds.</summary>
public sealed record SweepPoint(int Features, string Sampling, double Epsilon, double Error, double TrainError, double Seconds);

/// <summary>
/// A sweep's table. <see cref="SweepPoint.Error"/> is the test MSE (training MSE without a test set); ε is exact or, beyond
/// <see cref="EpsilonIsExact"/>, a subsample lower bound. <see cref="ExactError"/> is exact KRR's, when it fits.
/// <see cref="PoolFloor"/> is the median over seeds of max τ / P: the pool's own kernel, which leverage sampling
/// converges to, has a whitened eigenvalue at least this large, so leverage ε cannot fall below PoolFloor − 1
/// however large M grows (one far-out candidate with a huge τ is enough to set it).
/// </summary>
public sealed record SweepOutcome(IReadOnlyList<SweepPoint> Points, double? ExactError, bool EpsilonIsExact, bool HasTest,
    double? SLambda, int Rows, int Repeats, double Seconds, double PoolFloor = double.NaN, int PoolSize = 0);
