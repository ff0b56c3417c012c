using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Networks;

namespace NtkCluster.Numerics.Models;

/// <summary>
/// A trained two-layer ReLU network (Def 3.5 / Def 3.8): predictions κ·f(W,x) = κ·(1/√m)·Σ_r a_r·c_r·σ(w_rᵀx).
/// </summary>
public sealed class NetworkModel : IPredictiveModel
{
    public required string ProgramVersion { get; init; }
    public required string[] FeatureNames { get; init; }
    public required string[] TargetNames { get; init; }
    public required Preprocessor Preprocessing { get; init; }

    /// <summary><c>gaussian</c> or <c>leverage</c>.</summary>
    public required string Init { get; init; }

    /// <summary><c>leverage</c> initialization: the leverage mode that ran and the pool size. Null for Gaussian
    /// initialization, and for leverage networks loaded from files written before it was recorded.</summary>
    public LeverageProvenance? Leverage { get; init; }
    public required ulong Seed { get; init; }
    public required NetworkSetup Setup { get; init; }
    public required int Steps { get; init; }

    /// <summary>W(T), m × d.</summary>
    public required Matrix<double> Weights { get; init; }
    public required double[] Signs { get; init; }
    public required double[] Factors { get; init; }

    /// <summary>A <c>train-nn --checkpoint</c> file's resume state; null for a plain model file.</summary>
    public NetworkCheckpoint? Checkpoint { get; init; }

    /// <summary>The same network with other preprocessing: what reading the data did before training — the categorical
    /// encoding, how missing values were filled — is attached this way, as to a <see cref="KrrModel"/>.</summary>
    public NetworkModel WithPreprocessing(Preprocessor preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        return new NetworkModel
        {
            ProgramVersion = ProgramVersion, FeatureNames = FeatureNames, TargetNames = TargetNames, Preprocessing = preprocessing,
            Init = Init, Leverage = Leverage, Seed = Seed, Setup = Setup, Steps = Steps, Weights = Weights, Signs = Signs, Factors = Factors,
            Checkpoint = Checkpoint,
        };
    }

    /// <summary>
    /// Sums the neurons in blocks of <see cref="NetworkInitializer.BlockSize"/>, block by block in order — exactly as
    /// training did — so saved models predict bitwise what <c>train-nn</c> reported.
    /// </summary>
    public Matrix<double> PredictTransformed(Matrix<double> x)
    {
        var u = new double[x.RowCount];
        var plan = new Features.BlockPlan(Weights.RowCount, NetworkInitializer.BlockSize);
        for (int b = 0; b < plan.Count; b++)
        {
            int start = plan.Start(b), count = plan.Length(b);
            var block = new NeuronBlock(Setup, Weights.SubMatrix(start, count, 0, Weights.ColumnCount),
                Signs.AsSpan(start, count).ToArray(), Factors.AsSpan(start, count).ToArray());
            var part = block.Outputs(x);
            for (int i = 0; i < u.Length; i++) u[i] += part[i];
        }
        return Matrix<double>.Build.Dense(x.RowCount, 1, (i, _) => Setup.Kappa * u[i]);
    }
}
