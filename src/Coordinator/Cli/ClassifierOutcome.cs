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

    /// <summary>
    /// The confusion matrix and per-class precision, recall and F1 of the test rows (of the training rows when there is
    /// no test set), as text lines (<see cref="ClassMetrics.Table"/>); empty without a confusion matrix.
    /// </summary>
    public string MetricsText()
    {
        var (score, title) = Test is not null ? (Test, "test rows") : (Train, "training rows");
        return score.Confusion is { } confusion ? ClassMetrics.Of(Model.Classes!, confusion).Table(title) : "";
    }

    private static string Text(ClassificationScore s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Accuracy:0.0000} ({s.Correct}/{s.Rows}{(s.Unseen > 0 ? $"; {s.Unseen} of unseen classes" : "")})");

    /// <summary>A label list for one line: all of them up to 12, else the first and last few.</summary>
    public static string ListText(long[] labels) => ListText(labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray());

    /// <summary>A list of labels as text for one line: all of them up to 12, else the first and last few.</summary>
    public static string ListText(IReadOnlyList<string> labels) => labels.Count <= 12
        ? string.Join(", ", labels)
        : string.Join(", ", labels.Take(5)) + ", …, " + string.Join(", ", labels.TakeLast(3));

    /// <summary>The classes' labels for one line (<see cref="ListText(IReadOnlyList{string})"/>).</summary>
    public static string ListText(ClassLabels classes) => ListText(classes.Texts(classes.Labels));

    /// <summary>The classes as a JSON array: numbers for integer classes, strings for text classes.</summary>
    public static JsonLine.Raw ClassesJson(ClassLabels classes) =>
        classes.IsText ? JsonLine.Array(classes.Names!.Cast<object?>()) : JsonLine.Array(classes.Labels.Cast<object?>());

    /// <summary>
    /// The per-class report of a score as a JSON object: classes, confusion (rows: true class), precision, recall, f1,
    /// support, macro_f1; null when the score has no confusion matrix.
    /// </summary>
    public static JsonLine? MetricsJson(ClassLabels classes, ClassificationScore? score)
    {
        if (score?.Confusion is not { } confusion) return null;
        var m = ClassMetrics.Of(classes, confusion);
        int c = classes.Count;
        var rows = Enumerable.Range(0, c).Select(t => (object?)JsonLine.Array(confusion.Skip(t * c).Take(c).Cast<object?>()));
        return new JsonLine().Add("confusion", JsonLine.Array(rows))
            .Add("precision", JsonLine.Array(m.Precision.Cast<object?>())).Add("recall", JsonLine.Array(m.Recall.Cast<object?>()))
            .Add("f1", JsonLine.Array(m.F1.Cast<object?>())).Add("support", JsonLine.Array(m.Support.Cast<object?>()))
            .Add("macro_f1", m.MacroF1);
    }
}
