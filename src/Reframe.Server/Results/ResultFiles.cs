using System.Buffers.Text;
using System.Security.Cryptography;
using Reframe.Server.Configuration;

namespace Reframe.Server.Results;

/// <summary>
/// Where results live: <c>results/&lt;token&gt;.mp4</c> under the data directory, the token being 256 random bits.
/// The token is the only secret guarding a result (as on the hosted service's media URLs), so it is long and
/// checked strictly before it touches the file system.
/// </summary>
public sealed class ResultFiles
{
    private const int TokenBytes = 32;
    private const int TokenChars = 43; // base64url of 32 bytes, unpadded

    public ResultFiles(ReframeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory = settings.ResultsDirectory;
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public string PathOf(string token) => Path.Combine(Directory, token + ".mp4");

    /// <summary>The file for a URL segment like <c>&lt;token&gt;.mp4</c>, or null when the name is not one of ours.</summary>
    public string? TryResolve(string fileName)
    {
        if (fileName.Length != TokenChars + 4 || !fileName.EndsWith(".mp4", StringComparison.Ordinal))
        {
            return null;
        }
        var token = fileName.AsSpan(0, TokenChars);
        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return null;
            }
        }
        return PathOf(token.ToString());
    }

    public static string RelativeUrl(string token) => "/files/" + token + ".mp4";
}
