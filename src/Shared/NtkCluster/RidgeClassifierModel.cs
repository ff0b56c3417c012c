using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;

namespace NtkCluster;

/// <summary>
/// A one-vs-rest ridge classifier: one ±1 ridge target per class, the predicted class the one with the largest score
/// (what <c>ntk fit --task classify</c> fits).
/// </summary>
public sealed class RidgeClassifierModel : Model
{
    internal RidgeClassifierModel(KrrModel model) : base(model)
    {
        if (model.Classes is null) throw new ArgumentException("not a classifier", nameof(model));
        Ridge = model;
    }

    /// <summary>The math project's model.</summary>
    public KrrModel Ridge { get; }

    /// <summary>The classes, in score-column order (ascending).</summary>
    public IReadOnlyList<long> Classes => Ridge.Classes!.Labels;

    /// <summary>The predicted class of every row.</summary>
    public long[] Predict(double[,] x) => Ridge.Classes!.Decode(PredictMatrix(x));

    /// <summary>Every row's score for every class (one column per class, in <see cref="Classes"/> order).</summary>
    public double[,] Scores(double[,] x) => TableData.ToArray(PredictMatrix(x));

    public override void Save(string path) => ModelFile.Save(Ridge, path);
}
