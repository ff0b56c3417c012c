using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Networks;

/// <summary>
/// Trains the network of Def 3.5 on a partitioned dataset by full-batch gradient descent, data-parallel: every step is
/// a partition round in which each partition computes the gradient partial of its own rows for all m neurons at the
/// current weights (<see cref="PartitionComputations.Network"/>), the partials are added in partition order, and the
/// coordinator takes the synchronized step W ← W − η·(∇ + λW). No row ever reaches the coordinator, which holds
/// O(m·d + partitions).
/// </summary>
/// <remarks>
/// <para>The weights go out whole with every step's commands, and the commands keep no state: a worker lost mid-step
/// has its partitions re-read elsewhere and asked the same question, so the trajectory depends on the partitioning
/// alone — bitwise the same in-process, in local mode and on any cluster. Against the in-memory
/// <see cref="NetworkTrainer"/> it differs only in the order of summation (per partition, then across partitions;
/// there, per neuron block over all rows), so the two agree to rounding, not bitwise.</para>
/// <para>What needs all rows in one place is not done here: leverage initialisation, <c>--steps auto</c> (λ_min of the
/// n×n NTK), the kernel drift (two n×n kernels) and exact NTK ridge regression u*. The reference is NTK ridge
/// regression by random features (<see cref="ReferenceFeatures"/> plain NTK features, ridge λ/κ², the partitioned
/// primal fit of <see cref="KrrFitter.FitPartitionedEvaluatedAsync"/>): its MSEs, and the gaps ‖κ·f − u_ref‖/‖u_ref‖
/// on the training and test rows, computed per partition (<see cref="IBlockRounds.PartitionGapAsync"/>). The default
/// step size 1/(κ²·λ_max(H(0)) + λ) takes λ_max(H(0)) from a power iteration on ΦᵀΦ (one partition round per
/// iteration), so it agrees with the in-memory eigenvalue to about <see cref="PowerTolerance"/>, not bitwise.</para>
/// </remarks>
public sealed class PartitionedNetworkTrainer
{
    /// <summary>The most feature columns (M·d) of the random-feature NTK reference: its m'×m' Gram stays 32 MB.</summary>
    public const int ReferenceColumns = 2048;

    /// <summary>Relative change of the Rayleigh quotient at which the power iteration for λ_max(H(0)) stops.</summary>
    public const double PowerTolerance = 1e-4;

    /// <summary>The most power-iteration rounds for λ_max(H(0)).</summary>
    public const int PowerRounds = 200;

    private readonly IBlockRounds _rounds;

    public PartitionedNetworkTrainer(IBlockRounds rounds) => _rounds = rounds;

    /// <summary>The draws of the random-feature NTK reference for a network of <paramref name="width"/> neurons on d inputs.</summary>
    public static int ReferenceFeatures(int width, int inputDimension) => Math.Max(1, Math.Min(width, ReferenceColumns / Math.Max(1, inputDimension)));

