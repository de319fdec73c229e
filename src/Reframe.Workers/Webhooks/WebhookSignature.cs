using System.Security.Cryptography;

namespace Reframe.Workers.Webhooks;

/// <summary>
/// How a delivery is signed, as a receiver checks it: <c>X-Reframe-Signature: sha256=&lt;hex&gt;</c> where hex is
/// HMAC-SHA256(secret, raw request body). <c>X-Reframe-Delivery</c> is the same on every retry of one task's
/// delivery (deduplicate on it); <c>X-Reframe-Timestamp</c> is the attempt's Unix time in seconds (reject old ones
/// to limit replays).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Reframe-Signature";
    public const string DeliveryHeader = "X-Reframe-Delivery";
    public const string TimestampHeader = "X-Reframe-Timestamp";
    public const string AttemptHeader = "X-Reframe-Attempt";
    private const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Constant-time check of a received signature header against the body.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return false;
        }
        byte[] received;
        try
        {
            received = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(received, HMACSHA256.HashData(secret, body));
    }
}
