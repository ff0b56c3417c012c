using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// The binary serializer of the data plane's messages (<see cref="IShippingMessage"/>) in the primitives of
/// <see cref="PayloadWriter"/>: one format-version byte, then the fields in declaration order. The bytes of a shipped
/// partition are not among them: they travel as the client protocol's <c>TransferChunk</c>s.
/// </summary>
public sealed class ShippingMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id on the wire (the cluster's is 7411, the client protocol's 7412).</summary>
    public const int SerializerId = 7413;

    /// <summary>The first byte of every payload. Bump it when a message's layout changes incompatibly.</summary>
    public const byte FormatVersion = 1;

    public const string ProbeFilesManifest = "s-probe", FilesProbedManifest = "s-probed", RequestPartitionManifest = "s-request",
        PartitionNotShippedManifest = "s-not-shipped", ShipPartitionManifest = "s-ship", PartitionShipmentManifest = "s-shipment",
        ShipmentSealedManifest = "s-sealed", ShipmentFailedManifest = "s-failed";

    public const string ProbeOutputManifest = "s-probe-out", OutputProbedManifest = "s-probed-out", PredictionPartStreamManifest = "s-part",
        PredictionPartSealedManifest = "s-part-sealed", PredictionPartStoredManifest = "s-part-stored", PredictionPartFailedManifest = "s-part-failed";

    public static IReadOnlyList<string> Manifests { get; } =
    [
        ProbeFilesManifest, FilesProbedManifest, RequestPartitionManifest, PartitionNotShippedManifest, ShipPartitionManifest,
        PartitionShipmentManifest, ShipmentSealedManifest, ShipmentFailedManifest,
        ProbeOutputManifest, OutputProbedManifest, PredictionPartStreamManifest, PredictionPartSealedManifest, PredictionPartStoredManifest,
        PredictionPartFailedManifest,
    ];

    public ShippingMessageSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ProbeFiles => ProbeFilesManifest,
        FilesProbed => FilesProbedManifest,
        RequestPartition => RequestPartitionManifest,
        PartitionNotShipped => PartitionNotShippedManifest,
        ShipPartition => ShipPartitionManifest,
        PartitionShipment => PartitionShipmentManifest,
        ShipmentSealed => ShipmentSealedManifest,
        ShipmentFailed => ShipmentFailedManifest,
        ProbeOutput => ProbeOutputManifest,
        OutputProbed => OutputProbedManifest,
        PredictionPartStream => PredictionPartStreamManifest,
        PredictionPartSealed => PredictionPartSealedManifest,
        PredictionPartStored => PredictionPartStoredManifest,
        PredictionPartFailed => PredictionPartFailedManifest,
        _ => throw new SerializationException($"{nameof(ShippingMessageSerializer)} does not serialize {o?.GetType().FullName ?? "null"}"),
    };

    public override byte[] ToBinary(object obj)
    {
        var w = new PayloadWriter();
        w.WriteByte(FormatVersion);
        try
        {
            switch (obj)
            {
                case ProbeFiles m:
                    w.WriteString(m.RequestId); w.WriteStrings(m.Paths);
                    break;
                case FilesProbed m:
                    w.WriteString(m.RequestId); w.WriteString(m.Worker);
                    w.WriteInt32(m.Files.Length);
                    foreach (var f in m.Files)
                    {
                        w.WriteString(f.Path); w.WriteInt64(f.Size); w.WriteString(f.SampleHash); w.WriteOptionalString(f.Error);
                    }
                    break;
                case RequestPartition m:
                    w.WriteString(m.TransferId); w.WriteDataPartition(m.Partition);
                    break;
                case PartitionNotShipped m:
                    w.WriteString(m.TransferId);
                    break;
                case ShipPartition m:
                    w.WriteString(m.RequestId); w.WriteString(m.TransferId); w.WriteDataPartition(m.Partition);
                    break;
                case PartitionShipment m:
                    w.WriteString(m.TransferId); w.WriteInt64(m.Bytes); w.WriteInt32(m.Chunks);
                    break;
                case ShipmentSealed m:
                    w.WriteString(m.TransferId); w.WriteString(m.Sha256);
                    break;
                case ShipmentFailed m:
                    w.WriteString(m.TransferId); w.WriteString(m.Reason); w.WriteBool(m.IsBadInput);
                    break;
                case ProbeOutput m:
                    w.WriteString(m.RequestId); w.WriteString(m.Directory);
                    break;
                case OutputProbed m:
                    w.WriteString(m.RequestId); w.WriteString(m.Worker); w.WriteOptionalString(m.Error);
                    break;
                case PredictionPartStream m:
                    w.WriteString(m.TransferId); w.WriteString(m.PartName); w.WriteInt64(m.Bytes); w.WriteInt32(m.Chunks);
                    break;
                case PredictionPartSealed m:
                    w.WriteString(m.TransferId); w.WriteString(m.Sha256);
                    break;
                case PredictionPartStored m:
                    w.WriteString(m.TransferId);
                    break;
                case PredictionPartFailed m:
                    w.WriteString(m.TransferId); w.WriteString(m.Reason);
                    break;
                default:
                    throw new SerializationException($"{nameof(ShippingMessageSerializer)} does not serialize {obj?.GetType().FullName ?? "null"}");
            }
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new SerializationException($"{nameof(ShippingMessageSerializer)} (id {SerializerId}) cannot write a {obj.GetType().Name}: {e.Message}", e);
        }
        return w.ToPayload();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Manifests.Contains(manifest))
            throw new SerializationException(
                $"{nameof(ShippingMessageSerializer)} (id {SerializerId}) does not know the manifest '{manifest}' ({bytes.Length} bytes); " +
                "is the other side running a different version of ntk?");
        var r = new PayloadReader(bytes);
        byte version = r.ReadByte("the format version");
        if (version != FormatVersion)
            throw new SerializationException(
                $"{nameof(ShippingMessageSerializer)}: a '{manifest}' message has format version {version}, this program reads {FormatVersion}; " +
                "every node and client must run the same version of ntk");
        object message = manifest switch
        {
            ProbeFilesManifest => new ProbeFiles(r.ReadString("the request id"), r.ReadStrings("the paths")),
            FilesProbedManifest => ReadProbed(ref r),
            RequestPartitionManifest => new RequestPartition(r.ReadString("the transfer id"), r.ReadDataPartition()),
            PartitionNotShippedManifest => new PartitionNotShipped(r.ReadString("the transfer id")),
            ShipPartitionManifest => new ShipPartition(r.ReadString("the request id"), r.ReadString("the transfer id"), r.ReadDataPartition()),
            PartitionShipmentManifest => new PartitionShipment(r.ReadString("the transfer id"), r.ReadInt64("the unit's size"), r.ReadInt32("the chunk count")),
            ShipmentSealedManifest => new ShipmentSealed(r.ReadString("the transfer id"), r.ReadString("the hash")),
            ProbeOutputManifest => new ProbeOutput(r.ReadString("the request id"), r.ReadString("the directory")),
            OutputProbedManifest => new OutputProbed(r.ReadString("the request id"), r.ReadString("the worker"), r.ReadOptionalString("the error")),
            PredictionPartStreamManifest => new PredictionPartStream(r.ReadString("the transfer id"), r.ReadString("the part's name"),
                r.ReadInt64("the part's size"), r.ReadInt32("the chunk count")),
            PredictionPartSealedManifest => new PredictionPartSealed(r.ReadString("the transfer id"), r.ReadString("the hash")),
            PredictionPartStoredManifest => new PredictionPartStored(r.ReadString("the transfer id")),
            PredictionPartFailedManifest => new PredictionPartFailed(r.ReadString("the transfer id"), r.ReadString("the reason")),
            _ => new ShipmentFailed(r.ReadString("the transfer id"), r.ReadString("the reason"), r.ReadBool("the bad-input flag")),
        };
        r.ExpectEnd();
        return message;
    }

    private static FilesProbed ReadProbed(ref PayloadReader r)
    {
        string id = r.ReadString("the request id");
        string worker = r.ReadString("the worker");
        var files = new ProbedFile[r.ReadCount("the files", 17)];
        for (int i = 0; i < files.Length; i++)
            files[i] = new ProbedFile(r.ReadString("a path"), r.ReadInt64("a size"), r.ReadString("a hash"), r.ReadOptionalString("an error"));
        return new FilesProbed(id, worker, files);
    }
}
