using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Networks;

/// <summary>
/// Everything a neuron-block entity needs besides its current weights: the block's fixed part of the network
/// (initial weights, signs, factors), the shared hyper-parameters and the training rows.
/// </summary>
public sealed record NeuronBlockSetup(NetworkSetup Network, Matrix<double> InitialWeights, double[] Signs, double[] Factors, Matrix<double> X);
