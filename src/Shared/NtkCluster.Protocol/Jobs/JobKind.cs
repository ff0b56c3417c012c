using NtkCluster.Numerics.Errors;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// What kind of job a submission is: its <see cref="Name"/> (in the client protocol, logs and <c>ntk status</c>) and
/// the short <see cref="IdPrefix"/> of its job ids. <see cref="Of"/> is the one place that tells submissions apart.
/// </summary>
/// <param name="Shippable">Whether a client can send it to a cluster coordinator (a streamed fit cannot).</param>
public sealed record JobKind(string Name, string IdPrefix, bool Shippable = true)
{
    public static readonly JobKind Fit = new("fit", "fit");
    public static readonly JobKind StreamedFit = new("fit", "fit", Shippable: false);
    public static readonly JobKind PartitionedFit = new("fit", "fit");
    public static readonly JobKind Spectral = new("spectral", "spectral");
    public static readonly JobKind Sweep = new("sweep", "sweep");
    public static readonly JobKind TrainNetwork = new("train-nn", "nn");
    public static readonly JobKind PartitionedTrainNetwork = new("train-nn", "nn");
    public static readonly JobKind Predict = new("predict", "predict");
    public static readonly JobKind PartitionedPredict = new("predict", "predict");
    public static readonly JobKind FoldFits = new("cv-fold", "cv");
    public static readonly JobKind PartitionedCrossValidation = new("cv", "cv");
    public static readonly JobKind PartitionedSweep = new("sweep", "sweep");
    public static readonly JobKind PartitionedScan = new("scan", "scan");

    /// <summary>The kind of a submission, or null for anything that is not one.</summary>
    public static JobKind? Of(object submission) => submission switch
    {
        SubmitFit => Fit,
        SubmitStreamedFit => StreamedFit,
        SubmitPartitionedFit => PartitionedFit,
        SubmitSpectral => Spectral,
        SubmitPartitionedSpectral => Spectral,
        SubmitSweep => Sweep,
        SubmitTrainNetwork => TrainNetwork,
        SubmitPartitionedTrainNetwork => PartitionedTrainNetwork,
        SubmitPredict => Predict,
        SubmitPartitionedPredict => PartitionedPredict,
        SubmitFoldFits => FoldFits,
        SubmitPartitionedCrossValidation => PartitionedCrossValidation,
        SubmitPartitionedSweep => PartitionedSweep,
        SubmitPartitionedScan => PartitionedScan,
        _ => null,
    };

    /// <summary>The kind of a submission a client sends to a cluster.</summary>
    /// <exception cref="InvalidInputException">A streamed fit: it reads its files where it runs.</exception>
    /// <exception cref="ArgumentException">Not a submission.</exception>
    public static JobKind OfShipped(object submission) => Of(submission) switch
    {
        { Shippable: true } kind => kind,
        { Shippable: false } => throw new InvalidInputException(
            "a streamed fit reads its files where it runs, so it runs locally only; drop --cluster, or drop --stream to ship the data"),
        null => throw new ArgumentException($"{submission.GetType().Name} cannot be sent to a cluster"),
    };
}
