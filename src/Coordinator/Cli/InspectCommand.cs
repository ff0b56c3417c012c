using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk inspect</c>: what a model file holds, without data and without running a job.</summary>
public static class InspectCommand
{
    public static readonly string[] ValueOptions = ["model"];

    public static readonly string[] Flags = ["json"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk inspect --model FILE [--json]
        """, """
        Prints a summary of a model written by 'ntk fit --model' or 'ntk train-nn --model': its kind (exact-krr,
        random-features, classifier or network), kernel, λ, the number of features M and columns of Ψ, sampling and
        seed (random features), n (exact KRR), feature and target names, preprocessing flags, classes (classifiers),
        width, init, steps, κ and η (networks), the program version that wrote it and the file's size. Leverage models
        (--sampling leverage, --init leverage) also show leverage_mode (exact or scalable, as resolved from --leverage)
        and pool (candidates scored); "not recorded" (JSON null) for files written before these were stored.
        A missing, truncated or foreign file is refused with one line (exit code 2).
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["model"] = new("FILE", "a model written by ntk fit --model or ntk train-nn --model (required)"),
        ["json"] = new("", "print the same fields as one JSON object instead of 'name: value' lines (default: off)"),
    },
        "ntk inspect --model model.json",
        "ntk inspect --model model.json --json");

    public static Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        string path = a.RequiredText("model");
        var model = ModelFile.LoadAny(path);
        var fields = ModelSummary.Of(model, new FileInfo(path).Length);
        if (a.Has("json")) stdout.WriteLine(ModelSummary.Json(fields).ToString());
        else stdout.Write(ModelSummary.Text(fields));
        return Task.FromResult(NtkCli.Success);
    }
}
