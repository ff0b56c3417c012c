using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Solvers;
using Xunit;

namespace NtkCluster.Numerics.Tests.Solvers;

[Collection(EnvironmentCollection.Name)]
public sealed class FitPlannerTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(MemoryBudget.LimitVariable);

    public void Dispose() => Environment.SetEnvironmentVariable(MemoryBudget.LimitVariable, _saved);

    private static void Limit(string? megabytes) => Environment.SetEnvironmentVariable(MemoryBudget.LimitVariable, megabytes);

    [Fact]
    public void Limit_variable_is_the_documented_name() => Assert.Equal("NTK_MEMORY_LIMIT_MB", MemoryBudget.LimitVariable);

    [Fact]
    public void Exact_fit_that_does_not_fit_is_refused_with_advice_to_use_features()
    {
        Limit("1");
        Assert.Equal(1L << 20, MemoryBudget.AvailableBytes);
        // n = 1000: three 1000×1000 matrices of doubles = 24 MB > 1 MiB.
        var error = Assert.Throws<ResourceLimitException>(() => FitPlanner.Plan(exact: true, rows: 1000, featureColumns: 0));
        Assert.Contains("--solver features", error.Message);
        Assert.Contains("n=1000", error.Message);
        Assert.Contains("1 MiB", error.Message);        // what is available
        Assert.Contains("23 MiB", error.Message);       // the estimate, 24·10⁶ bytes
        Assert.DoesNotContain('\n', error.Message);
        Assert.IsAssignableFrom<InvalidInputException>(error); // a usage problem: exit code 2
    }

    [Fact]
    public void Small_exact_fit_is_allowed_under_the_same_limit()
    {
        Limit("1");
        Assert.Equal(RidgeFormulation.Exact, FitPlanner.Plan(exact: true, rows: 200, featureColumns: 0)); // 0.96 MB
        Assert.Throws<ResourceLimitException>(() => FitPlanner.Plan(exact: true, rows: 210, featureColumns: 0)); // 1.06 MB
    }

    [Theory]
    [InlineData(100, 1000, RidgeFormulation.Primal)]
    [InlineData(1000, 1000, RidgeFormulation.Primal)]   // m = n: primal
    [InlineData(160, 160, RidgeFormulation.Primal)]
    [InlineData(161, 160, RidgeFormulation.Dual)]       // m > n: dual
    [InlineData(5000, 100, RidgeFormulation.Dual)]
    [InlineData(1, 1, RidgeFormulation.Primal)]
    public void Primal_when_features_at_most_rows_dual_otherwise(int featureColumns, int rows, RidgeFormulation expected)
    {
        Limit("100");
        Assert.Equal(expected, FitPlanner.Plan(exact: false, rows: rows, featureColumns: featureColumns));
    }

    [Fact]
    public void Random_feature_fits_are_sized_by_the_smaller_system()
    {
        Limit("1");
        // Primal m = 150 ≤ n = 100 000: 4 copies of 150² doubles = 0.72 MB, fits although n is huge.
        Assert.Equal(RidgeFormulation.Primal, FitPlanner.Plan(false, 100_000, 150));
        // Dual n = 150 < m = 100 000: 4 copies of 150² doubles, fits although m is huge.
        Assert.Equal(RidgeFormulation.Dual, FitPlanner.Plan(false, 150, 100_000));
        // Primal m = 1000: 32 MB does not fit; the advice is to use fewer features.
        var primal = Assert.Throws<ResourceLimitException>(() => FitPlanner.Plan(false, 5000, 1000));
        Assert.Contains("--features", primal.Message);
        var dual = Assert.Throws<ResourceLimitException>(() => FitPlanner.Plan(false, 1000, 5000));
        Assert.Contains("--features", dual.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_or_missing_limit_falls_back_to_the_machine(string? value)
    {
        Limit(value);
        long available = MemoryBudget.AvailableBytes;
        Assert.True(available > 24_000_000, $"available {available}");
        Assert.Equal(RidgeFormulation.Exact, FitPlanner.Plan(exact: true, rows: 1000, featureColumns: 0));
    }

    [Theory]
    [InlineData(true, 1_500_000_000, 0)]           // 3·(1.5e9)²·8 bytes = 5.4e19: overflows a long
    [InlineData(true, int.MaxValue, 0)]
    [InlineData(false, int.MaxValue, int.MaxValue)] // primal m = n = 2^31−1
    [InlineData(false, 1_500_000_000, 1_600_000_000)] // dual n = 1.5e9
    public void Astronomical_sizes_are_refused_not_wrapped_around(bool exact, int rows, int featureColumns)
    {
        // No machine has 10^19 bytes; the estimate must not overflow into something that "fits".
        Limit(null);
        Assert.Throws<ResourceLimitException>(() => FitPlanner.Plan(exact, rows, featureColumns));
    }

    [Theory]
    [InlineData("10000000000000")]        // 10^13 MiB: someone "disabling" the check with a huge limit
    [InlineData("9223372036854775807")]
    public void Huge_limit_allows_small_jobs(string megabytes)
    {
        Limit(megabytes);
        Assert.True(MemoryBudget.AvailableBytes > 0, $"available bytes {MemoryBudget.AvailableBytes}");
        Assert.Equal(RidgeFormulation.Exact, FitPlanner.Plan(exact: true, rows: 10, featureColumns: 0));
    }

    [Fact]
    public void Describe_uses_MiB_and_GiB()
    {
        Assert.Equal("1 MiB", MemoryBudget.Describe(1L << 20));
        Assert.Equal("1.5 GiB", MemoryBudget.Describe(3L << 29));
        Assert.Equal(800L, MemoryBudget.DenseBytes(10, 10));
        Assert.Equal(2400L, MemoryBudget.DenseBytes(10, 10, 3));
    }
}
