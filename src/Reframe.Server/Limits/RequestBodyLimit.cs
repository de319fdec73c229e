using Microsoft.AspNetCore.Http.Features;

namespace Reframe.Server.Limits;

/// <summary>
/// The request body limit (REFRAME_MAX_REQUEST_BYTES), enforced while reading so that no body is buffered past it,
/// with a bounded drain before the 413. An HTTP/1.1 server that answers while the client is still sending and then
/// closes the connection with unread bytes makes the kernel reset it, and the client often sees the reset instead of
/// the answer (and may send the same body again). So a body over the limit is read on and thrown away, at most as many
/// bytes again as the limit and for at most <see cref="DrainTime"/>, which lets the usual near-miss get its 413 on a
/// healthy connection; a body past that is cut off as before.
/// </summary>
internal static class RequestBodyLimit
{
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(5);

    /// <summary>Lets the server read up to the limit plus the drain allowance; returns the body to parse, which stops at the limit.</summary>
    public static Stream Open(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = DrainAllowance(limit);
        }
        return new LimitedBody(context.Request.Body, limit);
    }

    /// <summary>Whether a declared length is too large to be drained (the answer is then sent at once).</summary>
    public static bool IsBeyondDrain(long? contentLength, long limit) => contentLength > DrainAllowance(limit);

    /// <summary>Reads and discards the rest of the body, within the allowance and <see cref="DrainTime"/>; never throws.</summary>
    public static async Task DrainAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var time = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        time.CancelAfter(DrainTime);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, time.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Past the allowance: the server closes the connection after the answer, as it would have without the drain.
        }
        catch (OperationCanceledException)
        {
            // Too slow, or the client went away.
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    private static long DrainAllowance(long limit) => limit > long.MaxValue / 2 ? long.MaxValue : limit * 2;

    /// <summary>Thrown by the limited body when the request goes past the limit.</summary>
    internal sealed class TooLargeException() : IOException("The request body is over the limit.");

    /// <summary>Passes the body through until more than the limit has been read, then throws <see cref="TooLargeException"/>.</summary>
    private sealed class LimitedBody(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // One byte more than the limit may be read: that byte is what tells a body at the limit from one over it.
            var room = (int)Math.Min(buffer.Length, limit + 1 - _read);
            if (room <= 0)
            {
                throw new TooLargeException();
            }
            var n = await inner.ReadAsync(buffer[..room], cancellationToken).ConfigureAwait(false);
            _read += n;
            if (_read > limit)
            {
                throw new TooLargeException();
            }
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The request body is read asynchronously.");
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
