namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// The process-wide choice of <see cref="IDenseBackend"/>: the native OpenBLAS one when the system has it, else
/// MathNet's managed provider. <c>NTK_BACKEND=openblas|managed|auto</c> (or a command's <c>--backend</c>) forces it.
/// </summary>
public static class DenseBackend
{
    public const string EnvironmentVariable = "NTK_BACKEND";

    private static readonly Lazy<OpenBlasBackend?> Native = new(() => OpenBlasBackend.TryCreate(out _nativeProblem));
    private static string _nativeProblem = "";
    private static IDenseBackend? _current;

    /// <summary>The backend in use; chosen by <see cref="Select"/> with no preference on first use.</summary>
    public static IDenseBackend Current
    {
        get => _current ??= Select(null, out _);
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The native backend if it loads on this machine (created once), else null.</summary>
    public static OpenBlasBackend? OpenBlas => Native.Value;

    /// <summary>
    /// Chooses and installs a backend. <paramref name="preference"/> is "auto", "openblas" or "managed"; null reads
    /// <see cref="EnvironmentVariable"/>. <paramref name="notice"/> is one line for stderr when the fast backend was
    /// wanted but is missing, else null.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">Unknown name, or openblas forced but not loadable.</exception>
    public static IDenseBackend Select(string? preference, out string? notice)
    {
        preference ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        string choice = string.IsNullOrWhiteSpace(preference) ? "auto" : preference.Trim().ToLowerInvariant();
        notice = null;
        IDenseBackend chosen;
        switch (choice)
        {
            case "managed":
                chosen = new ManagedDenseBackend();
                break;
            case "openblas":
                chosen = OpenBlas ?? throw new Errors.InvalidInputException(
                    $"backend openblas was asked for but cannot be used ({_nativeProblem}); install it with 'apt-get install libopenblas0'");
                break;
            case "auto":
                if (OpenBlas is { } native) chosen = native;
                else
                {
                    chosen = new ManagedDenseBackend();
                    notice = $"notice: linear algebra runs on the managed backend, 10–25× slower ({_nativeProblem}); " +
                             "'apt-get install libopenblas0' enables the native one";
                }
                break;
            default:
                throw new Errors.InvalidInputException($"unknown backend '{preference}' (known: auto, openblas, managed; from --backend or {EnvironmentVariable})");
        }
        _current = chosen;
        return chosen;
    }
}
