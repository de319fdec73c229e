using System.Security.Cryptography;
using System.Text;

namespace Reframe.Server.Auth;

/// <summary>
/// The accepted keys, held only as SHA-256 hashes. A presented key is hashed and compared against every
/// accepted hash in constant time (no early exit, no dictionary probe), so timing tells nothing about which
/// bytes matched. Keys are long random strings, so a fast hash is the right tool here (as for GitHub tokens);
/// a password hash would only slow every request.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _hashes;

    public ApiKeyRing(IEnumerable<byte[]> hashes)
    {
        _hashes = hashes.Select(h => h.ToArray()).ToArray();
    }

    public int Count => _hashes.Length;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The owner id for tasks created with this key: hex of its hash (the key itself is never stored).</summary>
    public static string OwnerIdOf(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, 16));

    /// <summary>The owner id when <paramref name="presentedKey"/> is accepted, else null.</summary>
    public string? Authenticate(ReadOnlySpan<char> presentedKey)
    {
        if (presentedKey.IsEmpty || presentedKey.Length > 512)
        {
            return null;
        }
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presentedKey.Length)];
        var length = Encoding.UTF8.GetBytes(presentedKey, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        var match = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // Every hash is compared even after a match.
            var equal = CryptographicOperations.FixedTimeEquals(hash, _hashes[i]);
            match = equal ? i : match;
        }
        return match < 0 ? null : OwnerIdOf(_hashes[match]);
    }
}
