using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary>A fitted one-vs-rest classifier and its accuracy on the training and test rows.</summary>
public sealed record ClassifierOutcome(KrrModel Model, ClassificationScore Train, ClassificationScore? Test)
{
    /// <summary>
    /// Scores a multi-target fit of one-vs-rest targets: the test scores come with the fit; the training scores are
    /// one more predict job through the same runner (on a cluster, sharded over the workers like the fit).
    /// </summary>
    public static async Task<ClassifierOutcome> ScoreAsync(IJobRunner runner, FitOutcome fit, ClassificationData data)
    {
        var model = fit.Model.AsClassifier(data.Classes);
        var trainScores = await runner.RunAsync<Matrix<double>>(new SubmitPredict(fit.Model, data.Train.X));
        var train = ClassificationScore.Of(data.Classes, data.Classes.Decode(trainScores), data.TrainLabels);
        ClassificationScore? test = null;
        if (data.Test is not null)
            test = ClassificationScore.Of(data.Classes, data.Classes.Decode(fit.TestPredictions!), data.TestLabels!);
        return new ClassifierOutcome(model, train, test);
    }

    /// <summary><c>train accuracy 0.99 (297/300), test accuracy 0.97 (97/100; 2 of unseen classes)</c>.</summary>
    public string SummaryText() => "train accuracy " + Text(Train) + (Test is null ? "" : ", test accuracy " + Text(Test));

    private static string Text(ClassificationScore s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Accuracy:0.0000} ({s.Correct}/{s.Rows}{(s.Unseen > 0 ? $"; {s.Unseen} of unseen classes" : "")})");

    /// <summary>A label list for one line: all of them up to 12, else the first and last few.</summary>
    public static string ListText(long[] labels) => labels.Length <= 12
        ? string.Join(", ", labels)
        : string.Join(", ", labels.Take(5)) + ", …, " + string.Join(", ", labels.TakeLast(3));
}
