using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// What a network's blocks can be rebuilt from, exactly, at any step since the last checkpoint: each block's fixed part
/// (<see cref="Setups"/>), its weights at <see cref="CheckpointStep"/>, and the whole network's residuals of every
/// step since — the lineage of a block's state, as a lost RDD partition is recomputed from its parents. The trainer
/// keeps it; only an execution whose blocks can be lost reads it.
/// </summary>
public sealed class NeuronLineage
{
    public NeuronLineage(NeuronBlockSetup[] setups, Matrix<double>[] checkpoint, int checkpointStep)
    {
        if (setups.Length != checkpoint.Length) throw new ArgumentException("one checkpoint per block", nameof(checkpoint));
        Setups = setups;
        Checkpoint = checkpoint;
        CheckpointStep = checkpointStep;
    }

    public NeuronBlockSetup[] Setups { get; }

    public int Blocks => Setups.Length;

    /// <summary>Each block's weights at <see cref="CheckpointStep"/>.</summary>
    public Matrix<double>[] Checkpoint { get; private set; }

    public int CheckpointStep { get; private set; }

    /// <summary>The residual of every step from <see cref="CheckpointStep"/> on, in step order.</summary>
    public List<double[]> ResidualsSince { get; } = [];

    /// <summary>A new checkpoint: the blocks' weights at <paramref name="step"/>; the residuals before it are dropped.</summary>
    public void Advance(Matrix<double>[] weights, int step)
    {
        if (weights.Length != Setups.Length) throw new ArgumentException("one checkpoint per block", nameof(weights));
        Checkpoint = weights;
        CheckpointStep = step;
        ResidualsSince.Clear();
    }
}
