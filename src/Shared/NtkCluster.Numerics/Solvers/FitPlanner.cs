using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Solvers;

/// <summary>
/// Chooses the formulation of a fit and checks up front that its matrices fit in memory.
/// Primal and dual give the same β (push-through identity (ΨᵀΨ+λI)⁻¹Ψᵀ = Ψᵀ(ΨΨᵀ+λI)⁻¹); the smaller system wins.
/// </summary>
public static class FitPlanner
{
    /// <summary>
    /// The number of feature columns of a random-feature fit (M draws of <paramref name="featureDimension"/> columns
    /// each), its size arithmetic checked: a product past what one matrix can index, or draws (M × the draw dimension)
    /// larger than memory, is refused up front with the memory estimate (issue 15, item 7: NTK features on 10 000
    /// input columns overflowed instead).
    /// </summary>
    /// <exception cref="ResourceLimitException">Too large; the message says how much memory it would need.</exception>
    public static int FeatureColumns(long features, int drawDimension, int featureDimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        long drawBytes = MemoryBudget.DenseBytes(features, drawDimension);
        MemoryBudget.EnsureFits(drawBytes, $"{features} feature draws of dimension {drawDimension} (the M×{drawDimension} draw matrix)",
            "use fewer --features, or fewer input columns (--columns)");
        long columns = features * (long)featureDimension; // both below 2^31: no overflow in 64 bits
        if (columns > int.MaxValue)
            throw new ResourceLimitException(
                $"{features} feature draws of {featureDimension} columns each make {columns} feature columns, past what one matrix can hold " +
                $"(a single row of them needs about {MemoryBudget.Describe(MemoryBudget.DenseBytes(1, columns))}, the m×m system " +
                $"{MemoryBudget.Describe(MemoryBudget.DenseBytes(columns, columns))}); use fewer --features, or fewer input columns (--columns)");
        return (int)columns;
    }

    public static RidgeFormulation Plan(bool exact, int rows, int featureColumns)
    {
        if (exact)
        {
            // K, its shifted copy and the Cholesky factor.
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(rows, rows, 3), $"exact KRR on n={rows} rows (n×n kernel matrix)",
                "use --solver features --features M (random features need only M·d2 squared)");
            return RidgeFormulation.Exact;
        }
        if (featureColumns <= rows)
        {
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(featureColumns, featureColumns, 4), $"the random-feature fit with m={featureColumns} feature columns (m×m Gram matrix)",
                "use fewer --features");
            return RidgeFormulation.Primal;
        }
        MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(rows, rows, 4), $"the dual random-feature fit on n={rows} rows with m={featureColumns} > n feature columns (n×n matrix)",
            "use fewer --features (at most n·d2 columns keeps the m×m primal form)");
        return RidgeFormulation.Dual;
    }
}
