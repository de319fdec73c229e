using System.Globalization;
using Microsoft.Net.Http.Headers;
using Reframe.Core.Blobs;

namespace Reframe.Server.Results;

/// <summary>
/// Streams a blob from any store with HTTP range support (one range: what players ask for; several ranges are
/// answered with the whole body, which RFC 9110 allows). ASP.NET's own range handling needs a seekable stream,
/// which a bucket does not give, so the store reads exactly the asked bytes instead.
/// </summary>
public static class BlobRangeResult
{
    public static async Task WriteAsync(HttpContext context, IBlobStore blobs, BlobInfo info, string contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(info);
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.LastModified = info.LastModified.ToString("R", CultureInfo.InvariantCulture);
        ByteRange? range = null;
        if (TryParseRange(context.Request.Headers.Range.ToString(), info.Length, out var parsed, out var unsatisfiable))
        {
            range = parsed;
        }
        else if (unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{info.Length}";
            return;
        }
        await using var content = await blobs.OpenReadAsync(info.Key, range, context.RequestAborted).ConfigureAwait(false);
        if (content is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {content.Offset}-{content.Offset + content.Length - 1}/{content.TotalLength}";
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        await content.Stream.CopyToAsync(response.Body, 1 << 16, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One satisfiable byte range of a <paramref name="length"/>-byte body. False with <paramref name="unsatisfiable"/>
    /// when the header asks only for bytes past the end; false otherwise (no header, several ranges, malformed: the whole body).
    /// </summary>
    public static bool TryParseRange(string header, long length, out ByteRange range, out bool unsatisfiable)
    {
        range = default;
        unsatisfiable = false;
        if (string.IsNullOrEmpty(header) || !RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return false;
        }
        var item = parsed.Ranges.First();
        long from, to;
        if (item.From is null)
        {
            // A suffix: the last N bytes.
            var suffix = Math.Min(item.To ?? 0, length);
            if (suffix <= 0)
            {
                unsatisfiable = true;
                return false;
            }
            from = length - suffix;
            to = length - 1;
        }
        else
        {
            from = item.From.Value;
            to = Math.Min(item.To ?? length - 1, length - 1);
            if (from >= length || from > to)
            {
                unsatisfiable = true;
                return false;
            }
        }
        range = new ByteRange(from, to - from + 1);
        return true;
    }
}
