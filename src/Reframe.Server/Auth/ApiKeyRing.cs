using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Reframe.Core.Auth;

namespace Reframe.Server.Auth;

/// <summary>
/// Decides whether a presented key is accepted: the keys of <c>REFRAME_API_KEYS</c> (held only as SHA-256 hashes,
/// compared in constant time with no early exit) and the key store (the keys file, or the database's table), asked
/// on every call so a key created with the CLI works on every node at once. A store's positive answer is remembered
/// for <see cref="AcceptedFor"/> to spare the database a query per request, so a revoked key stops working within
/// that time. Only the SHA-256 of the presented key is looked up, so lookup timing says nothing about the key.
/// </summary>
public sealed class ApiKeyRing
{
    public static readonly TimeSpan AcceptedFor = TimeSpan.FromSeconds(2);

    private readonly byte[][] _configured;
    private readonly IApiKeyStore? _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _recentlyAccepted = new(StringComparer.Ordinal);

    public ApiKeyRing(IEnumerable<byte[]> configuredHashes, IApiKeyStore? store = null, TimeProvider? time = null)
    {
        _configured = configuredHashes.Select(h => h.ToArray()).ToArray();
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Keys from REFRAME_API_KEYS.</summary>
    public int ConfiguredCount => _configured.Length;

    public static byte[] Hash(string key) => ApiKeys.Hash(key);

    /// <summary>The owner id for tasks created with this key: hex of its hash (the key itself is never stored).</summary>
    public static string OwnerIdOf(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, 16));

    /// <summary>The owner id when <paramref name="presentedKey"/> is accepted, else null.</summary>
    public async ValueTask<string?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        if (presentedKey.Length is 0 or > 512)
        {
            return null;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        var found = false;
        foreach (var candidate in _configured)
        {
            // Every hash is compared even after a match.
            found |= CryptographicOperations.FixedTimeEquals(hash, candidate);
        }
        if (!found && _store is not null)
        {
            var hex = Convert.ToHexStringLower(hash);
            var now = _time.GetTimestamp();
            if (_recentlyAccepted.TryGetValue(hex, out var until) && until > now)
            {
                found = true;
            }
            else if (await _store.ContainsAsync(hash, cancellationToken).ConfigureAwait(false))
            {
                found = true;
                if (_recentlyAccepted.Count > 10_000)
                {
                    _recentlyAccepted.Clear();
                }
                _recentlyAccepted[hex] = now + (long)(AcceptedFor.TotalSeconds * _time.TimestampFrequency);
            }
            else
            {
                _recentlyAccepted.TryRemove(hex, out _);
            }
        }
        return found ? OwnerIdOf(hash) : null;
    }
}
