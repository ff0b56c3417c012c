namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>The process-wide choice of <see cref="IDenseBackend"/>.</summary>
public static class DenseBackend
{
    private static IDenseBackend _current = new ManagedDenseBackend();

    public static IDenseBackend Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }
}
