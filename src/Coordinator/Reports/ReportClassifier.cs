using NtkCluster.Numerics.Classification;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The classifier of a report with <c>--task classify</c>: one-vs-rest ridge regression with random features at the
/// report's kernel, λ and largest M (as <c>ntk fit --task classify</c> fits it), scored on the test rows (on the
/// training rows without a test set) — its confusion matrix and per-class metrics become a table of the report.
/// </summary>
/// <param name="Score">The scored rows' result, with its confusion matrix.</param>
/// <param name="OnTest">Whether <paramref name="Score"/> is of the test rows (else of the training rows).</param>
/// <param name="Features">The random features M of the fit.</param>
/// <param name="Lambda">The fit's λ.</param>
/// <param name="KernelSpec">The fit's kernel.</param>
public sealed record ReportClassifier(ClassLabels Classes, ClassificationScore Score, bool OnTest, int Features, double Lambda, string KernelSpec);
