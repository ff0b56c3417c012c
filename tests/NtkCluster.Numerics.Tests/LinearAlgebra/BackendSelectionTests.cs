using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.LinearAlgebra;
using Xunit;

namespace NtkCluster.Numerics.Tests.LinearAlgebra;

/// <summary>Choosing a backend by name. Tests never change <see cref="DenseBackend.Current"/> for good: other
/// tests run in parallel on it.</summary>
public sealed class BackendSelectionTests
{
    [Fact]
    public void Unknown_names_are_refused_with_the_known_ones()
    {
        var before = DenseBackend.Current;
        var e = Assert.Throws<InvalidInputException>(() => DenseBackend.Select("cuda", out _));
        Assert.Contains("auto, openblas, managed", e.Message);
        Assert.Same(before, DenseBackend.Current);
    }

    [Fact]
    public void Auto_prefers_the_native_backend_when_installed()
    {
        var before = DenseBackend.Current;
        try
        {
            var chosen = DenseBackend.Select("auto", out string? notice);
            Assert.IsType<OpenBlasBackend>(chosen);
            Assert.Null(notice);
        }
        finally
        {
            DenseBackend.Current = before;
        }
    }
}
