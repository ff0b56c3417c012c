using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// Reads kernel specs of the form <c>name[:key=value[,key=value…]]</c>: <c>rbf:gamma=0.5</c>,
/// <c>laplace:gamma=0.1</c>, <c>ntk</c>.
/// </summary>
public static class KernelSpec
{
    public const string Known = "rbf:gamma=G, laplace:gamma=G, ntk";

    public static IFeatureKernel Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new InvalidInputException($"empty kernel spec (known: {Known})");
        var colon = spec.IndexOf(':');
        var name = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        var parameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var part in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                if (eq < 0) throw new InvalidInputException($"kernel spec '{spec}': '{part}' is not key=value");
                var key = part[..eq].Trim();
                var text = part[(eq + 1)..].Trim();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new InvalidInputException($"kernel spec '{spec}': {key}='{text}' is not a finite number");
                if (!parameters.TryAdd(key, value)) throw new InvalidInputException($"kernel spec '{spec}': {key} given twice");
            }
        }
        switch (name)
        {
            case "rbf":
                return new RbfKernel(PositiveGamma(spec, parameters));
            case "laplace":
            case "laplacian":
                return new LaplaceKernel(PositiveGamma(spec, parameters));
            case "ntk":
                RejectExtra(spec, parameters, Array.Empty<string>());
                return new NtkKernel();
            default:
                throw new InvalidInputException($"unknown kernel '{name}' (known: {Known})");
        }
    }

    private static double PositiveGamma(string spec, Dictionary<string, double> parameters)
    {
        RejectExtra(spec, parameters, new[] { "gamma" });
        if (!parameters.TryGetValue("gamma", out var gamma))
            throw new InvalidInputException($"kernel spec '{spec}' needs gamma, e.g. {spec.Split(':')[0]}:gamma=0.1");
        if (!(gamma > 0)) throw new InvalidInputException($"kernel spec '{spec}': gamma must be > 0");
        return gamma;
    }

    private static void RejectExtra(string spec, Dictionary<string, double> parameters, string[] allowed)
    {
        foreach (var key in parameters.Keys)
            if (!allowed.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new InvalidInputException($"kernel spec '{spec}': unknown parameter '{key}'");
    }

    /// <summary>Round-trip formatting for specs stored in model files.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
