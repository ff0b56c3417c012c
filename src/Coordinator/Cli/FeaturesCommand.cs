using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk features</c>: a random-feature model's feature matrix Ψ(X) for new rows, after the model's own preprocessing
/// — scikit-learn's <c>RBFSampler.transform</c> — so that Ψ·β is exactly what <c>ntk predict</c> computes before it
/// maps predictions back to the target's units.
/// </summary>
public static class FeaturesCommand
{
    /// <summary>Rows of Ψ built and written at a time: memory O(block·M·d2) whatever the number of rows.</summary>
    private const int RowBlock = 1024;

    public static readonly string[] ValueOptions = ["model", "data", "columns", "out", "separator", "unknown-category"];

    public static readonly string[] Flags = [];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk features --model FILE --data FILE [--columns A,B,...] [--separator ','|';'|tab] [--unknown-category zeros|error]
                    [--out FILE]
        """, """
        Writes the feature matrix Ψ(X) of a random-feature model (ntk fit --features M) for the rows of --data, after
        the model's preprocessing: one row per data row, one column per feature column (M·d2: d2 = 1 for rbf/laplace,
        d for ntk), header f0,f1,...; doubles in round-trip form. ϕ(x) = (1/√M)·[√(p/q)_r·φ(x,w_r)]_r with
        φ(x,(w,b)) = √2·cos(wᵀx+b) for rbf/laplace (as RBFSampler.transform) and x·1[wᵀx ≥ 0] for ntk; Ψ·β is the
        model's prediction before its target scaling is undone. Exact KRR and network models have no finite
        feature map of this kind and are refused (exit code 2). Categorical columns are encoded and missing cells
        filled as the model says (fit --missing mean|median), as ntk predict does.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["model"] = new("FILE", "a random-feature model written by ntk fit --features M --model (required)"),
        ["data"] = new("FILE", "CSV or Parquet with the model's feature columns, matched by header name in any order;\n" +
                                   "a target column that is present is ignored (required)"),
        ["out"] = new("FILE", "write the feature matrix there as CSV, atomically (default: stdout)"),
    },
        "ntk features --model model.json --data new.csv --out features.csv");

    public static Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        string modelPath = a.RequiredText("model");
        string dataPath = a.RequiredText("data");
        string? outPath = a.Text("out");
        if (outPath is not null) FitCommand.EnsureDirectory(outPath);
        var columns = DataOptions.ReadColumns(a);
        var model = ModelFile.LoadAny(modelPath);
        var draws = DrawsOf(model, modelPath);
        var classes = (model as KrrModel)?.Classes;
        // The rows as predict reads them: categorical columns encoded and missing cells filled as in training, so that
        // Ψ·β stays what predict computes (PredictCommand.ReadRows, PredictCommand.FillMissing).
        var table = PredictCommand.ReadRows(a, dataPath, columns, model, stderr);
        var raw = PredictCommand.FillMissing(dataPath, Dataset.FeaturesFor(table, model.FeatureNames, classes is null ? model.TargetNames : new[] { classes.Column }),
            model, stderr, "features");
        var x = model.Preprocessing.TransformFeatures(raw);
        if (outPath is null) Write(stdout, draws, x);
        else
        {
            AtomicFile.Write(outPath, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                Write(writer, draws, x);
            });
            stderr.WriteLine($"ntk features: {x.RowCount} rows × {draws.ColumnCount} feature columns written to {outPath}");
        }
        return Task.FromResult(NtkCli.Success);
    }

    /// <summary>The draws of a random-feature model; the other kinds are refused with the reason.</summary>
    private static FeatureDraws DrawsOf(IPredictiveModel model, string path) =>
        model switch
        {
            KrrModel { Draws: { } draws } => draws,
            // K(z, X_train) rows would be a feature map of sorts, but an n-column one that grows with the training
            // set and is not what RBFSampler.transform means; asking for one is more likely a mistake.
            KrrModel => throw new InvalidInputException(
                $"{path}: an exact KRR model has no finite feature map; fit a random-feature model (ntk fit --features M) to export Ψ"),
            // The network's NTK features ∇_W f change with every step and its prediction is not Ψ·β of them.
            NetworkModel => throw new InvalidInputException(
                $"{path}: a network model has no fixed feature map to export; ntk features needs a random-feature model (ntk fit --features M)"),
            _ => throw new InvalidInputException($"{path}: not a random-feature model"),
        };

    /// <summary>Header f0..f(M·d2−1), then Ψ row by row, built <see cref="RowBlock"/> rows at a time.</summary>
    private static void Write(TextWriter writer, FeatureDraws draws, Matrix<double> x)
    {
        int columns = draws.ColumnCount;
        var sb = new StringBuilder();
        for (int j = 0; j < columns; j++) sb.Append(j == 0 ? "f" : ",f").Append(j.ToString(CultureInfo.InvariantCulture));
        writer.Write(sb.Append('\n').ToString());
        for (int start = 0; start < x.RowCount; start += RowBlock)
        {
            int count = Math.Min(RowBlock, x.RowCount - start);
            var psi = FeatureMap.Build(draws, x.SubMatrix(start, count, 0, x.ColumnCount));
            for (int i = 0; i < count; i++)
            {
                sb.Clear();
                for (int j = 0; j < columns; j++)
                {
                    if (j > 0) sb.Append(',');
                    sb.Append(psi[i, j].ToString("R", CultureInfo.InvariantCulture));
                }
                writer.Write(sb.Append('\n').ToString());
            }
        }
        writer.Flush();
    }
}
