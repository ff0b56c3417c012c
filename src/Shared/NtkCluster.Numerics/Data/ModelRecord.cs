using System.Text.Json.Serialization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The versioned model schema (<see cref="FormatTag"/>, <see cref="FormatVersion"/>): every field a model file holds,
/// documented in docs/model-format.md, and exactly what a model is on the cluster wire. <see cref="ModelCodec"/> maps
/// models to and from it, and writes it as the file's JSON or the wire's binary; the property names, snake-cased, are
/// the JSON names, and the declaration order is the order of both encodings.
/// </summary>
public sealed class ModelRecord
{
    public string? Format { get; set; }
    public int? FormatVersion { get; set; }
    public string? ProgramVersion { get; set; }
    public string? Kind { get; set; }
    public string? Task { get; set; }
    public string? LabelColumn { get; set; }
    public long[]? Classes { get; set; }
    public string[]? ClassNames { get; set; }
    public string? Formulation { get; set; }
    public string? Kernel { get; set; }
    public double Lambda { get; set; }
    public ulong Seed { get; set; }
    public string? Sampling { get; set; }
    public string? LeverageMode { get; set; }
    public int? Pool { get; set; }
    public string[]? FeatureNames { get; set; }
    public string[]? TargetNames { get; set; }
    public Preprocessor? Preprocessing { get; set; }
    public StoredMatrix? Draws { get; set; }
    public double[]? Weights { get; set; }
    public StoredMatrix? Coefficients { get; set; }
    public StoredMatrix? TrainingInputs { get; set; }
    public StoredMatrix? DualCoefficients { get; set; }
    public double? Kappa { get; set; }
    public double? LearningRate { get; set; }
    public int? Steps { get; set; }
    public StoredMatrix? NetworkWeights { get; set; }
    public double[]? Signs { get; set; }
    public double[]? Factors { get; set; }
    public StoredCheckpoint? Checkpoint { get; set; }
}

/// <summary>A train-nn checkpoint's resume state (<see cref="NetworkCheckpoint"/>).</summary>
public sealed class StoredCheckpoint
{
    public StoredMatrix? InitialWeights { get; set; }
    public string? Settings { get; set; }
    public string? DataFingerprint { get; set; }
    public StoredPoint[]? Trajectory { get; set; }
}

/// <summary>
/// One trajectory point. The binary encoding keeps the doubles as they are; JSON cannot hold a non-finite number, so
/// the file stores one as null (omitted), and a missing or null loss reads back as NaN.
/// </summary>
public sealed class StoredPoint
{
    public int Step { get; set; }

    [JsonPropertyName("loss")]
    public double? FileLoss { get => Finite(Loss); set => Loss = value ?? double.NaN; }

    [JsonPropertyName("train_gap")]
    public double? FileTrainGap { get => Finite(TrainGap); set => TrainGap = value; }

    [JsonPropertyName("kernel_drift")]
    public double? FileKernelDrift { get => Finite(KernelDrift); set => KernelDrift = value; }

    [JsonIgnore] public double Loss { get; set; } = double.NaN;
    [JsonIgnore] public double? TrainGap { get; set; }
    [JsonIgnore] public double? KernelDrift { get; set; }

    private static double? Finite(double? v) => v is double x && double.IsFinite(x) ? x : null;
}

/// <summary>
/// A matrix: rows, columns and (in JSON) its values in row-major order. Made from a model's matrix it holds that
/// matrix and makes the row-major copy only when JSON asks for it, so the binary encoding writes the matrix's own
/// storage; read from JSON it holds the values, checked against the shape when the model is built.
/// </summary>
public sealed class StoredMatrix
{
    private Matrix<double>? _matrix;
    private double[]? _values;

    public StoredMatrix()
    {
    }

    public StoredMatrix(Matrix<double> matrix)
    {
        _matrix = matrix ?? throw new ArgumentNullException(nameof(matrix));
        Rows = matrix.RowCount;
        Cols = matrix.ColumnCount;
    }

    public int Rows { get; set; }
    public int Cols { get; set; }

    public double[]? Values
    {
        get => _values ??= _matrix?.ToRowMajorArray();
        set
        {
            _values = value;
            _matrix = null;
        }
    }

    /// <summary>The matrix, checked against the shape its name and the model imply (<paramref name="expectedRows"/>
    /// −1: any number of rows).</summary>
    /// <exception cref="InvalidInputException">No values, values that do not fill the shape, or another shape.</exception>
    public Matrix<double> ToMatrix(int expectedRows, int expectedCols, string name)
    {
        if ((_matrix is null && _values is null) || Rows <= 0 || Cols <= 0 || (_matrix is null && (long)Rows * Cols != _values!.Length))
            throw new InvalidInputException($"\"{name}\" is not a {Rows}×{Cols} matrix");
        if (Cols != expectedCols || (expectedRows >= 0 && Rows != expectedRows))
            throw new InvalidInputException($"\"{name}\" is {Rows}×{Cols}, expected {(expectedRows >= 0 ? expectedRows.ToString() : "n")}×{expectedCols}");
        return _matrix ?? Matrix<double>.Build.DenseOfRowMajor(Rows, Cols, _values);
    }

    /// <summary>The matrix as held, unchecked (the binary encoding writes it; a JSON-read one is built from its values).</summary>
    public Matrix<double> AsMatrix() => _matrix ?? Matrix<double>.Build.DenseOfRowMajor(Rows, Cols, _values ?? []);
}
