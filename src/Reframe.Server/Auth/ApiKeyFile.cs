using System.Security.Cryptography;

namespace Reframe.Server.Auth;

/// <summary>
/// <c>api-keys.txt</c> in the data directory: one accepted key per line, as <c>sha256:&lt;hex&gt;</c>, optionally
/// followed by a label; <c>#</c> starts a comment. Operators add keys with
/// <c>printf 'sha256:%s laptop\n' "$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" &gt;&gt; data/api-keys.txt</c>.
/// </summary>
public static class ApiKeyFile
{
    public const string FileName = "api-keys.txt";
    private const string Prefix = "sha256:";

    public static IReadOnlyList<byte[]> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var hashes = new List<byte[]>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var token = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
            if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length != Prefix.Length + 64)
            {
                throw new InvalidOperationException($"{path}:{lineNumber}: expected 'sha256:<64 hex digits> [label]'.");
            }
            try
            {
                hashes.Add(Convert.FromHexString(token.AsSpan(Prefix.Length)));
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"{path}:{lineNumber}: the hash is not hexadecimal.", ex);
            }
        }
        return hashes;
    }

    /// <summary>Creates a new random key, appends its hash to the file and returns the key (the only copy).</summary>
    public static string CreateKey(string path, string label)
    {
        var key = "rf_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var line = $"{Prefix}{Convert.ToHexStringLower(ApiKeyRing.Hash(key))} {label}{Environment.NewLine}";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
