using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Models;

/// <summary>What <c>ntk predict</c> needs of any saved model: its columns, its preprocessing and its predictions.</summary>
public interface IPredictiveModel
{
    string[] FeatureNames { get; }
    string[] TargetNames { get; }
    Preprocessor Preprocessing { get; }

    /// <summary>Predictions for already-preprocessed rows, in the model's (possibly scaled) target space.</summary>
    Matrix<double> PredictTransformed(Matrix<double> x);
}
