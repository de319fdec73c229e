using Reframe.Core.Blobs;
using Reframe.Server.Configuration;
using Reframe.Server.Errors;
using Reframe.Server.Results;

namespace Reframe.Server.Endpoints;

/// <summary>
/// <c>/files/&lt;token&gt;.mp4</c>: the results, on any API node. No key is asked (players and browsers must open the URL
/// as is, as with the hosted service's media URLs); the 256-bit token is the capability. The bytes are streamed from
/// the blob store with range support, or, with <c>REFRAME_BLOB_PUBLIC_URLS=presigned</c>, the answer is a redirect to
/// a short-lived presigned URL of the bucket (the task's URL stays the same on every node and every poll).
/// </summary>
public static class FilesEndpoints
{
    public static readonly TimeSpan PresignedLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapResultFiles(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/files/{fileName}", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, string fileName, IBlobStore blobs, ReframeSettings settings) =>
            {
                var key = ResultFiles.TryResolve(fileName);
                var info = key is null ? null : await blobs.StatAsync(key, context.RequestAborted).ConfigureAwait(false);
                if (info is null)
                {
                    await ApiErrors.Create(context, StatusCodes.Status404NotFound, "File not found.").ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }
                context.Response.Headers.CacheControl = "private, max-age=3600";
                if (settings.Blobs?.PresignedPublicUrls == true && blobs.PresignedReadUrl(info.Key, PresignedLifetime) is { } presigned)
                {
                    context.Response.Headers.CacheControl = "no-store";
                    context.Response.Redirect(presigned.AbsoluteUri);
                    return;
                }
                await BlobRangeResult.WriteAsync(context, blobs, info, "video/mp4").ConfigureAwait(false);
            })
            .WithName("GetResultFile")
            .WithTags("Files")
            .WithSummary("Download a result video (the URL comes from a completed task).");
        return app;
    }
}