    /// <summary>Why a network setting cannot train on a partitioned dataset, or null when it can.</summary>
    public static string? Unsupported(NetworkSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Init == NetworkInitialization.Leverage)
            return "--init leverage scores its candidates against all rows, which a partitioned dataset (a directory or glob) does not hold in one place: use --init gaussian";
        if (s.AutoSteps)
            return "--steps auto needs λ_min of the n×n NTK, which a partitioned dataset (a directory or glob) never forms: give --steps T";
        if (s.TrackKernelDrift)
            return "the kernel drift curve needs n×n kernels, which a partitioned dataset (a directory or glob) never forms";
        return null;
    }

    /// <param name="source">The training dataset as the user named it, for messages.</param>
    /// <param name="test">Test partitions, or null.</param>
    /// <param name="split">The training side of a hashed <c>--test-fraction</c> split, or null.</param>
    public async Task<NetworkOutcome> TrainAsync(string jobId, string source, IReadOnlyList<DataPartition> train, PartitionColumns columns,
        IReadOnlyList<DataPartition>? test, RowSplit? split, NetworkSettings s, NetworkCheckpointing? checkpointing = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(s);
        var clock = Stopwatch.StartNew();
        if (Unsupported(s) is { } why) throw new InvalidInputException(why);
        if (columns.TargetNames.Length != 1) throw new InvalidInputException($"train-nn fits one target column, got {columns.TargetNames.Length}");
        if (test is not null && split is not null) throw new ArgumentException("a test set or a split, not both", nameof(split));
        // The hashed split decides a row by its index in the whole dataset: each partition's first row must be known.
        if (split is not null) train = await _rounds.CountedAsync(jobId + "-count", train, source);
        var prepared = await PartitionedPreprocessing.PrepareAsync(_rounds, jobId + "-stats", source, train, columns, split, s.Standardize, s.ScaleTarget, s.Normalize);
        long n = prepared.Rows;
        columns = prepared.Columns; // with --missing mean|median, the fills every later round applies
        var pre = prepared.Preprocessor;
        int d = columns.FeatureNames.Length, m = s.Width;
        double kappa2 = s.Kappa * s.Kappa;

        // W(0), signs and factors exactly as the in-memory trainer draws them: block by block from the seed.
        var plan = new BlockPlan(m, NetworkInitializer.BlockSize);
        var initial = Matrix<double>.Build.Dense(m, d);
        for (int b = 0; b < plan.Count; b++) initial.SetSubMatrix(plan.Start(b), 0, NetworkInitializer.GaussianWeights(d, s.Seed, b, plan.Length(b)));
        var signs = Enumerable.Range(0, plan.Count).SelectMany(b => NetworkInitializer.Signs(s.Seed, b, plan.Length(b))).ToArray();
        var factors = Enumerable.Repeat(1.0, m).ToArray();
        var outputScales = NetworkPoint.OutputScales(m, signs, factors);

        double eta;
        if (s.LearningRate is double given) eta = given;
        else
        {
            double lambdaMax = await LargestEigenvalueAsync(jobId, train, columns, split, pre, initial, NetworkPoint.FeatureScales(m, factors));
            eta = 1.0 / (kappa2 * lambdaMax + s.Lambda);
            _rounds.Report($"λ_max(H(0)) ≈ {lambdaMax:G6} by power iteration over the partitions");
        }
        int steps = s.Steps;
        var setup = new NetworkSetup(m, s.Kappa, s.Lambda, eta);
        _rounds.Report($"network: width {m}, data-parallel over {train.Count} partition(s) of {source} ({n} rows), init gaussian, η = {eta:G4}, {steps} steps");

        var trajectory = new List<TrainingPoint>();
        var weights = initial.Clone();
        int startStep = 0;
        if (checkpointing?.ResumeFrom is { Checkpoint: { } resumed } from)
        {
            if (!resumed.InitialWeights.Equals(initial) || !from.Signs.SequenceEqual(signs) || !from.Factors.SequenceEqual(factors)
                || from.Setup.LearningRate != eta)
                throw new InvalidInputException($"{checkpointing.ResumePath}: the checkpoint's initial network or step size differs from this run's; " +
                                                "resume with the same data and settings");
            startStep = from.Steps;
            if (startStep > steps) throw new InvalidInputException($"{checkpointing.ResumePath}: the checkpoint is at step {startStep}, beyond --steps {steps}");
            weights = from.Weights.Clone();
            trajectory.AddRange(resumed.Trajectory.Where(p => p.Step < startStep));
            _rounds.Notify($"resuming from {checkpointing.ResumePath} at step {startStep}");
        }
        string? savePath = checkpointing?.SavePath;
        string settingsKey = NetworkCheckpoints.SettingsKey(s);
        string dataKey = savePath is null ? "" : NetworkCheckpoints.DataFingerprint(columns, train, split);

        int every = Math.Max(1, steps / 20);
        var w = weights.AsColumnMajorArray(); // the coordinator's copy of W, updated in place
        for (int t = startStep; t < steps; t++)
        {
            var partial = await GradientAsync($"{jobId}-s{t}", train, columns, split, pre, weights, outputScales, s.Kappa, null, n, source);
            double loss = Loss(partial.Squares, w, s.Lambda);
            if (!double.IsFinite(loss))
                throw new InvalidInputException($"gradient descent diverged: the loss is {loss} at step {t} with η = {eta:G4}; give a smaller --lr (or leave it to the default)");
            if (t % every == 0) trajectory.Add(Report(t, steps, loss));
            else Report(t, steps, loss);
            // W ← W − η·(∇ + λW), element by element as a neuron block steps (g = λw + ∇, then w += −η·g).
            var g = partial.Sum.AsColumnMajorArray() ?? partial.Sum.ToColumnMajorArray();
            for (int k = 0; k < w.Length; k++)
            {
                double gk = s.Lambda * w[k] + g[k];
                w[k] += -eta * gk;
            }
            if ((t + 1) % s.CheckpointEvery == 0 && t + 1 < steps && savePath is not null) SaveCheckpoint(t + 1, weights.Clone());
        }

        // The state reached: its loss, and the activation patterns that moved since W(0) (Lemma 4.1).
        var last = await GradientAsync($"{jobId}-s{steps}", train, columns, split, pre, weights, outputScales, s.Kappa, initial, n, source);
        trajectory.Add(Report(steps, steps, Loss(last.Squares, w, s.Lambda)));
        double flips = last.PatternFlips / ((double)m * n);
        double maxMove = 0;
        for (int r = 0; r < m; r++) maxMove = Math.Max(maxMove, (weights.Row(r) - initial.Row(r)).L2Norm());
        if (savePath is not null) SaveCheckpoint(steps, weights.Clone());

        var model = Model(steps, weights.Clone(), null);
        _rounds.Report($"training error: reading {source} again");
        var trainErrors = await _rounds.PartitionSquaredErrorsAsync(jobId + "-train", train, columns, split, model, "training-error partitions");
        if (trainErrors.Rows != n) throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {trainErrors.Rows} later");
        double? testMse = null;
        if (test is not null || split is not null)
        {
            var (parts, side) = test is not null ? (test, (RowSplit?)null) : (train, split!.OtherSide());
            var errors = await _rounds.PartitionSquaredErrorsAsync(jobId + "-test", parts, columns, side, model, "test-error partitions");
            if (errors.Rows == 0) throw new InvalidInputException($"{source}: no test rows" + (side is null ? "" : " on the held-out side of the split"));
            testMse = errors.Mean;
        }

        var warnings = new List<string>();
        double? krrTrainMse = null, krrTestMse = null, trainGap = null, testGap = null;
        if (s.Reference)
        {
            int features = ReferenceFeatures(m, d);
            // More feature columns than rows is the dual form, which the partitioned fit runs on the gathered rows (few, then).
            // u* = κ²H(κ²H+λI)⁻¹Y is ridge regression with kernel H and ridge λ/κ²: here with M plain NTK features.
            _rounds.Report($"reference: NTK ridge regression by {features} random features (ridge λ/κ²), fitted on the partitions");
            var reference = await new KrrFitter(_rounds).FitPartitionedEvaluatedAsync(jobId + "-ref", source, train, columns, test, split,
                new FitSettings
                {
                    KernelSpec = "ntk", Lambda = s.Lambda / kappa2, Features = features, Sampling = FeatureSampling.Plain, Seed = s.Seed,
                    Standardize = s.Standardize, ScaleTarget = s.ScaleTarget, Normalize = s.Normalize,
                });
            krrTrainMse = reference.TrainMse;
            krrTestMse = reference.TestMse;
            // ‖κ·f − u_ref‖/‖u_ref‖ row by row over the partitions, in the preprocessed target units (as the in-memory gap).
            trainGap = (await _rounds.PartitionGapAsync(jobId + "-gap", train, columns, split, model, reference.Model, "gap partitions")).Relative;
            if (test is not null || split is not null)
            {
                var (parts, side) = test is not null ? (test, (RowSplit?)null) : (train, split!.OtherSide());
                testGap = (await _rounds.PartitionGapAsync(jobId + "-test-gap", parts, columns, side, model, reference.Model, "test gap partitions")).Relative;
            }
        }
        if (flips > 0.05) warnings.Add($"{flips:P1} of activation patterns flipped: the network left the lazy (NTK) regime of Lemma 4.1; increase --width or decrease --kappa");

        // Row-by-row predictions are never gathered from a partitioned dataset: the outcome's are empty.
        return new NetworkOutcome(model, eta, trainErrors.Mean, testMse, trainGap, testGap, krrTrainMse, krrTestMse, maxMove, null, flips, null,
            warnings, trajectory, Matrix<double>.Build.Dense(0, 1), null, clock.Elapsed.TotalSeconds);

        NetworkModel Model(int step, Matrix<double> at, NetworkCheckpoint? checkpoint) => new()
        {
            ProgramVersion = ProgramInfo.Version, FeatureNames = columns.FeatureNames, TargetNames = columns.TargetNames,
            Preprocessing = pre, Init = s.Init.Name(), Leverage = null, Seed = s.Seed, Setup = setup, Steps = step,
            Weights = at, Signs = signs, Factors = factors, Checkpoint = checkpoint,
        };

        void SaveCheckpoint(int step, Matrix<double> at)
        {
            var checkpoint = Model(step, at, new NetworkCheckpoint
            {
                InitialWeights = initial, Settings = settingsKey, DataFingerprint = dataKey, Trajectory = trajectory.ToArray(),
            });
            if (checkpointing!.Take(checkpoint) is { } where) _rounds.Notify($"checkpoint at step {step} {where}");
        }

        TrainingPoint Report(int step, int total, double loss)
        {
            _rounds.Report("step", step, total, "steps", $"loss {loss:G6}");
            return new TrainingPoint(step, loss, null, null);
        }
    }

    /// <summary>One gradient round; a partition that answers for other rows than the first read means the data changed.</summary>
    private async Task<NetworkRoundPartial> GradientAsync(string roundId, IReadOnlyList<DataPartition> train, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, Matrix<double> weights, double[] scales, double kappa, Matrix<double>? initial, long n, string source)
    {
        var partial = await _rounds.PartitionNetworkAsync(roundId, train, columns, split, pre,
            new NetworkPoint(NetworkRoundKind.Gradient, weights.Clone(), scales, kappa, initial), null);
        if (partial.Rows != n) throw new InvalidInputException($"{source} changed while it was being read: {n} rows at first, {partial.Rows} later");
        return partial;
    }

    /// <summary>½·Σres² + ½·λ·‖W‖²_F.</summary>
    private static double Loss(double squares, double[] w, double lambda)
    {
        double norm = 0;
        foreach (double v in w) norm += v * v;
        return 0.5 * squares + 0.5 * lambda * norm;
    }

    /// <summary>
    /// λ_max(H(0)) = λ_max(ΦᵀΦ) by power iteration in weight space (m×d), one partition round per product, starting
    /// from W(0) itself (whose Φ-image Σ_r s_r·σ(w_rᵀx) is positive on every row, like H's top eigenvector). The Rayleigh
    /// quotients ‖Φv‖²/‖v‖² rise to λ_max geometrically; the iteration stops when the error left, estimated from the
    /// last two increments (Δ_k·r/(1−r), r = Δ_k/Δ_(k−1)), is below <see cref="PowerTolerance"/> of the quotient.
    /// </summary>
    private async Task<double> LargestEigenvalueAsync(string jobId, IReadOnlyList<DataPartition> train, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, Matrix<double> initial, double[] featureScales)
    {
        var v = initial / initial.FrobeniusNorm();
        double last = 0, increment = double.NaN;
        int k = 0;
        for (; k < PowerRounds; k++)
        {
            var product = await _rounds.PartitionNetworkAsync($"{jobId}-h0-{k}", train, columns, split, pre,
                new NetworkPoint(NetworkRoundKind.KernelProduct, v, featureScales, 1.0, initial), k == 0 ? "λ_max(H(0)) partitions" : null);
            double rayleigh = product.Squares; // ‖Φv‖² with ‖v‖ = 1
            double norm = product.Sum.FrobeniusNorm();
            if (norm == 0) return rayleigh;
            v = product.Sum / norm;
            double now = rayleigh - last;
            last = rayleigh;
            if (k > 1)
            {
                double ratio = increment > 0 ? Math.Clamp(now / increment, 0, 0.999) : 0;
                if (Math.Abs(now) * ratio / (1 - ratio) <= PowerTolerance * rayleigh && Math.Abs(now) <= PowerTolerance * rayleigh) break;
            }
            increment = now;
        }
        _rounds.Report($"power iteration for λ_max(H(0)): {Math.Min(k + 1, PowerRounds)} round(s) over the partitions");
        return last;
    }
}
