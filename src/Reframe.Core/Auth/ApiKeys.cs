using System.Security.Cryptography;
using System.Text;

namespace Reframe.Core.Auth;

/// <summary>
/// How keys are made and hashed, shared by the service, the CLI and every key store. Keys are long random strings,
/// so a fast hash is the right tool (as for GitHub tokens); a password hash would only slow every request.
/// </summary>
public static class ApiKeys
{
    public static string NewKey() =>
        "rf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexStringLower(Hash(key));

    /// <summary>Throws unless <paramref name="label"/> is 1..100 characters without spaces (it is stored beside the hash).</summary>
    public static void ValidateLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length is 0 or > 100 || label.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || label.StartsWith('#'))
        {
            throw new ArgumentException($"label '{label}' must be 1..100 characters without spaces (e.g. 'alice-laptop').", nameof(label));
        }
    }
}
