using System.Globalization;
using Reframe.Server.Contracts;
using Reframe.Server.Validation;

namespace Reframe.Server.Errors;

/// <summary>HTTP-level errors in the contract's body shape.</summary>
public static class ApiErrors
{
    public const string BodyValidation = "Body validation error!";
    public const string QueryValidation = "Query validation error!";

    public static IResult Create(HttpContext context, int statusCode, string message, IReadOnlyList<FieldError>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var details = errors?.Select(e => new FieldErrorDetail(e.Field, e.Expected, e.Received, $"'{e.Field}' must be {e.Expected}")).ToList();
        var body = new ErrorBody(
            message,
            context.Request.Path.Value ?? "/",
            context.TraceIdentifier,
            statusCode,
            time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            details);
        return TypedResults.Json(body, ServerJson.Default.ErrorBody, statusCode: statusCode);
    }

    public static IResult Unauthorized(HttpContext context) =>
        Create(context, StatusCodes.Status401Unauthorized, "Unauthorized: send a valid key as 'Authorization: Bearer <key>'.");

    public static IResult NotFound(HttpContext context) =>
        Create(context, StatusCodes.Status404NotFound, "Generation not found.");

    public static IResult TooLarge(HttpContext context, long limit) =>
        Create(context, StatusCodes.Status413PayloadTooLarge, $"Request body too large: the limit is {limit} bytes (REFRAME_MAX_REQUEST_BYTES).");

    public static IResult InvalidGenerationId(HttpContext context) =>
        Create(context, StatusCodes.Status400BadRequest, QueryValidation,
            [new FieldError("generation_id", "an id returned by POST /v2/video/generations (<uuid>:alibaba/wan2.2-vace-fun-a14b-reframe)",
                context.Request.Query.TryGetValue("generation_id", out var v) ? Abridge(v.ToString()) : "nothing")]);

    private static string Abridge(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 80), "...");
}
