using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;

namespace NtkCluster;

/// <summary>
/// A trained two-layer ReLU network f(W, x) = (1/√m)·Σ_r a_r·σ(w_rᵀx) (Def 3.5/3.8), with what training measured
/// against NTK ridge regression when it was trained in this process.
/// </summary>
public sealed class TwoLayerNetworkModel : Model
{
    internal TwoLayerNetworkModel(NetworkModel model, NetworkOutcome? outcome) : base(model)
    {
        Network = model;
        Training = outcome;
    }

    /// <summary>The math project's model.</summary>
    public NetworkModel Network { get; }

    /// <summary>
    /// What training measured (losses, the gap ‖κu(T) − u*‖/‖u*‖ to NTK ridge regression, Lemma 4.1's weight movement,
    /// kernel drift and pattern flips, the trajectory, warnings); null for a model read from a file.
    /// </summary>
    public NetworkOutcome? Training { get; }

    /// <summary>The network's predictions for raw rows, in the target's units.</summary>
    public double[] Predict(double[,] x) => TableData.FirstColumn(PredictMatrix(x));

    public override void Save(string path) => ModelFile.Save(Network, path);
}
