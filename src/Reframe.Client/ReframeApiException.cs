using System.Net;

namespace Reframe.Client;

/// <summary>
/// The server answered a non-success HTTP status. <see cref="Body"/> is the parsed error object when the
/// body was one, <see cref="RawBody"/> the text as received (trimmed to a few kilobytes).
/// A generation that failed is NOT this exception: it is a <see cref="Generation"/> with status <c>error</c>.
/// </summary>
public sealed class ReframeApiException : Exception
{
    public ReframeApiException(HttpStatusCode statusCode, ApiErrorBody? body, string rawBody, Exception? inner = null)
        : base(Describe(statusCode, body, rawBody), inner)
    {
        StatusCode = statusCode;
        Body = body;
        RawBody = rawBody;
    }

    public HttpStatusCode StatusCode { get; }
    public ApiErrorBody? Body { get; }
    public string RawBody { get; }

    private static string Describe(HttpStatusCode statusCode, ApiErrorBody? body, string rawBody)
    {
        var detail = body?.Message ?? (rawBody.Length > 0 ? rawBody : "no body");
        var extra = body?.Details is { } details ? " " + details.GetRawText() : "";
        return $"HTTP {(int)statusCode} {statusCode}: {detail}{extra}";
    }
}
