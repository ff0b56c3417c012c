using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Kernels;

public sealed class KernelSpecTests
{
    public static TheoryData<string> Kernels => new()
    {
        "rbf 0.5", "rbf 0.1+0.2", "rbf 1e-300", "rbf 123456.789", "laplace 0.05", "laplace 1/3", "ntk",
    };

    /// <summary>Kernels built through their constructors, never through the parser under test.</summary>
    private static IFeatureKernel Make(string name) => name switch
    {
        "rbf 0.5" => new RbfKernel(0.5),
        "rbf 0.1+0.2" => new RbfKernel(0.1 + 0.2), // 0.30000000000000004: needs round-trip formatting
        "rbf 1e-300" => new RbfKernel(1e-300),
        "rbf 123456.789" => new RbfKernel(123456.789),
        "laplace 0.05" => new LaplaceKernel(0.05),
        "laplace 1/3" => new LaplaceKernel(1.0 / 3.0),
        "ntk" => new NtkKernel(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Spec_round_trips(string name)
    {
        IFeatureKernel kernel = Make(name);
        IFeatureKernel parsed = KernelSpec.Parse(kernel.Spec);
        Assert.Equal(kernel.GetType(), parsed.GetType());
        Assert.Equal(kernel.Spec, parsed.Spec);
        Assert.Equal(kernel.Name, parsed.Name);
        switch (kernel)
        {
            case RbfKernel rbf: Assert.Equal(rbf.Gamma, ((RbfKernel)parsed).Gamma); break;
            case LaplaceKernel lap: Assert.Equal(lap.Gamma, ((LaplaceKernel)parsed).Gamma); break;
        }
        // The same function, not only the same text.
        double[] x = [0.3, -1.1], z = [0.9, 0.4];
        Assert.Equal(kernel.Evaluate(x, z), parsed.Evaluate(x, z));
    }

    [Theory]
    [InlineData("rbf:gamma=0.5", typeof(RbfKernel), 0.5)]
    [InlineData("RBF:Gamma=2", typeof(RbfKernel), 2.0)]
    [InlineData("  rbf : gamma = 1e-3 ", typeof(RbfKernel), 1e-3)]
    [InlineData("laplace:gamma=0.1", typeof(LaplaceKernel), 0.1)]
    [InlineData("laplacian:gamma=0.25", typeof(LaplaceKernel), 0.25)]
    [InlineData("ntk", typeof(NtkKernel), double.NaN)]
    [InlineData("NTK", typeof(NtkKernel), double.NaN)]
    [InlineData("ntk:", typeof(NtkKernel), double.NaN)]
    public void Parses_accepted_spellings(string spec, Type type, double gamma)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        Assert.IsType(type, kernel);
        if (kernel is RbfKernel rbf) Assert.Equal(gamma, rbf.Gamma);
        if (kernel is LaplaceKernel lap) Assert.Equal(gamma, lap.Gamma);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("poly:gamma=1")]           // unknown kernel
    [InlineData("gaussian")]
    [InlineData("rbf")]                    // missing gamma
    [InlineData("laplace")]
    [InlineData("rbf:gamma=0")]            // gamma ≤ 0
    [InlineData("rbf:gamma=-0.5")]
    [InlineData("laplace:gamma=0")]
    [InlineData("laplace:gamma=-1e-9")]
    [InlineData("rbf:gamma=NaN")]          // not finite
    [InlineData("rbf:gamma=Infinity")]
    [InlineData("rbf:gamma=1e999")]
    [InlineData("rbf:gamma=abc")]          // not a number
    [InlineData("rbf:gamma")]              // not key=value
    [InlineData("rbf:gamma=1,sigma=2")]    // unknown parameter
    [InlineData("rbf:sigma=2")]
    [InlineData("ntk:gamma=1")]
    [InlineData("rbf:gamma=1,gamma=2")]    // given twice
    [InlineData("rbf:gamma=1,GAMMA=2")]
    public void Rejects_bad_specs_with_invalid_input(string spec)
    {
        var error = Assert.Throws<InvalidInputException>(() => KernelSpec.Parse(spec));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Unknown_kernel_message_lists_the_known_ones()
    {
        var error = Assert.Throws<InvalidInputException>(() => KernelSpec.Parse("poly:gamma=1"));
        Assert.Contains("poly", error.Message);
        Assert.Contains(KernelSpec.Known, error.Message);
    }
}
