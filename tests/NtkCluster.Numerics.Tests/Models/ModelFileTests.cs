using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;
using Xunit;

namespace NtkCluster.Numerics.Tests.Models;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ntkcluster-model-tests-" + Guid.NewGuid().ToString("N"));

    public ModelFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    // ------------------------------------------------------------------------------------------ small models

    private const int Rows = 40, Dims = 3;
    private static readonly string[] FeatureNames = ["a", "b", "c"];
    private static readonly string[] TargetNames = ["y1", "y2"];

    /// <summary>Raw features and two targets (a smooth function plus an offset, in non-unit scales).</summary>
    private static (Matrix<double> X, Matrix<double> Y) Data(int rows, int seed)
    {
        var rng = new System.Random(seed);
        var x = Matrix<double>.Build.Dense(rows, Dims, (_, j) => (j + 1) * 10 * rng.NextDouble() + j);
        var y = Matrix<double>.Build.Dense(rows, 2, (i, t) =>
            t == 0 ? 100 + 5 * Math.Sin(x[i, 0] / 5) + x[i, 1] / 10 : -3 + 0.1 * x[i, 2] * x[i, 2] / 30);
        return (x, y);
    }

    private static KrrModel RandomFeatureModel(IFeatureKernel kernel, int m, bool unitWeights, ulong seed)
    {
        var (x, y) = Data(Rows, 1);
        var pre = Preprocessor.Fit(x, y, standardize: true, scaleTarget: true, normalize: kernel is NtkKernel);
        Matrix<double> xt = pre.TransformFeatures(x), yt = pre.TransformTargets(y);
        FeatureDraws sampled = PlainSampler.Sample(kernel, Dims, m, seed);
        FeatureDraws draws = unitWeights
            ? sampled
            : new FeatureDraws(kernel, Dims, sampled.Draws, Enumerable.Range(0, m).Select(r => 0.25 + 0.1 * r).ToArray());
        Matrix<double> psi = FeatureMap.Build(draws, xt);
        RidgeFormulation formulation = psi.ColumnCount <= Rows ? RidgeFormulation.Primal : RidgeFormulation.Dual;
        Matrix<double> beta = formulation == RidgeFormulation.Primal
            ? RidgeSolver.Solve(psi.TransposeThisAndMultiply(psi), 0.3, psi.TransposeThisAndMultiply(yt))
            : psi.TransposeThisAndMultiply(RidgeSolver.Solve(psi.TransposeAndMultiply(psi), 0.3, yt));
        return new KrrModel
        {
            ProgramVersion = "0.1.0-test", Kernel = kernel, Lambda = 0.3, Seed = seed, Sampling = "plain",
            Formulation = formulation, FeatureNames = FeatureNames, TargetNames = TargetNames, Preprocessing = pre,
            Draws = draws, Coefficients = beta,
        };
    }

    private static KrrModel ExactModel(IFeatureKernel kernel)
    {
        var (x, y) = Data(Rows, 2);
        var pre = Preprocessor.Fit(x, y, standardize: true, scaleTarget: false, normalize: kernel is NtkKernel);
        Matrix<double> xt = pre.TransformFeatures(x);
        Matrix<double> alpha = RidgeSolver.Solve(kernel.Evaluate(xt, xt), 0.05, pre.TransformTargets(y));
        return new KrrModel
        {
            ProgramVersion = "0.1.0-test", Kernel = kernel, Lambda = 0.05, Seed = 0, Sampling = "none",
            Formulation = RidgeFormulation.Exact, FeatureNames = FeatureNames, TargetNames = TargetNames, Preprocessing = pre,
            TrainingInputs = xt, DualCoefficients = alpha,
        };
    }

    private static void AssertBitwiseEqual(Matrix<double> expected, Matrix<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i, j]), BitConverter.DoubleToInt64Bits(actual[i, j]));
    }

    private static void AssertSameMetadata(KrrModel expected, KrrModel actual)
    {
        Assert.Equal(expected.ProgramVersion, actual.ProgramVersion);
        Assert.Equal(expected.Kernel.Spec, actual.Kernel.Spec);
        Assert.Equal(expected.Kernel.GetType(), actual.Kernel.GetType());
        Assert.Equal(expected.Lambda, actual.Lambda);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.Sampling, actual.Sampling);
        Assert.Equal(expected.Leverage, actual.Leverage);
        Assert.Equal(expected.Formulation, actual.Formulation);
        Assert.Equal(expected.FeatureNames, actual.FeatureNames);
        Assert.Equal(expected.TargetNames, actual.TargetNames);
        Assert.Equal(expected.FeatureCount, actual.FeatureCount);
        Assert.Equal(expected.Preprocessing.Standardize, actual.Preprocessing.Standardize);
        Assert.Equal(expected.Preprocessing.ScaleTarget, actual.Preprocessing.ScaleTarget);
        Assert.Equal(expected.Preprocessing.Normalize, actual.Preprocessing.Normalize);
        Assert.Equal(expected.Preprocessing.FeatureMeans, actual.Preprocessing.FeatureMeans);
        Assert.Equal(expected.Preprocessing.FeatureScales, actual.Preprocessing.FeatureScales);
        Assert.Equal(expected.Preprocessing.TargetMeans, actual.Preprocessing.TargetMeans);
        Assert.Equal(expected.Preprocessing.TargetScales, actual.Preprocessing.TargetScales);
    }

    private void RoundTrip(KrrModel model)
    {
        string path = PathOf("model.json");
        ModelFile.Save(model, path);
        KrrModel loaded = ModelFile.Load(path);
        AssertSameMetadata(model, loaded);

        var (rawTest, _) = Data(25, 3);
        Matrix<double> before = model.Predict(rawTest);
        Matrix<double> after = loaded.Predict(rawTest);
        Assert.True(before.Enumerate().All(double.IsFinite));
        AssertBitwiseEqual(before, after);

        // Saving the loaded model reproduces the file byte for byte (nothing lost or reordered).
        string again = PathOf("again.json");
        ModelFile.Save(loaded, again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Random_feature_primal_model_round_trips() =>
        RoundTrip(RandomFeatureModel(new RbfKernel(0.1 + 0.2), 30, unitWeights: true, seed: ulong.MaxValue - 5));

    [Fact]
    public void Random_feature_dual_model_with_weights_round_trips()
    {
        KrrModel model = RandomFeatureModel(new NtkKernel(), 20, unitWeights: false, seed: 7); // m = 60 > 40 rows
        Assert.Equal(RidgeFormulation.Dual, model.Formulation);
        RoundTrip(model);
        ModelFile.Save(model, PathOf("w.json"));
        Assert.Equal(model.Draws!.Weights, ModelFile.Load(PathOf("w.json")).Draws!.Weights);
    }

    [Fact]
    public void Laplace_random_feature_model_round_trips() =>
        RoundTrip(RandomFeatureModel(new LaplaceKernel(1.0 / 7), 33, unitWeights: true, seed: 12));

    [Fact]
    public void Exact_model_round_trips()
    {
        KrrModel model = ExactModel(new LaplaceKernel(0.4));
        RoundTrip(model);
        KrrModel loaded = ModelFile.Load(PathOf("model.json"));
        Assert.True(loaded.IsExact);
        Assert.Null(loaded.Draws);
        AssertBitwiseEqual(model.TrainingInputs!, loaded.TrainingInputs!);
        AssertBitwiseEqual(model.DualCoefficients!, loaded.DualCoefficients!);
    }

    [Fact]
    public void Exact_Ntk_model_round_trips() => RoundTrip(ExactModel(new NtkKernel()));

    [Fact]
    public void Model_predictions_are_the_fitted_ones()
    {
        // Guard against a round trip that is consistent but wrong: the model fits its training data reasonably.
        var (x, y) = Data(Rows, 2);
        KrrModel model = ExactModel(new RbfKernel(0.5));
        Matrix<double> fitted = model.Predict(x);
        for (int t = 0; t < 2; t++)
        {
            double spread = (y.Column(t) - y.Column(t).Average()).L2Norm();
            Assert.True((fitted.Column(t) - y.Column(t)).L2Norm() < 0.5 * spread);
        }
    }

    // ------------------------------------------------------------------------------------------ bad files

    private static void AssertOneLineNamingPath(InvalidInputException error, string path)
    {
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        string good = PathOf("good.json");
        ModelFile.Save(RandomFeatureModel(new RbfKernel(0.5), 30, true, 1), good);
        byte[] bytes = File.ReadAllBytes(good);
        string path = PathOf("truncated.json");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
    }

    [Theory]
    [InlineData("{\"hello\":1}")]
    [InlineData("not json at all\nsecond line\n")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"format\": \"something-else\", \"format_version\": 1}")]
    [InlineData("{\"format\": \"ntk-model\", \"format_version\": 99}")]
    [InlineData("{\"format\": \"ntk-model\"}")]
    [InlineData("{\"format\": \"ntk-model\", \"format_version\": 1}")]
    [InlineData("{\"format\": \"ntk-model\", \"format_version\": \"one\"}")]
    public void Foreign_or_non_JSON_file_is_rejected(string contents)
    {
        string path = PathOf("foreign.json");
        File.WriteAllText(path, contents);
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
    }

    [Fact]
    public void Binary_file_is_rejected()
    {
        string path = PathOf("model.bin");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE]);
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
    }

    [Fact]
    public void Missing_file_and_directory_are_rejected()
    {
        string missing = PathOf("nope.json");
        AssertOneLineNamingPath(Assert.Throws<InvalidInputException>(() => ModelFile.Load(missing)), missing);
        AssertOneLineNamingPath(Assert.Throws<InvalidInputException>(() => ModelFile.Load(_dir)), _dir);
    }

    /// <summary>Saves a valid model, applies <paramref name="edit"/> to its JSON and returns the edited file's path.</summary>
    private string Edited(KrrModel model, Action<JsonObject> edit)
    {
        string path = PathOf("edited.json");
        ModelFile.Save(model, path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>Drops the last row of a stored matrix: still a consistent rows×cols matrix, but the wrong shape.</summary>
    private static void DropLastRow(JsonObject json, string name)
    {
        var m = json[name]!.AsObject();
        int rows = (int)m["rows"]!, cols = (int)m["cols"]!;
        var values = m["values"]!.AsArray();
        for (int k = 0; k < cols; k++) values.RemoveAt(values.Count - 1);
        m["rows"] = rows - 1;
    }

    [Fact]
    public void Unedited_file_loads()
    {
        // The editing helper itself must not break a good file (so the rejections below are about the edits).
        string path = Edited(RandomFeatureModel(new RbfKernel(0.5), 30, true, 1), _ => { });
        Assert.Equal(30, ModelFile.Load(path).FeatureCount);
        path = Edited(ExactModel(new RbfKernel(0.5)), _ => { });
        Assert.True(ModelFile.Load(path).IsExact);
    }

    [Fact]
    public void Coefficients_of_the_wrong_shape_are_rejected()
    {
        string path = Edited(RandomFeatureModel(new RbfKernel(0.5), 30, true, 1), j => DropLastRow(j, "coefficients"));
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
        Assert.Contains("coefficients", error.Message);
    }

    public static TheoryData<string> Corruptions => new()
    {
        "coefficients: one column too few",
        "coefficients: values shorter than rows·cols",
        "draws: wrong number of columns",
        "weights: one too few",
        "weights: negative",
        "kernel: unknown",
        "lambda: zero",
        "formulation: unknown",
        "preprocessing: missing",
        "preprocessing: feature means too short",
        "feature_names: missing",
        "exact: dual coefficients of the wrong shape",
        "exact: training inputs of the wrong width",
        "exact: training inputs missing",
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Inconsistent_model_files_are_rejected(string corruption)
    {
        bool exact = corruption.StartsWith("exact", StringComparison.Ordinal);
        KrrModel model = exact ? ExactModel(new RbfKernel(0.5)) : RandomFeatureModel(new RbfKernel(0.5), 30, true, 1);
        string path = Edited(model, j =>
        {
            switch (corruption)
            {
                case "coefficients: one column too few":
                {
                    var m = j["coefficients"]!.AsObject();
                    int rows = (int)m["rows"]!;
                    var values = m["values"]!.AsArray();
                    for (int r = rows - 1; r >= 0; r--) values.RemoveAt(2 * r + 1); // row-major, 2 columns
                    m["cols"] = 1;
                    break;
                }
                case "coefficients: values shorter than rows·cols":
                    j["coefficients"]!["values"]!.AsArray().RemoveAt(0);
                    break;
                case "draws: wrong number of columns":
                {
                    var m = j["draws"]!.AsObject();
                    int rows = (int)m["rows"]!, cols = (int)m["cols"]!;
                    var values = m["values"]!.AsArray();
                    for (int r = rows - 1; r >= 0; r--) values.RemoveAt(r * cols + cols - 1);
                    m["cols"] = cols - 1;
                    break;
                }
                case "weights: one too few": j["weights"]!.AsArray().RemoveAt(0); break;
                case "weights: negative": j["weights"]![3] = -1.0; break; // p/q is never negative; √(w/M) would be NaN
                case "kernel: unknown": j["kernel"] = "poly:degree=3"; break;
                case "lambda: zero": j["lambda"] = 0.0; break;
                case "formulation: unknown": j["formulation"] = "sideways"; break;
                case "preprocessing: missing": j.Remove("preprocessing"); break;
                case "preprocessing: feature means too short": j["preprocessing"]!["feature_means"]!.AsArray().RemoveAt(0); break;
                case "feature_names: missing": j.Remove("feature_names"); break;
                case "exact: dual coefficients of the wrong shape": DropLastRow(j, "dual_coefficients"); break;
                case "exact: training inputs of the wrong width":
                {
                    var m = j["training_inputs"]!.AsObject();
                    m["cols"] = 1;
                    m["rows"] = (int)m["rows"]! * Dims;
                    break;
                }
                case "exact: training inputs missing": j.Remove("training_inputs"); break;
                default: throw new ArgumentException(corruption);
            }
        });
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
    }

    [Fact]
    public void Save_into_a_missing_directory_is_rejected()
    {
        string path = Path.Combine(_dir, "no-such-dir", "model.json");
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Save(ExactModel(new RbfKernel(0.5)), path));
        Assert.Contains(path, error.Message);
    }

    // ------------------------------------------------------------------------------------------ leverage provenance

    /// <summary>A random-feature model as leverage sampling makes it: weights p/q, the mode that ran and the pool.</summary>
    private static KrrModel LeverageModel(LeverageProvenance? leverage)
    {
        var m = RandomFeatureModel(new RbfKernel(0.5), 30, unitWeights: false, seed: 4);
        return new KrrModel
        {
            ProgramVersion = m.ProgramVersion, Kernel = m.Kernel, Lambda = m.Lambda, Seed = m.Seed, Sampling = "leverage", Leverage = leverage,
            Formulation = m.Formulation, FeatureNames = m.FeatureNames, TargetNames = m.TargetNames, Preprocessing = m.Preprocessing,
            Draws = m.Draws, Coefficients = m.Coefficients,
        };
    }

    [Theory]
    [InlineData("exact", 10000)]
    [InlineData("scalable", 123457)]
    public void Leverage_mode_and_pool_round_trip_as_optional_fields_of_a_version_1_file(string mode, int pool)
    {
        var model = LeverageModel(new LeverageProvenance(mode, pool));
        RoundTrip(model);
        var json = JsonNode.Parse(File.ReadAllText(PathOf("model.json")))!;
        Assert.Equal(1, (int)json["format_version"]!);
        Assert.Equal(mode, (string?)json["leverage_mode"]);
        Assert.Equal(pool, (int)json["pool"]!);
        Assert.Equal(new LeverageProvenance(mode, pool), ModelFile.Load(PathOf("model.json")).Leverage);
        // A classifier keeps it too.
        var classifier = model.AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [0, 1]));
        ModelFile.Save(classifier, PathOf("classifier.json"));
        Assert.Equal(model.Leverage, ModelFile.Load(PathOf("classifier.json")).Leverage);
    }

    [Fact]
    public void Plain_and_exact_models_write_no_leverage_fields()
    {
        foreach (var model in new[] { RandomFeatureModel(new RbfKernel(0.5), 30, true, 1), ExactModel(new RbfKernel(0.5)) })
        {
            ModelFile.Save(model, PathOf("plain.json"));
            var json = JsonNode.Parse(File.ReadAllText(PathOf("plain.json")))!.AsObject();
            Assert.False(json.ContainsKey("leverage_mode"));
            Assert.False(json.ContainsKey("pool"));
            Assert.Null(ModelFile.Load(PathOf("plain.json")).Leverage);
        }
    }

    [Fact]
    public void A_file_from_before_the_leverage_fields_loads_with_the_mode_unknown()
    {
        string path = Edited(LeverageModel(new LeverageProvenance("exact", 10000)), j =>
        {
            Assert.True(j.Remove("leverage_mode"));
            Assert.True(j.Remove("pool"));
        });
        var loaded = ModelFile.Load(path);
        Assert.Equal("leverage", loaded.Sampling);
        Assert.Null(loaded.Leverage);
        Assert.Equal(30, loaded.FeatureCount);
    }

    [Fact]
    public void Fields_this_program_does_not_know_are_ignored()
    {
        // What lets a program that predates leverage_mode and pool read files that have them: unknown members are skipped.
        string path = Edited(LeverageModel(new LeverageProvenance("scalable", 20000)), j =>
        {
            j["some_later_field"] = "x";
            j["another_one"] = new JsonObject { ["nested"] = 1 };
        });
        Assert.Equal(new LeverageProvenance("scalable", 20000), ModelFile.Load(path).Leverage);
    }

    [Theory]
    [InlineData("mode: unknown")]
    [InlineData("mode: auto")]
    [InlineData("pool: zero")]
    [InlineData("pool: missing")]
    [InlineData("mode: missing")]
    [InlineData("on a plain model")]
    public void Inconsistent_leverage_fields_are_rejected(string corruption)
    {
        var model = corruption == "on a plain model"
            ? RandomFeatureModel(new RbfKernel(0.5), 30, true, 1)
            : LeverageModel(new LeverageProvenance("exact", 10000));
        string path = Edited(model, j =>
        {
            switch (corruption)
            {
                case "mode: unknown": j["leverage_mode"] = "approximate"; break;
                case "mode: auto": j["leverage_mode"] = "auto"; break; // auto is resolved before sampling, never stored
                case "pool: zero": j["pool"] = 0; break;
                case "pool: missing": j.Remove("pool"); break;
                case "mode: missing": j.Remove("leverage_mode"); break;
                case "on a plain model": j["leverage_mode"] = "exact"; j["pool"] = 10000; break;
                default: throw new ArgumentException(corruption);
            }
        });
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        AssertOneLineNamingPath(error, path);
        Assert.Matches("leverage_mode|pool", error.Message);
    }

    // ------------------------------------------------------------------------------------------ classifiers

    [Fact]
    public void Classifier_round_trips_as_format_version_2_and_regression_stays_version_1()
    {
        var regression = ExactModel(new RbfKernel(0.2)); // two target columns: the scores of two classes
        var classifier = regression.AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [3, 8]));
        string rPath = PathOf("regression.json"), cPath = PathOf("classifier.json");
        ModelFile.Save(regression, rPath);
        ModelFile.Save(classifier, cPath);

        var rJson = JsonNode.Parse(File.ReadAllText(rPath))!;
        Assert.Equal(1, (int)rJson["format_version"]!);
        Assert.Null(rJson["task"]);
        var cJson = JsonNode.Parse(File.ReadAllText(cPath))!;
        Assert.Equal(2, (int)cJson["format_version"]!);
        Assert.Equal("classify", (string?)cJson["task"]);
        Assert.Equal("label", (string?)cJson["label_column"]);
        Assert.Equal(new long[] { 3, 8 }, cJson["classes"]!.AsArray().Select(n => (long)n!).ToArray());

        var loaded = ModelFile.Load(cPath);
        Assert.True(loaded.IsClassifier);
        Assert.Equal("label", loaded.Classes!.Column);
        Assert.Equal(new long[] { 3, 8 }, loaded.Classes.Labels);
        AssertBitwiseEqual(classifier.DualCoefficients!, loaded.DualCoefficients!);
        Assert.False(ModelFile.Load(rPath).IsClassifier);
    }

    [Theory]
    [InlineData("\"classes\":[3,8]", "\"classes\":[3,8,9]")]
    [InlineData("\"classes\":[3,8]", "\"classes\":[8,3]")]
    [InlineData("\"task\":\"classify\"", "\"task\":\"cluster\"")]
    [InlineData("\"label_column\":\"label\",", "")]
    public void Inconsistent_classifier_file_is_rejected(string from, string to)
    {
        var classifier = ExactModel(new RbfKernel(0.2)).AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [3, 8]));
        string good = PathOf("good.json"), bad = PathOf("bad.json");
        ModelFile.Save(classifier, good);
        string text = File.ReadAllText(good);
        Assert.Contains(from, text);
        File.WriteAllText(bad, text.Replace(from, to));
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(bad));
        AssertOneLineNamingPath(error, bad);
    }

    [Fact]
    public void Text_classifier_is_written_as_format_version_3_with_class_names_and_integer_classifiers_stay_version_2()
    {
        var text = ExactModel(new RbfKernel(0.2)).AsClassifier(NtkCluster.Numerics.Classification.ClassLabels.Named("kind", ["Bus", "van"]));
        string path = PathOf("text.json");
        ModelFile.Save(text, path);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(3, (int)json["format_version"]!);
        Assert.Null(json["classes"]);
        Assert.Equal(new[] { "Bus", "van" }, json["class_names"]!.AsArray().Select(n => (string)n!).ToArray());

        var loaded = ModelFile.Load(path);
        Assert.True(loaded.Classes!.IsText);
        Assert.Equal(new[] { "Bus", "van" }, loaded.Classes.Names);
        Assert.Equal(File.ReadAllText(path), ModelCodec.ToJson(loaded) + "\n");

        var integer = ExactModel(new RbfKernel(0.2)).AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [3, 8]));
        Assert.Equal(2, (int)JsonNode.Parse(ModelCodec.ToJson(integer))!["format_version"]!);
        Assert.Null(JsonNode.Parse(ModelCodec.ToJson(integer))!["class_names"]);
    }

    [Theory]
    [InlineData("\"class_names\":[\"Bus\",\"van\"]", "\"class_names\":[\"van\",\"Bus\"]")]
    [InlineData("\"class_names\":[\"Bus\",\"van\"]", "\"class_names\":[\"Bus\"]")]
    [InlineData("\"class_names\":[\"Bus\",\"van\"]", "\"class_names\":[\"Bus\",\"van\"],\"classes\":[0,1]")]
    [InlineData("\"format_version\":3", "\"format_version\":4")]
    public void Inconsistent_text_classifier_file_is_rejected(string from, string to)
    {
        var classifier = ExactModel(new RbfKernel(0.2)).AsClassifier(NtkCluster.Numerics.Classification.ClassLabels.Named("kind", ["Bus", "van"]));
        string good = PathOf("good-text.json"), bad = PathOf("bad-text.json");
        ModelFile.Save(classifier, good);
        string text = File.ReadAllText(good);
        Assert.Contains(from, text);
        File.WriteAllText(bad, text.Replace(from, to));
        var error = Assert.Throws<InvalidInputException>(() => ModelFile.Load(bad));
        AssertOneLineNamingPath(error, bad);
    }
}
