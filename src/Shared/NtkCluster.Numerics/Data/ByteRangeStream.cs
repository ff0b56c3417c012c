namespace NtkCluster.Numerics.Data;

/// <summary>
/// A read-only view of the next <c>length</c> bytes of a stream (fewer if the stream ends first): what a reader of
/// one byte range of a file (a partition of a large CSV file) reads, so that it cannot run into the next range.
/// Disposing it disposes the underlying stream.
/// </summary>
internal sealed class ByteRangeStream(Stream inner, long length) : Stream
{
    private long _left = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0 || buffer.IsEmpty) return 0;
        if (buffer.Length > _left) buffer = buffer[..(int)_left];
        int read = inner.Read(buffer);
        _left -= read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
