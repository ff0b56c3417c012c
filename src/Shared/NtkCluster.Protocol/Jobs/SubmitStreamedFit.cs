using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator to fit a plain random-feature model on a training file that is read block by block rather
/// than loaded (see <see cref="KrrFitter.FitStreamedAsync"/>); answered with <see cref="FitOutcome"/> (without test
/// predictions, which would be as large as the test file) or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainRows">Rows of the training file, from the submitter's first pass over it.</param>
/// <param name="Preprocessing">Fitted on that first pass (<see cref="Preprocessor.FromMoments"/>).</param>
/// <param name="TestRows">Rows of the test file (0 without one).</param>
public sealed record SubmitStreamedFit(RowBlockSource Train, int TrainRows, Preprocessor Preprocessing, RowBlockSource? Test, int TestRows,
    FitSettings Settings) : INoSerializationVerificationNeeded;
