using NtkCluster.Numerics.Classification;

namespace NtkCluster.Fit;

/// <summary>
/// How a one-vs-rest classifier fitted on a partitioned dataset scores (<c>--task classify</c>): its classes, discovered
/// per partition, and its accuracy on the training rows and the test rows, counted per partition and merged in
/// partition order.
/// </summary>
public sealed record ClassifierScores(ClassLabels Classes, ClassificationScore Train, ClassificationScore? Test);
