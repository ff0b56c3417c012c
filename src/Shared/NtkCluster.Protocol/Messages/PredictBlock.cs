using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Protocol.Messages;

/// <summary>Predictions of a model for one block of already-preprocessed rows. Answered by <see cref="BlockPredicted"/>.</summary>
public sealed record PredictBlock(string JobId, int BlockIndex, IPredictiveModel Model, Matrix<double> X) : IBlockCommand
{
    public string EntityId => $"{JobId}.predict.{BlockIndex}";
}

/// <summary>Predictions in the model's transformed target space, one row per input row.</summary>
public sealed record BlockPredicted(string JobId, int BlockIndex, Matrix<double> Predictions) : IBlockReply;
