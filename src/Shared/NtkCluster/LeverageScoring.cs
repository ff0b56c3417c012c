namespace NtkCluster;

/// <summary>How leverage scores τ_λ(w) of the candidate pool are computed.</summary>
public enum LeverageScoring
{
    /// <summary>Exact up to 4000 training rows, subsample beyond.</summary>
    Auto,

    /// <summary>With (K+λI)⁻¹ on all n rows: O(n³) once, n×n memory.</summary>
    Exact,

    /// <summary>With a plain first-stage feature map Z, corrected upward by its measured spectral error ε₁.</summary>
    Scalable,

    /// <summary>
    /// The scalable scorer against a hashed row subsample of n′ rows (n′ from the estimated statistical dimension) with
    /// λ scaled by n′/n: an estimate of τ at a fraction of the cost, corrected upward by ε₁ like the scalable mode.
    /// </summary>
    Subsample,
}
