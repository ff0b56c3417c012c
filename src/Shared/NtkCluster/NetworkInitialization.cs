namespace NtkCluster;

/// <summary>How a two-layer network's first-layer weights are drawn.</summary>
public enum NetworkInitialization
{
    /// <summary>w_r(0) ∼ N(0, I) (Def 3.5).</summary>
    Gaussian,

    /// <summary>w_r(0) ∼ q_λ, the NTK's ridge leverage distribution, with reweighting factors (Def 3.8).</summary>
    Leverage,
}
