using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Reframe.Core.Tasks;
using Reframe.Server.Auth;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Errors;
using Reframe.Server.Tasks;
using Reframe.Server.Validation;

namespace Reframe.Server.Endpoints;

/// <summary><c>GET /v2/video/generations/history?limit=&amp;cursor=&amp;status=</c>: the caller's own tasks, newest first, a page at a time.</summary>
public static class GenerationHistoryEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Mapped inside the generations group, so the key check applies.</summary>
    public static RouteHandlerBuilder MapGenerationHistory(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.MapGet("/history", ListAsync)
            .WithName("ListGenerations")
            .WithSummary("List your tasks, newest first (extension).")
            .WithDescription($"limit: 1..{MaxLimit} (default {DefaultLimit}); cursor: the next_cursor of the previous page; " +
                             "status: queued, generating, completed or error. Only the calling key's tasks are listed, until they expire.")
            .Produces<GenerationHistoryPage>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ITaskStore store, ReframeSettings settings,
        [FromQuery(Name = "limit")] string? limit, [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "status")] string? status)
    {
        var errors = new List<FieldError>();
        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError("limit", $"an integer 1..{MaxLimit}", Abridge(limit)));
        }
        long? before = null;
        if (cursor is not null)
        {
            if (HistoryCursor.TryDecode(cursor, out var position))
            {
                before = position;
            }
            else
            {
                errors.Add(new FieldError("cursor", "the next_cursor of a previous page", Abridge(cursor)));
            }
        }
        GenerationTaskStatus? only = null;
        if (status is not null)
        {
            only = Enum.GetValues<GenerationTaskStatus>().Where(s => TaskStateMachine.WireName(s) == status).Cast<GenerationTaskStatus?>().FirstOrDefault();
            if (only is null)
            {
                errors.Add(new FieldError("status", "one of queued, generating, completed, error", Abridge(status)));
            }
        }
        if (errors.Count > 0)
        {
            return ApiErrors.Create(context, StatusCodes.Status400BadRequest, ApiErrors.QueryValidation, errors);
        }

        var page = await store.ListAsync(Caller.Of(context).OwnerId, new TaskListQuery(pageSize, before, only), context.RequestAborted).ConfigureAwait(false);
        var baseUrl = GenerationsEndpoints.PublicBaseUrl(context, settings);
        var data = page.Tasks.Select(t => ResponseMapper.ToResponse(t, baseUrl, inlineVideo: false)).ToList();
        return TypedResults.Json(new GenerationHistoryPage(data, page.Next is { } next ? HistoryCursor.Encode(next) : null), ServerJson.Default.GenerationHistoryPage);
    }

    private static string Abridge(string s) => s.Length <= 80 ? $"\"{s}\"" : $"\"{s[..80]}...\"";
}
