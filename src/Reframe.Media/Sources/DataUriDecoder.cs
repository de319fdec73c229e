using System.Text;
using Reframe.Core.Engines;

namespace Reframe.Media.Sources;

/// <summary>
/// Decodes an RFC 2397 <c>data:</c> URI (<c>data:[type][;param]*[;base64],payload</c>) into a stream in bounded
/// chunks: the URI string is already in memory, its decoded copy never is. Percent-escapes are honoured in both
/// forms (in base64 payloads too, as some clients escape '+' and '/'); whitespace inside base64 is skipped;
/// missing '=' padding is tolerated. Every malformed or oversized URI is a <see cref="ReframeFailure"/> named
/// <c>invalid_input</c> whose message says what is wrong.
/// </summary>
public static class DataUriDecoder
{
    private const string Prefix = "data:";
    private const int MaxHeaderChars = 1024;
    private const int ChunkChars = 64 * 1024; // a multiple of 4: whole base64 quanta per chunk

    public static bool IsDataUri(string text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the payload to <paramref name="destination"/>; returns its size and declared media type.</summary>
    public static async Task<(long Bytes, string? ContentType)> DecodeAsync(
        string dataUri, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataUri);
        ArgumentNullException.ThrowIfNull(destination);
        if (!IsDataUri(dataUri))
        {
            throw Invalid("it does not start with 'data:'");
        }

        var comma = dataUri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw Invalid("it has no ',' between the header and the data (expected data:video/mp4;base64,AAAA...)");
        }
        if (comma - Prefix.Length > MaxHeaderChars)
        {
            throw Invalid($"its header is longer than {MaxHeaderChars} characters");
        }
        var (contentType, isBase64) = ParseHeader(dataUri.AsSpan(Prefix.Length, comma - Prefix.Length));
        var payload = dataUri.AsMemory(comma + 1);
        if (payload.IsEmpty)
        {
            throw Invalid("it carries no data after the ','");
        }

