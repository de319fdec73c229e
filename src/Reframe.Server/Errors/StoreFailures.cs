using System.Data.Common;
using Reframe.Core.Blobs;

namespace Reframe.Server.Errors;

/// <summary>
/// Failures of the shared stores (the database, the object store) are the service's, and transient: the API answers
/// 503 with <c>Retry-After</c> and a message saying so, rather than a bare 500. Nothing was half-written: a submission
/// is answered 200 only after its commit, so a client that retries a 503 loses nothing.
/// </summary>
public static class StoreFailures
{
    public const int RetryAfterSeconds = 5;

    public static bool IsStoreFailure(Exception? e) => e switch
    {
        null => false,
        DbException or BlobStoreUnavailableException => true,
        _ => IsStoreFailure(e.InnerException),
    };

    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiErrors.Create(context, StatusCodes.Status503ServiceUnavailable,
            "The service's storage is unavailable right now; nothing was recorded. Retry after the time in the Retry-After header.").ExecuteAsync(context);
    }
}
