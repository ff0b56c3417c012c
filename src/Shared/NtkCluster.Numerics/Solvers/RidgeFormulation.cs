namespace NtkCluster.Numerics.Solvers;

/// <summary>Which linear system a fit solves.</summary>
public enum RidgeFormulation
{
    /// <summary>Exact KRR: α = (K+λI)⁻¹Y, n×n (eq. 1).</summary>
    Exact,
    /// <summary>Random features, β = (ΨᵀΨ+λI)⁻¹ΨᵀY: m×m, used when m = M·d2 ≤ n.</summary>
    Primal,
    /// <summary>Random features through α = (ΨΨᵀ+λI)⁻¹Y and β = Ψᵀα: n×n, used when m &gt; n.</summary>
    Dual,
}
