using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// Training and test data for <c>--task classify</c>: the label column replaced by one ±1 score column per class
/// (the classes are the training set's distinct labels), with the labels kept to score the predictions. The fit
/// itself is then ordinary multi-target ridge, the same job on the same workers as a regression.
/// </summary>
public sealed record ClassificationData(Dataset Train, Dataset? Test, ClassLabels Classes, Matrix<double> TrainLabels, Matrix<double>? TestLabels)
{
    /// <summary>With <c>--missing mean|median</c>: the fill value of each feature column, for the model (null otherwise).</summary>
    public double[]? Fills { get; init; }

    public static ClassificationData Load(DataOptions data, TextWriter stderr, string command)
    {
        var loaded = data.Load(note => stderr.WriteLine($"ntk {command}: note: {note}"), labels: true,
            notice: notice => stderr.WriteLine($"ntk {command}: notice: {notice}"));
        var (train, test) = (loaded.Train, loaded.Test);
        var classes = loaded.Names is { } names ? ClassLabels.Named(train.TargetNames[0], names) : ClassLabels.FromTraining(train.TargetNames[0], train.Y);
        if (classes.Count < 2)
            throw new NtkCluster.Numerics.Errors.InvalidInputException(
                $"{data.TrainPath}: the training rows hold only one class ({classes.Text(classes.Labels[0])}) in '{classes.Column}': nothing to classify");
        var result = new ClassificationData(Encode(train, classes), test is null ? null : Encode(test, classes), classes, train.Y, test?.Y)
        {
            Fills = loaded.Fills,
        };
        if (test is not null)
        {
            var unseen = ClassificationScore.Of(classes, new long[test.Rows], test.Y);
            if (unseen.Unseen > 0)
                stderr.WriteLine($"ntk {command}: notice: {unseen.Unseen} test row(s) have labels not seen in training " +
                                 $"({(classes.IsText ? ClassifierOutcome.ListText(loaded.UnseenTest) : ClassifierOutcome.ListText(unseen.UnseenLabels))}); they count as errors");
        }
        return result;
    }

    /// <summary>The same rows with the label column replaced by the classes' ±1 columns.</summary>
    public static Dataset Encode(Dataset labelled, ClassLabels classes) =>
        new(labelled.FeatureNames, labelled.X, classes.ScoreNames(), classes.Encode(labelled.Y))
        {
            OneHot = labelled.OneHot, Categorical = labelled.Categorical,
        };
}
