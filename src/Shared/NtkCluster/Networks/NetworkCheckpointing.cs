using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Networks;

/// <summary>
/// <c>train-nn --checkpoint FILE</c> and <c>--resume FILE</c>: where the run's state goes every
/// <see cref="NetworkSettings.CheckpointEvery"/> steps and at the end, and the checkpoint to continue from.
/// </summary>
/// <remarks>
/// Both paths name files on the machine the user typed them on. In local mode the trainer writes <see cref="SavePath"/>
/// itself; on a cluster the trainer runs on the coordinator node, so the job's session sets <see cref="Sink"/> to ship
/// each checkpoint back to the client, which writes the file (and the client ships <see cref="ResumeFrom"/> up with
/// the job). The trainer never needs to know which.
/// </remarks>
/// <param name="SavePath">Write checkpoints here, atomically; null for none.</param>
/// <param name="ResumeFrom">A checkpoint already checked against the data and settings (<see cref="NetworkCheckpoints.EnsureResumable(IPredictiveModel, string, Dataset, NetworkSettings)"/>).</param>
/// <param name="ResumePath">The file <paramref name="ResumeFrom"/> was read from, for messages.</param>
public sealed record NetworkCheckpointing(string? SavePath, NetworkModel? ResumeFrom, string? ResumePath)
{
    /// <summary>
    /// Takes each checkpoint instead of the trainer writing <see cref="SavePath"/>, and says where it went (for the
    /// progress line), or null when the taker reports that itself. Null: the trainer writes the file.
    /// </summary>
    public Func<NetworkModel, string?>? Sink { get; init; }

    /// <summary>
    /// What reading the data did before the trainer saw it — the categorical encoding, how missing cells were filled —
    /// added to each checkpoint's preprocessing as <see cref="Take"/> takes it, as the final model gets it, so a
    /// checkpoint predicts like a model file and a resume can be checked against its encoding. Null: nothing to add.
    /// Set by the client and never shipped: on a cluster the client takes each checkpoint the coordinator sends back.
    /// </summary>
    public Func<Preprocessor, Preprocessor>? Remember { get; init; }

    /// <summary>Hands a checkpoint to <see cref="Sink"/>, or writes it to <see cref="SavePath"/> atomically.</summary>
    /// <returns>Where it went, for the progress line; null when the sink reports that itself.</returns>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">The file cannot be written.</exception>
    public string? Take(NetworkModel checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (Remember is { } remember) checkpoint = checkpoint.WithPreprocessing(remember(checkpoint.Preprocessing));
        if (Sink is { } sink) return sink(checkpoint);
        ModelFile.Save(checkpoint, SavePath ?? throw new InvalidOperationException("no checkpoint file was asked for"));
        return $"written to {SavePath}";
    }
}
