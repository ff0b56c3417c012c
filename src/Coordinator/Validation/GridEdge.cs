using System.Globalization;
using System.Text.RegularExpressions;

namespace NtkCluster.Coordinator.Validation;

/// <summary>
/// A chosen grid value at the end of its range: the best score may lie beyond the grid, so the choice is only as good
/// as the grid's reach. Found for λ and for the kernel's gamma, each when the grid has more than one value of it.
/// </summary>
/// <param name="Parameter">"lambda" or "gamma".</param>
/// <param name="Value">The chosen value.</param>
/// <param name="Upper">True at the largest value of the grid, false at the smallest.</param>
public sealed partial record GridEdge(string Parameter, double Value, bool Upper)
{
    /// <summary>The edges <paramref name="chosen"/> sits at: none when it is inside the grid in both parameters.</summary>
    public static IReadOnlyList<GridEdge> Of(IReadOnlyList<GridPoint> grid, GridPoint chosen)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(chosen);
        var edges = new List<GridEdge>();
        if (At("gamma", grid.Select(p => Gamma(p.KernelSpec)).ToList(), Gamma(chosen.KernelSpec)) is { } gamma) edges.Add(gamma);
        if (At("lambda", grid.Select(p => (double?)p.Lambda).ToList(), chosen.Lambda) is { } lambda) edges.Add(lambda);
        return edges;
    }

    private static GridEdge? At(string parameter, List<double?> values, double? chosen)
    {
        if (chosen is not double c || values.Any(v => v is null)) return null;
        var distinct = values.Select(v => v!.Value).Distinct().ToArray();
        if (distinct.Length < 2) return null;
        if (c == distinct.Max()) return new GridEdge(parameter, c, Upper: true);
        if (c == distinct.Min()) return new GridEdge(parameter, c, Upper: false);
        return null;
    }

    /// <summary>The gamma of an rbf or laplace spec ("rbf:gamma=0.01"); null for a kernel without one.</summary>
    private static double? Gamma(string spec) =>
        GammaPattern().Match(spec) is { Success: true } m && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double g)
            ? g : null;

    [GeneratedRegex(@"gamma=([^,;:\s]+)")]
    private static partial Regex GammaPattern();

    /// <summary>The warning line (without the command's prefix): what was chosen, and which way to extend the grid.</summary>
    public string Text
    {
        get
        {
            string value = Value.ToString("G6", CultureInfo.InvariantCulture);
            return $"the chosen {Parameter} {value} is the {(Upper ? "largest" : "smallest")} in the grid: the best may lie beyond it; " +
                   $"extend --{Parameter} {(Upper ? "upwards, above" : "downwards, below")} {value}";
        }
    }
}
