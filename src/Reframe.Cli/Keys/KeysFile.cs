using System.Security.Cryptography;
using System.Text;

namespace Reframe.Cli.Keys;

/// <summary>
/// The server's keys file, <c>api-keys.txt</c> in the data directory (the format is the server's:
/// src/Reframe.Server/Auth/ApiKeyFile.cs): one accepted key per line as <c>sha256:&lt;64 hex&gt; [label]</c>,
/// <c>#</c> starts a comment. Only hashes are stored, so a key is shown once, when created.
/// Kept here rather than referenced so the CLI does not pull in ASP.NET Core; a test checks that the
/// server accepts the keys this class writes.
/// </summary>
public static class KeysFile
{
    public const string FileName = "api-keys.txt";
    private const string Prefix = "sha256:";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Every key line of the file (comments and blank lines skipped), in file order.</summary>
    public static IReadOnlyList<KeyEntry> List(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var entries = new List<KeyEntry>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            if (TryParse(raw, out var entry))
            {
                entries.Add(entry);
            }
            else if (!IsBlankOrComment(raw))
            {
                throw new KeysFileException($"{path}:{lineNumber}: expected 'sha256:<64 hex digits> [label]'; fix or remove that line.");
            }
        }
        return entries;
    }

    /// <summary>Creates a random key, appends its hash with <paramref name="label"/> and returns the key (its only copy).</summary>
    public static string Create(string path, string label)
    {
        ValidateLabel(label);
        var key = "rf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var line = $"{Prefix}{HashHex(key)} {label}{Environment.NewLine}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        RestrictToOwner(path);
        return key;
    }

    /// <summary>
    /// Removes every key matching <paramref name="selector"/>: the key itself, a label, or a hash prefix of at
    /// least 8 hex digits (as <c>keys list</c> shows). The file is rewritten atomically; comments survive.
    /// </summary>
    public static IReadOnlyList<KeyEntry> Revoke(string path, string selector)
    {
        var entries = List(path);
        var selectorHash = HashHex(selector);
        var matches = entries.Where(e => Matches(e, selector, selectorHash)).ToList();
        if (matches.Count == 0)
        {
            return matches;
        }
        var kept = new StringBuilder();
        foreach (var raw in File.ReadLines(path))
        {
            if (TryParse(raw, out var entry) && matches.Any(m => m.HashHex == entry.HashHex))
            {
                continue;
            }
            kept.Append(raw).Append(Environment.NewLine);
        }
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, kept.ToString());
        RestrictToOwner(temporary);
        File.Move(temporary, path, overwrite: true);
        return matches;
    }

    public static string HashHex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static bool Matches(KeyEntry entry, string selector, string selectorHash) =>
        entry.HashHex == selectorHash
        || (entry.Label.Length > 0 && string.Equals(entry.Label, selector, StringComparison.Ordinal))
        || (selector.Length >= 8 && entry.HashHex.StartsWith(selector.ToLowerInvariant(), StringComparison.Ordinal)
            && selector.All(Uri.IsHexDigit));

    private static bool TryParse(string raw, out KeyEntry entry)
    {
        entry = default;
        var line = raw.Trim();
        if (IsBlankOrComment(line))
        {
            return false;
        }
        var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = parts[0];
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length != Prefix.Length + 64
            || token.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            return false;
        }
        entry = new KeyEntry(token[Prefix.Length..].ToLowerInvariant(), parts.Length > 1 ? parts[1] : "");
        return true;
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return trimmed.IsEmpty || trimmed[0] == '#';
    }

    private static void ValidateLabel(string label)
    {
        if (label.Length is 0 or > 100 || label.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || label.StartsWith('#'))
        {
            throw new KeysFileException($"label '{label}' must be 1..100 characters without spaces (e.g. 'alice-laptop').");
        }
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

/// <summary>One accepted key as stored: its SHA-256 (hex) and its label.</summary>
public readonly record struct KeyEntry(string HashHex, string Label)
{
    /// <summary>What <c>keys list</c> shows and <c>keys revoke</c> accepts.</summary>
    public string ShortHash => HashHex[..12];
}

/// <summary>A problem with the keys file that the operator can fix; reported without a stack trace.</summary>
public sealed class KeysFileException(string message) : Exception(message);
