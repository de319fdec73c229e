using System.Security.Cryptography;
using System.Text;
using Reframe.Core.Auth;

namespace Reframe.Storage.Files;

/// <summary>
/// The embedded default's <see cref="IApiKeyStore"/>: <c>api-keys.txt</c> in the data directory, one accepted key per
/// line as <c>sha256:&lt;64 hex&gt; [label]</c>, <c>#</c> starting a comment (operators may edit it by hand). The
/// file is read again whenever its size or time changes, so a key the CLI adds works without a restart.
/// </summary>
public sealed class FileApiKeyStore : IApiKeyStore
{
    public const string FileName = "api-keys.txt";
    private const string Prefix = "sha256:";

    private readonly Lock _gate = new();
    private (DateTime Written, long Length, byte[][] Hashes) _cache = (DateTime.MinValue, -1, []);

    public FileApiKeyStore(string path) => Path = path;

    public static FileApiKeyStore InDataDirectory(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, FileName));

    public string Path { get; }

    public Task AddAsync(byte[] sha256, string label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        ApiKeys.ValidateLabel(label);
        var line = $"{Prefix}{Convert.ToHexStringLower(sha256)} {label}{Environment.NewLine}";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(line));
            stream.Flush(flushToDisk: true);
        }
        RestrictToOwner(Path);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public Task<IReadOnlyList<ApiKeyRecord>> RevokeAsync(string selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var matches = Read().Where(e => e.Matches(selector)).ToList();
        if (matches.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ApiKeyRecord>>(matches);
        }
        var kept = new StringBuilder();
        foreach (var raw in File.ReadLines(Path))
        {
            if (TryParse(raw, out var entry) && matches.Any(m => m.HashHex == entry!.HashHex))
            {
                continue;
            }
            kept.Append(raw).Append(Environment.NewLine);
        }
        // Atomically: a reader sees the old file or the new one, never half of it. Comments survive.
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, kept.ToString());
        RestrictToOwner(temporary);
        File.Move(temporary, Path, overwrite: true);
        return Task.FromResult<IReadOnlyList<ApiKeyRecord>>(matches);
    }

    public Task<bool> ContainsAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        var found = false;
        foreach (var hash in Hashes())
        {
            // Every hash is compared even after a match, in constant time.
            found |= CryptographicOperations.FixedTimeEquals(hash, sha256);
        }
        return Task.FromResult(found);
    }

    private byte[][] Hashes()
    {
        var info = new FileInfo(Path);
        var written = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
        var length = info.Exists ? info.Length : -1;
        lock (_gate)
        {
            if (_cache.Written != written || _cache.Length != length)
            {
                _cache = (written, length, Read().Select(r => Convert.FromHexString(r.HashHex)).ToArray());
            }
            return _cache.Hashes;
        }
    }

    private IReadOnlyList<ApiKeyRecord> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        var entries = new List<ApiKeyRecord>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(Path))
        {
            lineNumber++;
            if (TryParse(raw, out var entry))
            {
                entries.Add(entry!);
            }
            else if (!IsBlankOrComment(raw))
            {
                throw new InvalidOperationException($"{Path}:{lineNumber}: expected 'sha256:<64 hex digits> [label]'; fix or remove that line.");
            }
        }
        return entries;
    }

    private static bool TryParse(string raw, out ApiKeyRecord? entry)
    {
        entry = null;
        if (IsBlankOrComment(raw))
        {
            return false;
        }
        var parts = raw.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = parts[0];
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length != Prefix.Length + 64
            || token.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            return false;
        }
        entry = new ApiKeyRecord(token[Prefix.Length..].ToLowerInvariant(), parts.Length > 1 ? parts[1] : "");
        return true;
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return trimmed.IsEmpty || trimmed[0] == '#';
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
