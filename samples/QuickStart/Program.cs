// NtkCluster from C#: exact kernel ridge regression, leverage-sampled random features and a two-layer ReLU network,
// fitted in this process (no actor system, no cluster), on a CSV whose last column is the target.
//
//   dotnet run --project samples/QuickStart -- TRAIN.csv TEST.csv
//
// Without arguments it uses the letters fixture (tests/NtkCluster.Numerics.Tests/Fixtures). It prints each model's test
// MSE, writes each model's test predictions to predictions-{exact,rff,net}.csv and the random-feature model to model.json
// in the current directory: `ntk predict --model model.json --data TEST.csv` gives the same predictions, bit for bit.
using System.Globalization;
using NtkCluster;

string fixtures = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "NtkCluster.Numerics.Tests", "Fixtures");
var (x, y) = ReadCsv(args.Length > 0 ? args[0] : Path.Combine(fixtures, "letters-train.csv"));
var (xTest, yTest) = ReadCsv(args.Length > 1 ? args[1] : Path.Combine(fixtures, "letters-test.csv"));

var exact = new KernelRidge(Kernel.Rbf(gamma: 0.02), lambda: 0.5).Fit(x, y);   // double[,] x, double[] y
var rff   = new RandomFeatureRidge(Kernel.Rbf(gamma: 0.02), lambda: 0.5, features: 4000)
              { Sampling = FeatureSampling.Leverage, Seed = 1 }.Fit(x, y);
var net   = new TwoLayerNetwork(width: 512, lambda: 1e-3) { Steps = 200, Seed = 0 }.Fit(x, y);
double[] p = rff.Predict(xTest);   // also exact.Predict, net.Predict
rff.Save("model.json");            // the model file `ntk predict` reads; a Load method reads it back

foreach (var (name, predictions) in new[] { ("exact", exact.Predict(xTest)), ("rff", p), ("net", net.Predict(xTest)) })
{
    double mse = predictions.Zip(yTest, (a, b) => (a - b) * (a - b)).Average();
    Console.WriteLine($"{name,-6} test MSE {mse.ToString("G6", CultureInfo.InvariantCulture)}");
    File.WriteAllLines($"predictions-{name}.csv", predictions.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Prepend("prediction"));
}
Console.WriteLine($"network: train gap to NTK ridge regression {net.Training!.TrainGap?.ToString("G4", CultureInfo.InvariantCulture)}");
var loaded = (RidgeModel)Model.Load("model.json");
Console.WriteLine($"model.json: {loaded.Features} {loaded.Ridge.Sampling} features of {loaded.Kernel}, reloaded predictions equal: {loaded.Predict(xTest).SequenceEqual(p)}");
// In-process means no actor system: no Akka assembly was ever loaded.
bool akka = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name!.StartsWith("Akka", StringComparison.Ordinal));
Console.WriteLine($"actor system started: {(akka ? "yes" : "no")}");

static (double[,] X, double[] Y) ReadCsv(string path)
{
    var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
        .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    int d = rows[0].Length - 1;
    var x = new double[rows.Length, d];
    for (int i = 0; i < rows.Length; i++)
        for (int j = 0; j < d; j++) x[i, j] = rows[i][j];
    return (x, rows.Select(r => r[d]).ToArray());
}
