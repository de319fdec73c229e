using Reframe.Server.Errors;
using Reframe.Server.Results;

namespace Reframe.Server.Endpoints;

/// <summary>
/// <c>/files/&lt;token&gt;.mp4</c>: the results. No key is asked (players and browsers must open the URL as is,
/// as with the hosted service's media URLs); the 256-bit token is the capability.
/// </summary>
public static class FilesEndpoints
{
    public static IEndpointRouteBuilder MapResultFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/files/{fileName}", (HttpContext context, string fileName, ResultFiles files) =>
            {
                var path = files.TryResolve(fileName);
                if (path is null || !File.Exists(path))
                {
                    return ApiErrors.Create(context, StatusCodes.Status404NotFound, "File not found.");
                }
                context.Response.Headers.CacheControl = "private, max-age=3600";
                return Microsoft.AspNetCore.Http.Results.File(path, "video/mp4", enableRangeProcessing: true);
            })
            .WithName("GetResultFile")
            .WithTags("Files")
            .WithSummary("Download a result video (the URL comes from a completed task).");
        return app;
    }
}
