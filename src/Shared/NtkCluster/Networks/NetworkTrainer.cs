using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Networks;

/// <summary>
/// Trains the ℓ2-regularized two-layer ReLU network of Def 3.5 (or its leverage-initialised form, Def 3.8) by
/// synchronized gradient descent over neuron blocks held by sharded entities, and measures it against NTK ridge
/// regression u* = κ²H(κ²H+λI)⁻¹Y (Theorems 3.6, 3.7, 3.9) with Lemma 4.1's quantities.
/// </summary>
/// <remarks>
/// One step is one round: the coordinator sends the residual Y − κ·u(t) to every block, each block moves its
/// weights and returns its part of u(t+1), and the parts are summed in block order — so the trajectory is the same
/// for any number of workers. Every <see cref="NetworkSettings.CheckpointEvery"/> steps the coordinator fetches the
/// weights; with the residuals since, that restores a lost block to the current step exactly.
/// </remarks>
public sealed class NetworkTrainer
{
    private readonly IBlockRounds _rounds;

    public NetworkTrainer(IBlockRounds rounds) => _rounds = rounds;

    public async Task<NetworkOutcome> TrainAsync(string jobId, Dataset train, Dataset? test, NetworkSettings s, NetworkCheckpointing? checkpointing = null)
    {
        var clock = Stopwatch.StartNew();
        if (train.TargetNames.Length != 1) throw new InvalidInputException($"train-nn fits one target column, got {train.TargetNames.Length}");
        var kernel = new NtkKernel();
        var pre = Preprocessor.Fit(train, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        var y = pre.TransformTargets(train.Y).Column(0).ToArray();
        var xTest = test is null ? null : pre.TransformFeatures(test.X);
        int n = x.RowCount, d = x.ColumnCount, m = s.Width;
        double kappa2 = s.Kappa * s.Kappa;

        // The reference: exact NTK ridge regression with kernel κ²H.
        double[]? uStar = null, uStarTest = null;
        double? lambdaMinH = null;
        if (s.Reference)
        {
            MemoryBudget.EnsureFits(MemoryBudget.DenseBytes(n, n, 4), $"the NTK ridge reference on n={n} rows", "use --no-reference");
            var h = await _rounds.KernelMatrixAsync(jobId + "-h", kernel, x);
            var scaled = h * kappa2;
            var alpha = RidgeSolver.Solve(scaled, s.Lambda, Matrix<double>.Build.Dense(n, 1, y));
            uStar = (scaled * alpha).Column(0).ToArray();
            if (xTest is not null) uStarTest = (kernel.Evaluate(xTest, x) * kappa2 * alpha).Column(0).ToArray();
            lambdaMinH = KernelSpectrum.Of(h).Eigenvalues[0];
            _rounds.Report($"reference: exact NTK ridge regression on {n} rows");
        }

        // Initial network, block by block.
        var plan = new BlockPlan(m, NetworkInitializer.BlockSize);
        var initial = new Matrix<double>[plan.Count];
        var factors = new double[plan.Count][];
        LeverageProvenance? leverage = null;
        if (s.Init == NetworkInitialization.Leverage)
        {
            // The trained network's kernel is κ²H, so its ridge leverage uses λ/κ² (Def 3.8).
            var sampling = await new FeatureSampler(_rounds).SampleAsync(jobId + "-init", kernel, x,
                new FitSettings
                {
                    KernelSpec = "ntk", Lambda = s.Lambda / kappa2, Sampling = FeatureSampling.Leverage, Seed = s.Seed,
                    LeverageMode = s.LeverageMode, PoolSize = s.PoolSize
                }, m);
            leverage = sampling.Leverage;
            var (w0, c) = NetworkInitializer.FromLeverageDraws(sampling.Draws);
            for (int b = 0; b < plan.Count; b++)
            {
                initial[b] = w0.SubMatrix(plan.Start(b), plan.Length(b), 0, d);
                factors[b] = c.AsSpan(plan.Start(b), plan.Length(b)).ToArray();
            }
        }
        else
        {
            for (int b = 0; b < plan.Count; b++)
            {
                initial[b] = NetworkInitializer.GaussianWeights(d, s.Seed, b, plan.Length(b));
                factors[b] = Enumerable.Repeat(1.0, plan.Length(b)).ToArray();
            }
        }
        var signs = Enumerable.Range(0, plan.Count).Select(b => NetworkInitializer.Signs(s.Seed, b, plan.Length(b))).ToArray();

        // H(0), the finite-width kernel at initialization, for the default step size.
        var allInitial = Matrix<double>.Build.Dense(m, d);
        var allWeights = new double[m];
        for (int b = 0; b < plan.Count; b++)
        {
            allInitial.SetSubMatrix(plan.Start(b), 0, initial[b]);
            for (int r = 0; r < plan.Length(b); r++) allWeights[plan.Start(b) + r] = factors[b][r] * factors[b][r];
        }
        var h0 = await _rounds.OuterAsync(jobId + "-h0", new FeatureDraws(kernel, d, allInitial, allWeights), x);
        var h0Spectrum = KernelSpectrum.Of(h0);
        double eta = s.LearningRate ?? 1.0 / (kappa2 * h0Spectrum.SpectralNorm + s.Lambda);
        // Lemma 4.1's rate uses Λ₀ = λ_min of the NTK itself; without the reference, H(0)'s is the best estimate at hand.
        double lambdaMin = lambdaMinH ?? h0Spectrum.Eigenvalues[0];
        double ratePerStep = eta * (kappa2 * lambdaMin + s.Lambda);
        int steps = s.AutoSteps ? AutoStepCount(ratePerStep, s.Steps) : s.Steps;
        var setup = new NetworkSetup(m, s.Kappa, s.Lambda, eta);
        var setups = Enumerable.Range(0, plan.Count).Select(b => new NeuronBlockSetup(setup, initial[b], signs[b], factors[b], x)).ToArray();
        _rounds.Report($"network: width {m} in {plan.Count} block(s), init {s.Init.Name()}, η = {eta:G4}, {steps} steps" +
                       (s.AutoSteps ? $" (auto: η·T·(κ²λ_min(H)+λ) = {ratePerStep * steps:G3}, at most {s.Steps})" : ""));
        var allSigns = signs.SelectMany(a => a).ToArray();
        var allFactors = factors.SelectMany(c => c).ToArray();

        // A resumed run starts from the checkpoint's W(t) at step t; everything before is recomputed as above (it is
        // deterministic), and must equal what the checkpoint stored, so the run continues exactly where it stopped.
        var trajectory = new List<TrainingPoint>();
        var start = initial;
        int startStep = 0;
        if (checkpointing?.ResumeFrom is { Checkpoint: { } resumed } from)
        {
            if (!resumed.InitialWeights.Equals(allInitial) || !from.Signs.SequenceEqual(allSigns) || !from.Factors.SequenceEqual(allFactors)
                || from.Setup.LearningRate != eta)
                throw new InvalidInputException($"{checkpointing.ResumePath}: the checkpoint's initial network or step size differs from this run's; " +
                                                "resume with the same data and settings");
            startStep = from.Steps;
            if (startStep > steps)
                throw new InvalidInputException($"{checkpointing.ResumePath}: the checkpoint is at step {startStep}, beyond the {steps} steps --steps auto " +
                                                "chose for this run; give --steps T to continue it");
            start = Enumerable.Range(0, plan.Count).Select(b => from.Weights.SubMatrix(plan.Start(b), plan.Length(b), 0, d)).ToArray();
            trajectory.AddRange(resumed.Trajectory.Where(p => p.Step < startStep));
            _rounds.Notify($"resuming from {checkpointing.ResumePath} at step {startStep}");
        }
        string? savePath = checkpointing?.SavePath;
        string settingsKey = NetworkCheckpoints.SettingsKey(s), dataKey = savePath is null ? "" : NetworkCheckpoints.DataFingerprint(train);

        // The lineage a lost block is restored from: the weights at the last checkpoint, and every residual since.
        var lineage = new NeuronLineage(setups, start.Select(w => w.Clone()).ToArray(), startStep);
        var neurons = _rounds.Neurons;
        var loaded = await neurons.LoadAsync(jobId, lineage);
        var u = loaded.Outputs;
        double weightNorm = loaded.SquaredNorm;

        int every = Math.Max(1, steps / 20);
        // The drift curve sums H(t) and H(0) at each point (two n×n matrices, a block's parts added as they arrive).
        bool driftCurve = s.TrackKernelDrift && MemoryBudget.DenseBytes(n, n, 4) <= MemoryBudget.AvailableBytes;
        if (s.TrackKernelDrift && !driftCurve) _rounds.Report($"kernel drift curve skipped: the n×n kernels on n={n} rows would not fit in memory");
        for (int t = startStep; t < steps; t++)
        {
            var residual = new double[n];
            for (int i = 0; i < n; i++) residual[i] = y[i] - s.Kappa * u[i];
            if (t % every == 0)
            {
                double? driftNow = driftCurve ? Drift(await neurons.InspectAsync(jobId, t, null, withKernel: true, lineage)) : null;
                Record(t, residual, weightNorm, driftNow);
            }
            else Report(t, residual, weightNorm);
            lineage.ResidualsSince.Add(residual);
            var next = await neurons.StepAsync(jobId, t, residual, lineage);
            u = next.Outputs;
            weightNorm = next.SquaredNorm;
            if ((t + 1) % s.CheckpointEvery == 0 && t + 1 < steps)
            {
                var state = await neurons.InspectAsync(jobId, t + 1, null, withKernel: false, lineage);
                lineage.Advance(state.Blocks.Select(w => w.Weights).ToArray(), t + 1);
                if (savePath is not null) SaveCheckpoint(t + 1, Assemble(state.Blocks));
            }
        }
        // Lemma 4.1's quantities and the test outputs, then release the blocks.
        bool withKernel = MemoryBudget.DenseBytes(n, n, 4) <= MemoryBudget.AvailableBytes;
        var final = await neurons.InspectAsync(jobId, steps, xTest, withKernel, lineage);
        var inspected = final.Blocks;
        neurons.Release(jobId, plan.Count);

        double maxMove = inspected.Max(r => r.MaxWeightMove);
        double flips = inspected.Sum(r => (double)r.PatternFlips) / ((double)m * n);
        double? drift = Drift(final);
        var finalResidual = y.Select((v, i) => v - s.Kappa * u[i]).ToArray();
        Record(steps, finalResidual, weightNorm, driftCurve ? drift : null);
        var finalWeights = Assemble(inspected);
        if (savePath is not null) SaveCheckpoint(steps, finalWeights);

        var trainPred = pre.InverseTransformTargets(Matrix<double>.Build.Dense(n, 1, u.Select(v => s.Kappa * v).ToArray()));
        double trainMse = Metrics.MeanSquaredError(train.Y, trainPred);
        Matrix<double>? testPred = null;
        double? testMse = null, testGap = null, krrTestMse = null;
        double[]? uTest = null;
        if (xTest is not null)
        {
            uTest = new double[xTest.RowCount];
            foreach (var r in inspected) Add(uTest, r.TestOutputs!);
            testPred = pre.InverseTransformTargets(Matrix<double>.Build.Dense(uTest.Length, 1, uTest.Select(v => s.Kappa * v).ToArray()));
            testMse = Metrics.MeanSquaredError(test!.Y, testPred);
        }
        double? trainGap = null, krrTrainMse = null;
        if (uStar is not null)
        {
            trainGap = Gap(u.Select(v => s.Kappa * v).ToArray(), uStar);
            krrTrainMse = Metrics.MeanSquaredError(train.Y, pre.InverseTransformTargets(Matrix<double>.Build.Dense(n, 1, uStar)));
            if (uStarTest is not null)
            {
                testGap = Gap(uTest!.Select(v => s.Kappa * v).ToArray(), uStarTest);
                krrTestMse = Metrics.MeanSquaredError(test!.Y, pre.InverseTransformTargets(Matrix<double>.Build.Dense(uStarTest.Length, 1, uStarTest)));
            }
        }

        // Honest warnings: outside the lazy regime, or too few steps for GD to converge.
        var warnings = new List<string>();
        if (flips > 0.05) warnings.Add($"{flips:P1} of activation patterns flipped: the network left the lazy (NTK) regime of Lemma 4.1; increase --width or decrease --kappa");
        if (drift > 0.1) warnings.Add($"the kernel drifted by {drift:G3} relative to H(0): the network left the lazy regime; increase --width");
        double exponent = ratePerStep * steps;
        if (exponent < ConvergedExponent)
            warnings.Add($"too few steps to converge: η·T·(κ²λ_min(H)+λ) = {exponent:G3}, so a fraction of about e^(−{exponent:G3}) = {Math.Exp(-exponent):G3} of the initial error remains; " +
                         (s.AutoSteps ? $"the automatic step count stopped at its cap of {steps} steps; raise the cap (--max-steps), λ or --lr" : "increase --steps or --lr"));

        var model = new NetworkModel
        {
            ProgramVersion = ProgramInfo.Version, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
            Preprocessing = pre, Init = s.Init.Name(), Leverage = leverage, Seed = s.Seed, Setup = setup, Steps = steps,
            Weights = finalWeights, Signs = allSigns, Factors = allFactors,
        };
        return new NetworkOutcome(model, eta, trainMse, testMse, trainGap, testGap, krrTrainMse, krrTestMse, maxMove, drift, flips,
            exponent, warnings, trajectory, trainPred, testPred, clock.Elapsed.TotalSeconds);

        Matrix<double> Assemble(IEnumerable<NeuronBlockState> blocks)
        {
            var all = Matrix<double>.Build.Dense(m, d);
            foreach (var r in blocks) all.SetSubMatrix(plan.Start(r.BlockIndex), 0, r.Weights);
            return all;
        }

        // The network at `step` as a model file that also holds what --resume needs (NetworkCheckpoint).
        void SaveCheckpoint(int step, Matrix<double> weights)
        {
            var model = new NetworkModel
            {
                ProgramVersion = ProgramInfo.Version, FeatureNames = train.FeatureNames, TargetNames = train.TargetNames,
                Preprocessing = pre, Init = s.Init.Name(), Leverage = leverage, Seed = s.Seed, Setup = setup, Steps = step,
                Weights = weights, Signs = allSigns, Factors = allFactors,
                Checkpoint = new NetworkCheckpoint
                {
                    InitialWeights = allInitial, Settings = settingsKey, DataFingerprint = dataKey,
                    Trajectory = trajectory.ToArray(),
                },
            };
            if (checkpointing!.Take(model) is { } where) _rounds.Notify($"checkpoint at step {step} {where}");
        }

        // Every step is reported (steps done, with the loss and gap of the state they reached): the renderer decides
        // how often to show it. The loss and gap are O(n) beside the step's O(n·m·d), and only read, never fed back.
        void Record(int step, double[] residual, double norm, double? kernelDrift) =>
            trajectory.Add(Report(step, residual, norm) with { KernelDrift = kernelDrift });

        TrainingPoint Report(int step, double[] residual, double norm)
        {
            double loss = 0.5 * residual.Sum(v => v * v) + 0.5 * s.Lambda * norm;
            double? gap = uStar is null ? null : Gap(y.Select((v, i) => v - residual[i]).ToArray(), uStar);
            _rounds.Report("step", step, steps, "steps", $"loss {loss:G6}" + (gap is double g ? $", train gap {g:G4}" : ""));
            return new TrainingPoint(step, loss, gap, null);
        }
    }

    /// <summary>
    /// The convergence exponent η·T·(κ²λ_min(H)+λ) from which a run counts as converged: gradient descent contracts the
    /// error in u by (1 − η(κ²λ_min+λ)) ≤ e^(−η(κ²λ_min+λ)) per step along H's slowest direction, so at most about
    /// e^(−5) ≈ 0.7% of the initial error remains. Below it the trainer warns; automatic step counts aim for it.
    /// </summary>
    public const double ConvergedExponent = 5;

    /// <summary>
    /// The fewest steps T with <paramref name="ratePerStep"/>·T ≥ <see cref="ConvergedExponent"/>, between 1 and
    /// <paramref name="cap"/>; the cap when the rate is not positive (a singular kernel with λ → 0 never converges).
    /// </summary>
    public static int AutoStepCount(double ratePerStep, int cap)
    {
        if (cap < 1) throw new ArgumentOutOfRangeException(nameof(cap), cap, "the step cap must be at least 1");
        if (!(ratePerStep > 0) || ConvergedExponent / ratePerStep >= cap) return cap;
        int steps = Math.Max(1, (int)Math.Ceiling(ConvergedExponent / ratePerStep));
        // The exponent is later computed as rate·T: make sure that product, not just the quotient, reaches the target.
        while (steps < cap && ratePerStep * steps < ConvergedExponent) steps++;
        return steps;
    }

    /// <summary>‖H(t) − H(0)‖₂ / ‖H(0)‖₂ from an inspection's kernels, summed over blocks in block order; null when they
    /// were not asked for.</summary>
    private static double? Drift(NeuronInspection inspection) =>
        inspection.KernelNow is { } now && inspection.KernelInitial is { } then
            ? SymmetricSpectralNorm.Of(now - then) / SymmetricSpectralNorm.Of(then)
            : null;

    private static double[] Add(double[] acc, double[] part)
    {
        for (int i = 0; i < acc.Length; i++) acc[i] += part[i];
        return acc;
    }

    private static double Gap(double[] u, double[] reference)
    {
        double num = 0, den = 0;
        for (int i = 0; i < u.Length; i++) { double e = u[i] - reference[i]; num += e * e; den += reference[i] * reference[i]; }
        return Math.Sqrt(num / den);
    }
}
