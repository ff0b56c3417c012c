using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Validation;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator to cross-validate ridge regression or classification over a grid on a partitioned dataset,
/// every round computed per partition where it is read (<see cref="PartitionedCrossValidator.RunAsync"/>): like
/// <see cref="SubmitPartitionedFit"/>, it carries the partitions' descriptors, never their rows. Answered with
/// <see cref="PartitionedCrossValidationOutcome"/> or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it, for messages.</param>
/// <param name="Split">The training side of <c>--test-fraction</c>'s hashed split, or null.</param>
/// <param name="KernelSpecs">The grid's kernels (outer), each with every λ of <paramref name="Lambdas"/> (inner).</param>
/// <param name="Settings">Everything but the kernel and λ.</param>
public sealed record SubmitPartitionedCrossValidation(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns, RowSplit? Split,
    RowFolds Folds, string[] KernelSpecs, double[] Lambdas, FitSettings Settings) : INoSerializationVerificationNeeded;
