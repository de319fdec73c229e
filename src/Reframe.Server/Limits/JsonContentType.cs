using Microsoft.Net.Http.Headers;
using Reframe.Server.Errors;
using Reframe.Server.Validation;

namespace Reframe.Server.Limits;

/// <summary>
/// The POST body must be declared JSON: a client that sends a form, XML or nothing at all gets 415 naming the
/// header, rather than a parse error about bytes it never meant as JSON.
/// </summary>
public static class JsonContentType
{
    /// <summary>Null when the request declares <c>application/json</c> (or a <c>+json</c> type); else the 415 to answer.</summary>
    public static IResult? Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.ContentType;
        if (header is not null && MediaTypeHeaderValue.TryParse(header, out var parsed)
            && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return ApiErrors.Create(context, StatusCodes.Status415UnsupportedMediaType,
            "Unsupported content type: send the body as 'Content-Type: application/json'.",
            [new FieldError("Content-Type", "application/json", header is null ? "nothing" : Abridge(header))]);
    }

    private static string Abridge(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 80), "...");
}
