using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Evaluation;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The predict-the-mean MSE of the training and test targets, for the R² that <c>fit</c> and <c>cv</c> print beside
/// each MSE: a number that says at once whether a model beats the obvious baseline. Null where the targets are not
/// held by this program (a streamed or partitioned fit).
/// </summary>
public sealed record RegressionScores(double? TrainBaseline, double? TestBaseline)
{
    public static readonly RegressionScores None = new(null, null);

    /// <summary>The baselines of targets in memory.</summary>
    public static RegressionScores Of(Matrix<double> trainTargets, Matrix<double>? testTargets) =>
        new(Metrics.MeanBaselineSquaredError(trainTargets), testTargets is null ? null : Metrics.MeanBaselineSquaredError(testTargets));

    public double? TrainR2(double mse) => TrainBaseline is double b ? Metrics.RSquared(mse, b) : null;

    public double? TestR2(double? mse) => TestBaseline is double b && mse is double m ? Metrics.RSquared(m, b) : null;

    /// <summary>"train MSE 0.0165, R² 0.952 (predict-the-mean MSE 0.344)", or the MSE alone without a baseline.</summary>
    public static string Text(string which, double mse, double? baseline)
    {
        string text = $"{which} MSE {G(mse)}";
        if (baseline is not double b) return text;
        return Metrics.RSquared(mse, b) is double r2 ? text + $", R² {G(r2)} (predict-the-mean MSE {G(b)})" : text + $" (predict-the-mean MSE {G(b)})";
    }

    public string TrainText(double mse) => Text("train", mse, TrainBaseline);

    public string TestText(double mse) => Text("test", mse, TestBaseline);

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
