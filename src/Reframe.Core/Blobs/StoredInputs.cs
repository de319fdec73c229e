using Reframe.Core.Requests;

namespace Reframe.Core.Blobs;

/// <summary>
/// Inputs sent inline (large <c>data:</c> URIs) are kept in the blob store, not in the task row: the API node stores
/// the URI's text as <c>inputs/&lt;task&gt;/&lt;field&gt;</c> and the stored request names it with a reference that is
/// itself a well-formed data URI (<c>data:application/x-reframe-stored-input,&lt;key&gt;</c>), so the request still
/// validates and means what the client was answered. The worker reads the blob back and fetches it like the original.
/// </summary>
public static class StoredInputs
{
    public const string InputsPrefix = "inputs/";

    /// <summary>Inline inputs above this many characters go to the blob store; smaller ones stay in the row.</summary>
    public const int InlineLimit = 64 * 1024;

    private const string ReferencePrefix = "data:application/x-reframe-stored-input,";

    public static string Key(Guid taskId, string field) => $"{InputsPrefix}{taskId:N}/{field}";

    public static string TaskPrefix(Guid taskId) => $"{InputsPrefix}{taskId:N}/";

    public static string Reference(string key) => ReferencePrefix + key;

    /// <summary>The blob key a stored request names instead of an inline input, or null for an ordinary URL.</summary>
    public static string? KeyOf(string urlOrDataUri)
    {
        ArgumentNullException.ThrowIfNull(urlOrDataUri);
        return urlOrDataUri.StartsWith(ReferencePrefix, StringComparison.Ordinal) ? urlOrDataUri[ReferencePrefix.Length..] : null;
    }

    /// <summary>Whether any input of the request (<see cref="FieldRole.Input"/>) is kept in the blob store.</summary>
    public static bool AnyIn(GenerationOptions request) =>
        RequestFields.All.OfType<UrlField>().Any(f => f.Role == FieldRole.Input && f.Get(request) is { } url && KeyOf(url) is not null);

    /// <summary>The task a key under <see cref="InputsPrefix"/> belongs to.</summary>
    public static Guid? TaskOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(InputsPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var slash = key.IndexOf('/', InputsPrefix.Length);
        return slash > 0 && Guid.TryParseExact(key.AsSpan(InputsPrefix.Length, slash - InputsPrefix.Length), "N", out var id) ? id : null;
    }
}
