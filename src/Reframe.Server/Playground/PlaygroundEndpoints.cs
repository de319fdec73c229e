using System.Collections.Frozen;

namespace Reframe.Server.Playground;

/// <summary>
/// Serves the playground (plain HTML/CSS/JS embedded in this assembly, so it works from any content root and
/// in a single-file publish) at <c>/playground/</c>, and sends <c>/</c> there.
/// </summary>
public static class PlaygroundEndpoints
{
    private const string ResourcePrefix = "playground/";

    // Only these files exist; anything else is a 404 rather than a lookup in the assembly by a caller's name.
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["playground.css"] = "text/css; charset=utf-8",
        ["playground.js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The page talks only to this origin; result videos may live elsewhere (a CDN, or inline data: URIs).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "media-src 'self' data: blob: https: http:; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Redirect("/playground/")).ExcludeFromDescription();
        // One route for "/playground" and "/playground/..." (routing ignores a trailing slash): the bare form is sent
        // to the slashed one so the page's relative URLs resolve under /playground/.
        endpoints.MapGet("/playground/{file?}", (string? file, HttpContext context) =>
                file is null && !context.Request.Path.Value!.EndsWith('/')
                    ? TypedResults.Redirect("/playground/")
                    : Serve(file ?? "index.html", context))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(string file, HttpContext context)
    {
        if (!ContentTypes.TryGetValue(file, out var contentType))
        {
            return TypedResults.NotFound();
        }
        var stream = typeof(PlaygroundEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Stream(stream, contentType);
    }

}
