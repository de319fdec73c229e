using Reframe.Core.Requests;

namespace Reframe.Server.Tasks;

/// <summary>Public ids look like the hosted ones: <c>&lt;uuid&gt;:alibaba/wan2.2-vace-fun-a14b-reframe</c>.</summary>
public static class GenerationIds
{
    private const string Suffix = ":" + GenerationOptions.ModelId;

    public static string Format(Guid id) => id.ToString("D") + Suffix;

    /// <summary>Parses a public id; false for anything else (a bare uuid included: ids are opaque and exact).</summary>
    public static bool TryParse(string? value, out Guid id)
    {
        id = default;
        return value is not null
            && value.Length == 36 + Suffix.Length
            && value.EndsWith(Suffix, StringComparison.Ordinal)
            && Guid.TryParseExact(value.AsSpan(0, 36), "D", out id);
    }
}
