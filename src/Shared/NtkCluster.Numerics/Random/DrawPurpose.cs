namespace NtkCluster.Numerics.Random;

/// <summary>What a <see cref="DrawStream"/> is for; part of its key, so different uses of one seed never share numbers.</summary>
public enum DrawPurpose : ulong
{
    FeatureDraws = 1,
    TrainTestSplit = 2,
    CandidatePool = 3,
    LeverageSelection = 4,
    NetworkInit = 5,
    FirstStage = 6,
    SpectralSubsample = 7,
    NetworkSigns = 8,
    CrossValidationFolds = 9,
    /// <summary>The train/test side of one row by hash (<see cref="Partitions.RowHash"/>), for partitioned data.</summary>
    HashedTrainTestSplit = 10,
    /// <summary>The cross-validation fold of one row by hash (<see cref="Partitions.RowHash"/>), for partitioned data.</summary>
    HashedFolds = 11,
    /// <summary>The rows a partitioned sweep measures ε on: the smallest hashes (<see cref="Partitions.RowSample"/>).</summary>
    HashedSubsample = 20,
    Testing = 99,
}
