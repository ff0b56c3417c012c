namespace NtkCluster;

/// <summary>How leverage scores τ_λ(w) of the candidate pool are computed.</summary>
public enum LeverageScoring
{
    /// <summary>Exact up to 4000 training rows, scalable beyond.</summary>
    Auto,

    /// <summary>With (K+λI)⁻¹ on all n rows: O(n³) once, n×n memory.</summary>
    Exact,

    /// <summary>With a plain first-stage feature map Z, corrected upward by its measured spectral error ε₁.</summary>
    Scalable,
}
