using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The plan and the reduction of a partition scoring round (<see cref="IBlockRounds.PartitionScoresAsync"/>): the pool
/// is cut into groups of <see cref="FirstStageLeverage.CandidatesPerCommand"/> candidates, and command i scores group
/// i / P on partition i mod P (P partitions) — group-major, so the partials of one group arrive together and are added
/// in partition order, then turned into that group's scores and dropped. The caller holds one group's sums at a
/// time: O(s·group·d2), never a row. Shared by the in-process and the sharded rounds, so both reduce alike.
/// </summary>
public sealed class PartitionScoreRound
{
    private readonly FirstStageLeverage _firstStage;
    private readonly Matrix<double> _pool;
    private readonly BlockPlan _groups;
    private FirstStageScoreSums? _sums;

    /// <summary>The most candidates one command scores: the in-memory scorer's candidate block.</summary>
    public const int MaxCandidatesPerCommand = 256;

    public PartitionScoreRound(int partitions, FirstStageLeverage firstStage, Matrix<double> pool, int maxCandidatesPerCommand)
    {
        if (partitions < 1) throw new ArgumentOutOfRangeException(nameof(partitions), "at least one partition");
        _firstStage = firstStage ?? throw new ArgumentNullException(nameof(firstStage));
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        Partitions = partitions;
        _groups = new BlockPlan(pool.RowCount, firstStage.CandidatesPerCommand(maxCandidatesPerCommand));
        Scores = new double[pool.RowCount];
    }

    public int Partitions { get; }

    /// <summary>Commands of the round: groups × partitions.</summary>
    public int Commands => _groups.Count * Partitions;

    /// <summary>The scores, complete once every command is folded.</summary>
    public double[] Scores { get; }

    /// <summary>The candidate group and partition of command <paramref name="index"/>.</summary>
    public (int Group, int Partition) Command(int index) => (index / Partitions, index % Partitions);

    /// <summary>The candidates of a group (rows of the pool).</summary>
    public Matrix<double> Candidates(int group) =>
        _pool.SubMatrix(_groups.Start(group), _groups.Length(group), 0, _pool.ColumnCount);

    /// <summary>The first-stage draws the partitions build Z from.</summary>
    public FeatureDraws FirstStage => _firstStage.FirstStage;

    /// <summary>Folds command <paramref name="index"/>'s partial; must be called in command order.</summary>
    public void Fold(int index, FirstStageScoreSums partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        var (group, partition) = Command(index);
        _sums = partition == 0 ? partial : _sums!.Add(partial);
        if (partition < Partitions - 1) return;
        _firstStage.Scores(_sums).CopyTo(Scores, _groups.Start(group));
        _sums = null;
    }
}
