using System.Text.Json;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The model file: UTF-8 JSON, documented in docs/model-format.md — the JSON encoding of <see cref="ModelCodec"/>'s
/// schema. JSON because users open model files to see what they hold; doubles are written in shortest round-trip
/// form, so nothing is lost. Written atomically.
/// </summary>
public static class ModelFile
{
    public static void Save(KrrModel model, string path) => Write(model, path);

    public static void Save(NetworkModel model, string path) => Write(model, path);

    private static void Write(IPredictiveModel model, string path)
    {
        string json;
        try
        {
            json = ModelCodec.ToJson(model);
        }
        catch (ArgumentException e) when (e.Message.Contains("infinity", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("NaN", StringComparison.Ordinal))
        {
            // JSON has no infinity or NaN: a model holding one is a failed fit, refused before anything is written.
            throw new NonFiniteValueException($"the model holds a number that is not finite, so it is not written: {NonFiniteValueException.Causes}");
        }
        AtomicFile.WriteAllText(path, json + "\n");
    }

    /// <summary>A kernel ridge model; a network model file is refused with a message saying so.</summary>
    public static KrrModel Load(string path) => LoadAny(path) as KrrModel
        ?? throw new InvalidInputException($"{path}: is a network model, not a kernel ridge model");

    /// <summary>Any model this program writes: kernel ridge (exact or random features) or a trained network.</summary>
    public static IPredictiveModel LoadAny(string path)
    {
        if (Directory.Exists(path)) throw new InvalidInputException($"{path}: is a directory, not a model file");
        if (!File.Exists(path)) throw new InvalidInputException($"model file not found: {path}");
        ModelRecord? record;
        try
        {
            record = ModelCodec.ParseJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $":{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new InvalidInputException($"{path}{where}: not a readable NtkCluster model (truncated or not JSON)");
        }
        try
        {
            ModelCodec.CheckFormat(record);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"{path}: {e.Message}");
        }
        try
        {
            return ModelCodec.FromRecord(record!);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"{path}: inconsistent model file: {e.Message}");
        }
    }
}
