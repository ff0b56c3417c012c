using System.CommandLine;
using System.Text;
using NtkCluster.CommandLine;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// Every command option with its placeholder, its kind of value and its help text naming its default — one
/// catalogue, so an option means, parses and reads the same in every command that takes it. A command declares the
/// options it takes (<see cref="Build"/>), with command-specific wording where the meaning differs; its
/// System.CommandLine options and its help are both made from that declaration, so the help lists exactly the options
/// the parser accepts.
/// </summary>
public static class OptionCatalogue
{
    /// <summary>Every command takes <c>--backend</c>.</summary>
    public const string BackendOption = "backend";

    /// <summary>An option's argument placeholder (empty for a flag), its description, which names its default, and the
    /// kind of its value (text unless said).</summary>
    public sealed record Entry(string Argument, string Description, OptionKind Kind = OptionKind.Text)
    {
        public OptionKind ValueKind => Argument.Length == 0 ? OptionKind.Flag : Kind;
    }

    private static readonly Dictionary<string, Entry> Common = new(StringComparer.Ordinal)
    {
        ["train"] = new("FILE", "training data: CSV with a header row and invariant-culture numbers, or Parquet (required)"),
        ["columns"] = new("A,B,...", "use only these columns of the files, in this order, targets included (default: all;\n" +
                                     "of a Parquet file, all numeric ones, with a note naming the skipped ones)"),
        ["test"] = new("FILE", "test data with the same columns, matched by name (default: none)"),
        ["missing"] = new("drop|mean|median", "missing cells (empty, NA, NaN, null, ?, Parquet nulls) in feature columns: drop their\n" +
                                              "rows, or fill them with the training rows' column mean or median (a category\n" +
                                              "column: its most frequent category), stored in the model for predict. Rows\n" +
                                              "with a missing target (label) are always dropped, with a count\n" +
                                              "(default: refuse the file, counting the missing cells of every column)"),
        ["separator"] = new("','|';'|tab", "the CSV field separator (default: detected from the header, quoted names or\n" +
                                           "not; with ';', decimal commas such as 2,5 are read as R's write.csv2 writes them)"),
        ["categorical"] = new("A,B,...", "also treat these numeric feature columns as categorical (codes): one-hot encoded like\n" +
                                         "a text column, which always is, with the training categories in sorted order\n" +
                                         "(default: only text columns are categorical; CSV files)"),
        ["unknown-category"] = new("zeros|error", "a category the training rows did not have: all-zero one-hot columns, with\n" +
                                                  "one notice counting the rows, or refuse the file (default: zeros)"),
        ["test-fraction"] = new("F", "hold out a seeded random fraction F of --train as the test set instead (default: none)", OptionKind.Number),
        ["split-seed"] = new("S", "seed of the --test-fraction split (default 0)", OptionKind.Seed),
        ["target"] = new("COL[,COL...]", "target column(s) (default: the last column)"),
        ["standardize"] = new("", "z-score features (training mean, population std) and centre the target (default: off)"),
        ["scale-target"] = new("", "also divide the target by its standard deviation; undone on prediction (default: off)"),
        ["normalize"] = new("", "scale rows to unit norm, after standardizing (default: off)"),
        ["workers"] = new("N", "blocks computed at once; results do not depend on it (default: the number of cores;\n" +
                               "under --cluster the workers' threads added up)", OptionKind.Integer),
        ["block-timeout"] = new("S", "seconds a worker may take for one block before it is asked again; a second silence\n" +
                                     "fails the job (default 300)", OptionKind.Number),
        ["cluster"] = new("H:P", "run the job on the cluster whose coordinator ('ntk coordinator') advertises H:P: this\n" +
                                 "program reads the data and ships it (the nodes need no shared files), shows the job's\n" +
                                 "progress and writes the results here (default: run in this process)"),
        ["rows"] = new("auto|shared|shipped", "with --cluster and a partitioned --train/--test: how the rows reach the workers —\n" +
                                              "read from the same paths (shared), sent by this program into the workers' caches\n" +
                                              "(shipped), or shared when every worker sees every file as this program does, else\n" +
                                              "shipped (default auto)"),
        ["tls-certificate"] = new("F", "the cluster's TLS certificate, .pfx; password in NTK_TLS_PASSWORD\n" +
                                       "(default: NTK_TLS_CERTIFICATE, else plain TCP)"),
        [ProgressOptions.QuietFlag] = new("", "no progress on stderr; errors and warnings still print (default: off — a live bar\n" +
                                              "on a terminal, else one line per stage at its end and one every 30 s of a long\n" +
                                              "stage; NTK_PROGRESS=bar|lines|off forces one)"),
        [ProgressOptions.VerboseFlag] = new("", "also the jobs' internal notes (\"solving the 400×400 system\") and, without a\n" +
                                                "terminal, every stage's first line and a line every 5 s (default: off)"),
        ["kernel"] = new("SPEC", "rbf:gamma=G | laplace:gamma=G | ntk (required)"),
        ["lambda"] = new("L", "ridge regularization λ > 0 (required)", OptionKind.Number),
        ["solver"] = new("exact|features", "exact n×n KRR, or random features (default: exact without --features)"),
        ["features"] = new("M", "random-feature draws w_1..w_M; Ψ has M·d2 columns (required with --solver features)", OptionKind.Integer),
        ["sampling"] = new("plain|leverage", "draws from the kernel's density p, or from the ridge leverage distribution\n" +
                                             "q(w) ∝ p(w)·τ(w) with weights p/q (Def 3.1–3.2) (default plain)"),
        ["seed"] = new("S", "seed of the feature draws; the result depends on it, not on --workers (default 0)", OptionKind.Seed),
        ["leverage"] = new("auto|exact|scalable|subsample", "how leverage scores are computed: exact (K+λI)⁻¹, scalable first-stage\n" +
                                                  "features through Woodbury, bound-corrected, or subsample: scalable against n′ hashed\n" +
                                                  "rows chosen from the estimated s_λ, λ scaled by n′/n (default auto: exact up to 4000 rows,\n" +
                                                  "subsample beyond)"),
        ["pool"] = new("P", "candidates drawn from p and scored for leverage sampling (default max(20M, 10000))", OptionKind.Integer),
        ["first-stage"] = new("S", "draws of the scalable mode's first stage (default: about min(1024, n/2) feature columns)", OptionKind.Integer),
        ["task"] = new("regress|classify", "regress, or classify: one-vs-rest ridge on a label column (the target) of integers\n" +
                                           "or text, predicting the class with the largest score; classes are ordered\n" +
                                           "numerically for integers, by ordinal string order for text (default regress)"),
        ["stratify"] = new("", "with --task classify: --test-fraction and the cv folds keep each class's share — every\n" +
                               "class split as evenly as its count allows (±1 row per fold), seeded (default: off)"),
        ["scores"] = new("", "a classifier's output also gets one column per class, named after the class, holding\n" +
                             "its one-vs-rest score (the largest score is the predicted class) (default: off)"),
        ["model"] = new("OUT", "write the model (JSON, docs/model-format.md), atomically (default: not written)"),
        ["json"] = new("", "print a JSON summary as the last line of stdout (default: off)"),
        ["eps"] = new("E", "the ε of Theorem 3.3's feature count m_bound (default 0.25)", OptionKind.Number),
        ["delta"] = new("D", "the failure probability δ of Theorem 3.3's m_bound (default 0.1)", OptionKind.Number),
        ["exact-rows"] = new("N", "ε is exact up to N rows, beyond that a lower bound from a seeded N-row subsample (default 3000)", OptionKind.Integer),
        ["init"] = new("gaussian|leverage", "initial neurons from N(0,I) (Def 3.5), or from the NTK's ridge leverage\n" +
                                            "distribution, reweighted (Def 3.8) (default gaussian)"),
        ["kappa"] = new("K", "output scaling κ (default 1)", OptionKind.Number),
        ["lr"] = new("ETA", "step size (default 1/(κ²·λ_max(H(0)) + λ), H(0) the finite-width kernel at init)", OptionKind.Number),
        ["steps"] = new("T|auto", "gradient-descent steps; auto: the fewest with η·T·(κ²λ_min(H)+λ) ≥ 5, about e^(−5) ≈ 0.7% of the\n" +
                                  "initial error left (Lemma 4.1's rate), chosen per network from H(0) (required)"),
        ["max-steps"] = new("N", "the most steps --steps auto may choose; a network that needs more stops there, with a warning\n" +
                                 $"(default {NetworkOptions.DefaultMaxSteps})", OptionKind.Integer),
        ["checkpoint-every"] = new("N", "steps between the weight checkpoints that restore a lost neuron block (default 500)", OptionKind.Integer),
        ["no-reference"] = new("", "skip NTK ridge regression u* (n×n work) and the gaps to it (default: off)"),
        [BackendOption] = new("auto|openblas|managed", "linear-algebra backend (default auto: OpenBLAS when installed;\n" +
                                                        "or NTK_BACKEND)"),
    };

