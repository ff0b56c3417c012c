namespace NtkCluster.Numerics.Solvers;

/// <summary>
/// Chooses the formulation of a fit and checks up front that its matrices fit in memory.
/// Primal and dual give the same β (push-through identity (ΨᵀΨ+λI)⁻¹Ψᵀ = Ψᵀ(ΨΨᵀ+λI)⁻¹); the smaller system wins.
/// </summary>
public static class FitPlanner
{
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
