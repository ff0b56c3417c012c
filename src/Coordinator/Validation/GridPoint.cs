using System.Globalization;

namespace NtkCluster.Coordinator.Validation;

/// <summary>One point of a cross-validation grid: a canonical kernel spec and a ridge λ.</summary>
public sealed record GridPoint(string KernelSpec, double Lambda)
{
    public override string ToString() => $"{KernelSpec}, lambda {Lambda.ToString("R", CultureInfo.InvariantCulture)}";
}