    /// <summary>
    /// A command's options and help: every option in <paramref name="valueOptions"/> and <paramref name="flags"/>,
    /// then <c>--backend</c>, each with its catalogue entry (or this command's own), and the help text: usage, what it
    /// does, the options with their placeholders and descriptions, and examples.
    /// </summary>
    /// <param name="specific">This command's own wording (and kind), for options it adds or whose meaning differs here.</param>
    /// <exception cref="InvalidOperationException">An option has no entry (a programming error, caught by the help tests).</exception>
    public static CommandSyntax Build(string usage, string description, IEnumerable<string> valueOptions, IEnumerable<string> flags,
        IReadOnlyDictionary<string, Entry>? specific, params string[] examples)
    {
        var options = valueOptions.Concat(flags).Append(BackendOption).Distinct()
            .Select(name => (Name: name, Entry: specific is not null && specific.TryGetValue(name, out var own) ? own
                : Common.TryGetValue(name, out var common) ? common
                : throw new InvalidOperationException($"option --{name} has no help entry")))
            .ToArray();
        var sb = new StringBuilder(usage.TrimEnd()).Append("\n\n");
        if (description.Length > 0) sb.Append(description.TrimEnd()).Append("\n\n");
        sb.Append(HelpLayout.Options(options.Select(o => ("--" + o.Name, o.Entry.Argument, o.Entry.Description)))).Append('\n');
        foreach (var example in examples) sb.Append("example: ").Append(example).Append('\n');
        return new CommandSyntax(sb.ToString(), options);
    }
}

/// <summary>A command's declared options, each with its catalogue entry, and its help text.</summary>
public sealed record CommandSyntax(string Help, IReadOnlyList<(string Name, OptionCatalogue.Entry Entry)> Options)
{
    /// <summary>The System.CommandLine options, one per declared option, in the declared order.</summary>
    public IEnumerable<Option> CreateOptions() =>
        Options.Select(o => TypedOption.Create("--" + o.Name, o.Entry.ValueKind, o.Entry.Description.Replace('\n', ' '), o.Entry.Argument));
}
