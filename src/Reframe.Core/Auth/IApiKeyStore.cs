namespace Reframe.Core.Auth;

/// <summary>
/// The accepted API keys, as SHA-256 hashes with a label (a key itself is never stored: it is shown once, when
/// created). Implementations: the data directory's <c>api-keys.txt</c> (embedded default) and a database table
/// (several nodes). Changes are seen by every node without a restart.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Records an accepted key by its hash.</summary>
    Task AddAsync(byte[] sha256, string label, CancellationToken cancellationToken);

    /// <summary>Every accepted key, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes every key <see cref="ApiKeyRecord.Matches"/> selects; returns them.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> RevokeAsync(string selector, CancellationToken cancellationToken);

    /// <summary>Whether a key with this hash is accepted now.</summary>
    Task<bool> ContainsAsync(byte[] sha256, CancellationToken cancellationToken);
}

/// <summary>One accepted key: its SHA-256 (lower-case hex) and its label.</summary>
public sealed record ApiKeyRecord(string HashHex, string Label)
{
    /// <summary>What <c>keys list</c> shows and <c>keys revoke</c> accepts.</summary>
    public string ShortHash => HashHex[..12];

    /// <summary>
    /// True when <paramref name="selector"/> names this key: the key itself, its label, or a hash prefix of at least
    /// 8 hex digits (as <c>keys list</c> shows it).
    /// </summary>
    public bool Matches(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return HashHex == ApiKeys.HashHex(selector)
               || (Label.Length > 0 && string.Equals(Label, selector, StringComparison.Ordinal))
               || (selector.Length >= 8 && selector.All(Uri.IsHexDigit)
                   && HashHex.StartsWith(selector.ToLowerInvariant(), StringComparison.Ordinal));
    }
}
