using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;

namespace NtkCluster.Coordinator.Cli;

/// <summary>The options of <c>ntk train-nn</c> and <c>ntk width-sweep</c>, read and validated up front.</summary>
public sealed record NetworkOptions(DataOptions Data, NetworkSettings Settings)
{
    public static readonly string[] ValueOptions =
        [.. DataOptions.ValueOptions, "init", "lambda", "kappa", "lr", "steps", "max-steps", "seed", "checkpoint-every", "leverage", "pool"];

    /// <summary>The cap of <c>--steps auto</c> unless <c>--max-steps</c> says otherwise.</summary>
    public const string DefaultMaxSteps = "20000";

    public static readonly string[] Flags = [.. DataOptions.Flags, "no-reference"];

    public static NetworkOptions Read(ParsedOptions a, string command, int width)
    {
        var data = DataOptions.Read(a);
        if (a.Text("target")?.Contains(',') == true) throw new UsageException($"'ntk {command}' trains a network with one output: give one --target column");
        string init = a.Text("init") ?? "gaussian";
        if (init is not ("gaussian" or "leverage")) throw new UsageException($"unknown --init '{init}' (known: gaussian, leverage)");
        double lambda = a.Number("lambda") ?? throw new UsageException($"'ntk {command}' needs --lambda L (the ℓ2 regularization of W, > 0)");
        if (!(lambda > 0)) throw new UsageException($"--lambda must be > 0, got {a.Text("lambda")}");
        double kappa = a.Number("kappa") ?? 1.0;
        if (!(kappa > 0)) throw new UsageException($"--kappa must be > 0, got {a.Text("kappa")}");
        double? lr = a.Number("lr");
        if (lr is double eta && !(eta > 0)) throw new UsageException($"--lr must be > 0, got {a.Text("lr")}");
        var (steps, autoSteps) = Steps(a, command, defaultText: null, minimum: 0);
        long checkpoint = a.Integer("checkpoint-every") ?? 500;
        if (checkpoint < 1) throw new UsageException($"--checkpoint-every must be at least 1 step, got {checkpoint}");
        string leverage = a.Text("leverage") ?? "auto";
        if (leverage is not ("auto" or "exact" or "scalable" or "subsample")) throw new UsageException($"unknown --leverage '{leverage}' (known: auto, exact, scalable, subsample)");
        long pool = a.Integer("pool") ?? 0;
        if (a.Has("pool") && (pool <= 0 || pool > 10_000_000)) throw new UsageException($"--pool must be between 1 and 10 000 000 candidates, got {pool}");
        return new NetworkOptions(data, new NetworkSettings
        {
            Width = width, Init = OptionNames.ParseInitialization(init), Lambda = lambda, Kappa = kappa, LearningRate = lr, Steps = steps, AutoSteps = autoSteps, Seed = a.Seed("seed") ?? 0,
            Standardize = data.Standardize, ScaleTarget = data.ScaleTarget, Normalize = data.Normalize, Reference = !a.Has("no-reference"),
            CheckpointEvery = (int)checkpoint, LeverageMode = OptionNames.ParseScoring(leverage), PoolSize = (int)pool,
        });
    }

    /// <summary>
    /// <c>--steps T</c>, or <c>--steps auto</c> — the fewest steps with η·T·(κ²λ_min(H)+λ) ≥
    /// <see cref="NetworkTrainer.ConvergedExponent"/>, chosen by the trainer — capped by <c>--max-steps</c>.
    /// </summary>
    /// <param name="defaultText">Without <c>--steps</c>: this, or null when the option is required.</param>
    /// <returns>The step count, or the cap when automatic; and whether it is automatic.</returns>
    public static (int Steps, bool Auto) Steps(ParsedOptions a, string command, string? defaultText, int minimum = 1)
    {
        string text = a.Text("steps") ?? defaultText
            ?? throw new UsageException($"'ntk {command}' needs --steps T (gradient-descent steps) or --steps auto (until converged)");
        bool auto = text == "auto";
        if (!auto && a.Has("max-steps")) throw new UsageException("--max-steps caps --steps auto; with a fixed --steps T leave it out");
        long steps = auto ? a.Integer("max-steps") ?? long.Parse(DefaultMaxSteps, System.Globalization.CultureInfo.InvariantCulture)
            : long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long t) ? t
            : throw new UsageException($"--steps '{text}' is neither a whole number of steps nor 'auto'");
        int least = auto ? 1 : minimum;
        if (steps < least || steps > 100_000_000)
            throw new UsageException($"--{(auto ? "max-steps" : "steps")} must be between {least} and 100 000 000, got {steps}");
        return ((int)steps, auto);
    }

    public static int ParseWidth(string text)
    {
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int w) || w <= 0 || w > 10_000_000)
            throw new UsageException($"--width '{text}' is not a positive number of neurons (at most 10 000 000)");
        return w;
    }
}
