using System.Buffers.Text;
using System.Security.Cryptography;

namespace Reframe.Core.Blobs;

/// <summary>
/// The blob keys Reframe writes. A result is <c>results/&lt;token&gt;.mp4</c>, the token being 256 random bits in
/// base64url: the token is the only secret guarding a result (as on the hosted service's media URLs), so it is
/// long, and a file name from a URL is checked strictly before it becomes a key.
/// </summary>
public static class BlobKeys
{
    public const string ResultsPrefix = "results/";
    private const int TokenBytes = 32;
    private const int TokenChars = 43; // base64url of 32 bytes, unpadded

    public static string NewResultToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static string Result(string token) => ResultsPrefix + token + ".mp4";

    /// <summary>The token of a result key or of a file name <c>&lt;token&gt;.mp4</c>; null for anything else.</summary>
    public static string? TokenOf(string keyOrFileName)
    {
        ArgumentNullException.ThrowIfNull(keyOrFileName);
        var name = keyOrFileName.StartsWith(ResultsPrefix, StringComparison.Ordinal) ? keyOrFileName[ResultsPrefix.Length..] : keyOrFileName;
        if (name.Length != TokenChars + 4 || !name.EndsWith(".mp4", StringComparison.Ordinal))
        {
            return null;
        }
        var token = name.AsSpan(0, TokenChars);
        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return null;
            }
        }
        return token.ToString();
    }

    /// <summary>Throws unless <paramref name="key"/> is relative, '/'-separated and free of empty, '.' and '..' segments.</summary>
    public static void Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > 512 || key.StartsWith('/') || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is not a blob key", nameof(key));
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                throw new ArgumentException($"'{key}' is not a blob key", nameof(key));
            }
        }
    }
}
