using System.Security.Cryptography;
using System.Text;
using Reframe.Core.Requests;
using Reframe.Server.Validation;

namespace Reframe.Server.Tasks;

/// <summary>
/// The <c>Idempotency-Key</c> header of <c>POST /v2/video/generations</c>: a client that retries a submission (a timeout,
/// a dropped connection) gets the task it already created instead of a second one. Keys are scoped to the API key and
/// live as long as their task (until its retention ends, or it is deleted).
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>The header's value; null when absent. A present but unusable value is an error naming the header.</summary>
    public static (string? Key, FieldError? Error) Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }
        var key = values.Count == 1 ? values[0] : null;
        // Printable ASCII only: the key is compared byte for byte and may appear in logs.
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            var received = values.Count == 1 ? $"\"{(key!.Length > 80 ? key[..80] + "..." : key)}\"" : $"{values.Count} values";
            return (null, new FieldError(Header, $"one value of 1 to {MaxLength} printable ASCII characters", received));
        }
        return (key, null);
    }

    /// <summary>
    /// What a repeated key is compared on: the validated request in canonical form, so the same request written with
    /// other whitespace, field order or explicit defaults is the same request.
    /// </summary>
    public static string Hash(GenerationOptions options) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Core.Requests.StoredRequest.Write(options))));
}
