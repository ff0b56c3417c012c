using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster;

/// <summary>A fitted kernel ridge regression: exact (<see cref="KernelRidge"/>) or on random features (<see cref="RandomFeatureRidge"/>).</summary>
public sealed class RidgeModel : Model
{
    internal RidgeModel(KrrModel model, double? trainMse = null, double? seconds = null) : base(model)
    {
        Ridge = model;
        TrainMse = trainMse;
        Seconds = seconds;
    }

    /// <summary>The math project's model.</summary>
    public KrrModel Ridge { get; }

    public Kernel Kernel => Kernel.Parse(Ridge.Kernel.Spec);

    public double Lambda => Ridge.Lambda;

    /// <summary>True for exact KRR (n×n); false for a random-feature model.</summary>
    public bool IsExact => Ridge.IsExact;

    /// <summary>M, the random-feature draws (0 for exact KRR).</summary>
    public int Features => Ridge.FeatureCount;

    /// <summary>How the system was solved: exact, primal (ΨᵀΨ, M·d₂ ≤ n) or dual (ΨΨᵀ).</summary>
    public RidgeFormulation Formulation => Ridge.Formulation;

    /// <summary>The training MSE in the target's units, when the model was fitted in this process (null when loaded).</summary>
    public double? TrainMse { get; }

    /// <summary>Seconds the fit took, when fitted in this process.</summary>
    public double? Seconds { get; }

    /// <summary>Predictions of the one target for raw rows (the model's feature columns, in order).</summary>
    /// <exception cref="InvalidOperationException">The model has several targets: use <see cref="PredictAll"/>.</exception>
    public double[] Predict(double[,] x)
    {
        if (Ridge.TargetNames.Length != 1)
            throw new InvalidOperationException($"the model predicts {Ridge.TargetNames.Length} targets: use PredictAll");
        return TableData.FirstColumn(PredictMatrix(x));
    }

    /// <summary>Predictions of every target (one column each) for raw rows.</summary>
    public double[,] PredictAll(double[,] x) => TableData.ToArray(PredictMatrix(x));

    public override void Save(string path) => ModelFile.Save(Ridge, path);
}