        var sink = new LimitedSink(destination, maxBytes);
        if (isBase64)
        {
            await DecodeBase64Async(payload, sink, cancellationToken);
        }
        else
        {
            await DecodePercentAsync(payload, sink, cancellationToken);
        }
        await sink.FlushAsync(cancellationToken);
        if (sink.Total == 0)
        {
            throw Invalid("its data decodes to zero bytes");
        }
        return (sink.Total, contentType);
    }

    private static (string? ContentType, bool IsBase64) ParseHeader(ReadOnlySpan<char> header)
    {
        var parts = header.ToString().Split(';');
        var isBase64 = parts.Length > 1 && parts[^1].Trim().Equals("base64", StringComparison.OrdinalIgnoreCase);
        var type = parts[0].Trim();
        if (type.Length == 0)
        {
            return (null, isBase64);
        }
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == type.Length - 1 || !type.All(IsTokenCharOrSlash) || type.Count(c => c == '/') != 1)
        {
            throw Invalid($"its media type '{Shorten(type)}' is not of the form type/subtype (e.g. video/mp4)");
        }
        return (type.ToLowerInvariant(), isBase64);
    }

    private static async Task DecodeBase64Async(ReadOnlyMemory<char> payload, LimitedSink sink, CancellationToken token)
    {
        var quanta = new char[ChunkChars];
        var bytes = new byte[ChunkChars / 4 * 3];
        var filled = 0;
        var sawPadding = false;
        for (var i = 0; i < payload.Length; i++)
        {
            var (c, next) = ReadChar(payload.Span, i);
            i = next;
            if (char.IsWhiteSpace(c))
            {
                continue;
            }
            c = c switch { '-' => '+', '_' => '/', _ => c }; // base64url alphabet, as some clients send
            if (c == '=')
            {
                sawPadding = true;
            }
            else if (sawPadding || !IsBase64Char(c))
            {
                throw Invalid(sawPadding
                    ? "its base64 data continues after '=' padding"
                    : $"its base64 data contains '{Printable(c)}' at position {i}, which is not a base64 character");
            }
            quanta[filled++] = c;
            if (filled == quanta.Length)
            {
                await FlushBase64Async(quanta, filled, bytes, sink, token);
                filled = 0;
            }
        }
        if (filled % 4 == 1)
        {
            throw Invalid("its base64 data is truncated (the length is not a whole number of 4-character groups)");
        }
        while (filled % 4 != 0)
        {
            quanta[filled++] = '=';
        }
        await FlushBase64Async(quanta, filled, bytes, sink, token);
    }

    private static async Task FlushBase64Async(char[] quanta, int count, byte[] bytes, LimitedSink sink, CancellationToken token)
    {
        if (count == 0)
        {
            return;
        }
        if (!Convert.TryFromBase64Chars(quanta.AsSpan(0, count), bytes, out var written))
        {
            throw Invalid("its base64 data is malformed (misplaced '=' padding)");
        }
        await sink.WriteAsync(bytes.AsMemory(0, written), token);
    }

    private static async Task DecodePercentAsync(ReadOnlyMemory<char> payload, LimitedSink sink, CancellationToken token)
    {
        var buffer = new byte[ChunkChars];
        var filled = 0;
        var utf8 = new byte[4];
        for (var i = 0; i < payload.Length; i++)
        {
            if (filled > buffer.Length - 4)
            {
                await sink.WriteAsync(buffer.AsMemory(0, filled), token);
                filled = 0;
            }
            var span = payload.Span;
            if (span[i] == '%')
            {
                buffer[filled++] = (byte)DecodeEscape(span, i);
                i += 2;
            }
            else if (span[i] < 0x80)
            {
                buffer[filled++] = (byte)span[i];
            }
            else
            {
                // Raw non-ASCII text (a JSON string can carry it): take it as UTF-8, as a browser would.
                if (Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                {
                    throw Invalid($"it contains a broken UTF-16 character at position {i}");
                }
                var length = rune.EncodeToUtf8(utf8);
                utf8[..length].CopyTo(buffer.AsSpan(filled));
                filled += length;
                i += consumed - 1;
            }
        }
        await sink.WriteAsync(buffer.AsMemory(0, filled), token);
    }

    /// <summary>The character at <paramref name="i"/>, percent-decoded, and the index of its last source char.</summary>
    private static (char Value, int Last) ReadChar(ReadOnlySpan<char> span, int i) =>
        span[i] == '%' ? ((char)DecodeEscape(span, i), i + 2) : (span[i], i);

    private static int DecodeEscape(ReadOnlySpan<char> span, int i)
    {
        if (i + 2 >= span.Length || !char.IsAsciiHexDigit(span[i + 1]) || !char.IsAsciiHexDigit(span[i + 2]))
        {
            throw Invalid($"it has a '%' at position {i} that is not followed by two hex digits");
        }
        return (HexValue(span[i + 1]) << 4) | HexValue(span[i + 2]);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    private static bool IsTokenCharOrSlash(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '!' or '#' or '$' or '&' or '^' or '_' or '.' or '+' or '-';

    private static string Printable(char c) => char.IsControl(c) || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString();

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static ReframeFailure Invalid(string what) =>
        new(TaskErrorNames.InvalidInput, $"The data: URI is malformed: {what}.");

    /// <summary>Counts bytes on the way to the destination and stops the decode at the limit.</summary>
    private sealed class LimitedSink(Stream destination, long maxBytes)
    {
        public long Total { get; private set; }

        public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken token)
        {
            Total += bytes.Length;
            if (Total > maxBytes)
            {
                throw new ReframeFailure(TaskErrorNames.InvalidInput,
                    $"The data: URI decodes to more than the {HttpDownloader.Megabytes(maxBytes)} limit for inline data; " +
                    "send a smaller clip or pass it by http(s) URL.");
            }
            await destination.WriteAsync(bytes, token);
        }

        public Task FlushAsync(CancellationToken token) => destination.FlushAsync(token);
    }
}
