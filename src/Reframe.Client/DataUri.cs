namespace Reframe.Client;

/// <summary>Builds and reads the <c>data:</c> URIs the contract accepts for inputs and returns in <c>sync_mode</c>.</summary>
public static class DataUri
{
    /// <summary>A base64 <c>data:</c> URI of a local file; the media type is guessed from its extension.</summary>
    public static async Task<string> FromFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return FromBytes(bytes, MediaTypeOf(path));
    }

    public static string FromBytes(ReadOnlySpan<byte> bytes, string mediaType) =>
        $"data:{mediaType};base64,{Convert.ToBase64String(bytes)}";

    public static bool IsDataUri(string value) => value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes a <c>data:</c> URI (base64 or percent-encoded) into its bytes.</summary>
    /// <exception cref="FormatException">The value is not a well-formed data URI.</exception>
    public static byte[] Decode(string dataUri, out string mediaType)
    {
        if (!IsDataUri(dataUri))
        {
            throw new FormatException("not a data: URI");
        }
        var comma = dataUri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new FormatException("a data: URI needs a comma before its payload");
        }
        var header = dataUri.AsSpan(5, comma - 5);
        var payload = dataUri.AsSpan(comma + 1);
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var typePart = isBase64 ? header[..^7] : header;
        var semicolon = typePart.IndexOf(';');
        mediaType = (semicolon < 0 ? typePart : typePart[..semicolon]).ToString();
        if (mediaType.Length == 0)
        {
            mediaType = "text/plain";
        }
        return isBase64
            ? Convert.FromBase64String(payload.ToString())
            : System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload.ToString()));
    }

    public static string MediaTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => "video/mp4",
        ".mov" => "video/quicktime",
        ".webm" => "video/webm",
        ".mkv" => "video/x-matroska",
        ".avi" => "video/x-msvideo",
        ".gif" => "image/gif",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };
}
