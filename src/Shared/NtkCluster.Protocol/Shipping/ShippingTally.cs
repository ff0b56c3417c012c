namespace NtkCluster.Protocol.Shipping;

/// <summary>What a client shipped during its jobs: partitions and bytes (thread-safe).</summary>
public sealed class ShippingTally
{
    private long _bytes;
    private int _units;

    public long Bytes => Interlocked.Read(ref _bytes);

    public int Units => Volatile.Read(ref _units);

    public void Add(long bytes)
    {
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _units);
    }
}
