using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Spectral;
using Xunit;

namespace NtkCluster.Numerics.Tests.Spectral;

/// <summary>Theorem 3.3's m ≥ 3·ε⁻²·s_q̃·ln(16·s_q̃·s_λ/δ) and its hypotheses ε &lt; 1/2, λ &lt; ‖K‖.</summary>
public sealed class TheoremBoundTests
{
    [Fact]
    public void Formula_value_for_a_hand_computed_case()
    {
        // ε = 1/4, δ = 0.1, s_q = 10, s_λ = 5: 3·16·10·ln(16·10·5/0.1) = 480·ln 8000
        //   = 480·(3·ln 2 + 3·ln 10) = 480·8.987196820661973 = 4313.854473917747.
        double m = TheoremBound.RequiredFeatures(0.25, 0.1, 10, 5);
        Assert.Equal(4313.854473917747, m, 1e-12 * 4313.854473917747);

        // Exact leverage sampling, s_q = s_λ = 7.5, ε = 0.1, δ = 0.05: 300·7.5·ln(16·56.25/0.05) = 2250·ln 18000.
        Assert.Equal(2250 * Math.Log(18000), TheoremBound.RequiredFeatures(0.1, 0.05, 7.5, 7.5), 1e-9);
        Assert.Equal(22045.785832976177, TheoremBound.RequiredFeatures(0.1, 0.05, 7.5, 7.5), 1e-9);
    }

    [Fact]
    public void Scales_as_one_over_epsilon_squared()
    {
        double a = TheoremBound.RequiredFeatures(0.2, 0.1, 10, 5);
        double b = TheoremBound.RequiredFeatures(0.1, 0.1, 10, 5);
        Assert.Equal(4.0, b / a, 12);
    }

    [Fact]
    public void Refuses_parameters_outside_their_domain()
    {
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0, 0.1, 10, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(-0.1, 0.1, 10, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 0, 10, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 1, 10, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 0.1, 0, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 0.1, 10, 0));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(double.NaN, 0.1, 10, 5));
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 0.1, double.PositiveInfinity, 5));
        // s_q̃ < s_λ cannot come from any q̃ ≥ q_λ.
        Assert.Throws<InvalidInputException>(() => TheoremBound.RequiredFeatures(0.1, 0.1, 4, 5));
    }

    [Fact]
    public void Caveats_appear_exactly_at_the_thresholds()
    {
        const double norm = 88.4;
        Assert.Empty(TheoremBound.Caveats(0.1, 1.0, norm));
        Assert.Empty(TheoremBound.Caveats(Math.BitDecrement(0.5), Math.BitDecrement(norm), norm));

        var eps = TheoremBound.Caveats(0.5, 1.0, norm);
        Assert.Single(eps);
        Assert.Contains("theorem needs ε < 1/2", eps[0]);
        Assert.Single(TheoremBound.Caveats(0.9, 1.0, norm));

        var lambda = TheoremBound.Caveats(0.1, norm, norm);
        Assert.Single(lambda);
        Assert.Contains("theorem assumes λ < ‖K‖ (spectral norm)", lambda[0]);
        Assert.Single(TheoremBound.Caveats(0.1, 1000, norm));

        var both = TheoremBound.Caveats(0.5, norm, norm);
        Assert.Equal(2, both.Count);

        Assert.Single(TheoremBound.Caveats(0.0, 1.0, norm));  // ε must be positive too
        Assert.Single(TheoremBound.Caveats(0.1, 0.0, norm));  // and λ
        Assert.Throws<ArgumentException>(() => TheoremBound.Caveats(double.NaN, 1.0, norm));
    }
}
