namespace NtkCluster;

/// <summary>How a random-feature model draws its M features.</summary>
public enum FeatureSampling
{
    /// <summary>w ∼ p, the kernel's own distribution (classical random Fourier features).</summary>
    Plain,

    /// <summary>w ∼ q_λ ∝ p(w)·τ_λ(w), the ridge leverage distribution (Def 3.1, 3.2), reweighted so ΨΨᵀ stays unbiased.</summary>
    Leverage,
}
