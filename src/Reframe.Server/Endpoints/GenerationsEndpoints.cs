using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Reframe.Core.Blobs;
using Reframe.Core.Tasks;
using Reframe.Core.Webhooks;
using Reframe.Server.Auth;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Errors;
using Reframe.Server.Tasks;
using Reframe.Server.Validation;

namespace Reframe.Server.Endpoints;

/// <summary><c>/v2/video/generations</c>: create, read, cancel and delete tasks (../shared/spec/API.md); the history is <see cref="GenerationHistoryEndpoints"/>.</summary>
public static class GenerationsEndpoints
{
    public const string CreditsHeader = "x-aimlapi-credits-used";

    public static RouteGroupBuilder MapGenerations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/video/generations")
            .AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Generations");
        group.MapPost("", CreateAsync)
            .AddEndpointFilter(app.ServiceProvider.GetRequiredService<Limits.SubmissionLimitsFilter>())
            .Produces<ErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithName("CreateGeneration")
            .WithSummary("Create a reframe task; answers at once with its id (status queued) and its queue position.")
            .WithDescription($"Send an '{IdempotencyKeys.Header}' header to make retries safe: the same key with the same body " +
                             "returns the task it created; the same key with another body is a 422.")
            .Accepts<GenerationRequest>("application/json")
            .Produces<GenerationResponse>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ErrorBody>(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("", GetAsync)
            .WithName("GetGeneration")
            .WithSummary("Read a task: status, progress, and the video once completed.")
            .Produces<GenerationResponse>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound);
        group.MapDelete("", CancelAsync)
            .WithName("CancelGeneration")
            .WithSummary("Cancel a task, or delete a finished one (extension).")
            .WithDescription("A queued task ends at once, a running one at its next safe point (202 with the task). A completed or " +
                             "failed task is deleted now, with its result file and stored inputs (204); its id then answers 404.")
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound);
        group.MapGenerationHistory();
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ITaskStore store, ReframeSettings settings, IWebhookOutbox webhooks, IBlobStore blobs,
        SafetyCheckerAvailability safety)
    {
        var (idempotencyKey, keyError) = IdempotencyKeys.Read(context);
        if (keyError is not null)
        {
            return ApiErrors.Create(context, StatusCodes.Status400BadRequest, $"Header validation error: {IdempotencyKeys.Header}", [keyError]);
        }
        var limit = settings.MaxRequestBytes;
        if (Limits.RequestBodyLimit.IsBeyondDrain(context.Request.ContentLength, limit))
        {
            return ApiErrors.TooLarge(context, limit);
        }
        var body = Limits.RequestBodyLimit.Open(context, limit);
        if (context.Request.ContentLength > limit)
        {
            await Limits.RequestBodyLimit.DrainAsync(context).ConfigureAwait(false);
            return ApiErrors.TooLarge(context, limit);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Limits.RequestBodyLimit.TooLargeException)
        {
            await Limits.RequestBodyLimit.DrainAsync(context).ConfigureAwait(false);
            return ApiErrors.TooLarge(context, limit);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiErrors.TooLarge(context, limit);
        }
        catch (JsonException) when (Limits.JsonContentType.Check(context) is null)
        {
            return ApiErrors.Create(context, StatusCodes.Status400BadRequest, ApiErrors.BodyValidation,
                [new FieldError("body", "a JSON object", "malformed JSON")]);
        }
        catch (JsonException)
        {
            return Limits.JsonContentType.Check(context)!;
        }

        using (document)
        {
            // Checked after reading, so an oversized body is a 413 whatever its declared type.
            if (Limits.JsonContentType.Check(context) is { } unsupported)
            {
                return unsupported;
            }
            if (Limits.RequestStringLimits.Check(document.RootElement) is { Count: > 0 } stringErrors)
            {
                return ApiErrors.Create(context, StatusCodes.Status400BadRequest, ApiErrors.BodyValidation, stringErrors);
            }
            var validation = GenerationRequestValidator.Validate(document.RootElement);
            if (!validation.IsValid)
            {
                return ApiErrors.Create(context, StatusCodes.Status400BadRequest, ApiErrors.BodyValidation, validation.Errors);
            }
            if (validation.Options!.EnableSafetyChecker && safety.Rejects)
            {
                // The operator chose to refuse rather than run unchecked (REFRAME_SAFETY_CHECKER_UNAVAILABLE=reject).
                return ApiErrors.Create(context, StatusCodes.Status400BadRequest, ApiErrors.BodyValidation,
                    [new FieldError("enable_safety_checker", "false: this server has no safety checker installed", "true")]);
            }
            var owner = Caller.Of(context).OwnerId;
            var requestHash = idempotencyKey is null ? null : IdempotencyKeys.Hash(validation.Options!);
            if (idempotencyKey is not null
                && await store.FindByIdempotencyKeyAsync(owner, idempotencyKey, context.RequestAborted).ConfigureAwait(false) is { } earlier)
            {
                // Checked before anything is stored or tracked, so a retry costs one read.
                return await ReplayAsync(context, store, settings, earlier, requestHash!).ConfigureAwait(false);
            }
            var id = Guid.NewGuid();
            // Large inline inputs go to the blob store first; the row keeps a reference (and stays small).
            var options = await InputOffload.StoreLargeInputsAsync(blobs, id, validation.Options!, CancellationToken.None).ConfigureAwait(false);
            var seed = options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
            if (options.WebhookUrl is { } webhookUrl)
            {
                // Tracked before the task exists, so no crash can leave a task whose webhook is forgotten.
                await webhooks.TrackAsync(id, owner, webhookUrl, PublicBaseUrl(context, settings), CancellationToken.None).ConfigureAwait(false);
            }
            // Durable before we answer: the call returns once the row is committed (and the WAL fsynced). The store
            // signals the queue itself, so idle workers on every node wake up.
            var created = new NewGenerationTask(id, owner, Core.Requests.StoredRequest.Write(options), seed) { IdempotencyKey = idempotencyKey, RequestHash = requestHash };
            if (await store.CreateAsync(created, CancellationToken.None).ConfigureAwait(false) is { } winner)
            {
                // Another POST with this key committed first: its task is the answer (what was stored for this one is
                // an orphan the upkeep deletes).
                return await ReplayAsync(context, store, settings, winner, requestHash!).ConfigureAwait(false);
            }
            // The position read after the commit: the tasks queued ahead of this one now (0 once a worker took it).
            var position = (await store.FindAsync(id, owner, CancellationToken.None).ConfigureAwait(false))?.QueuePosition ?? 0;
            var response = new GenerationResponse(GenerationIds.Format(id), TaskStateMachine.WireName(GenerationTaskStatus.Queued), null, null,
                new MetaInfo(new UsageInfo(0), Seed: seed, QueuePosition: position));
            return Respond(context, response, StatusCodes.Status200OK);
        }
    }

    /// <summary>A retried submission: the same request gets the task it created; another request under the same key is refused.</summary>
    private static async Task<IResult> ReplayAsync(HttpContext context, ITaskStore store, ReframeSettings settings, IdempotentSubmission earlier, string requestHash)
    {
        if (!string.Equals(earlier.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return ApiErrors.Create(context, StatusCodes.Status422UnprocessableEntity,
                $"The {IdempotencyKeys.Header} header was already used with a different request body; use a new key for a new request.",
                [new FieldError(IdempotencyKeys.Header, "a key not yet used with another request body", "a key used with another request body")]);
        }
        var task = await store.FindAsync(earlier.TaskId, Caller.Of(context).OwnerId, CancellationToken.None).ConfigureAwait(false);
        return task is null
            ? ApiErrors.NotFound(context) // deleted or expired between the two reads
            : Respond(context, ResponseMapper.ToResponse(task, PublicBaseUrl(context, settings)), StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetAsync(HttpContext context, ITaskStore store, ReframeSettings settings,
        [FromQuery(Name = "generation_id")] string? generationId)
    {
        if (!GenerationIds.TryParse(generationId, out var id))
        {
            return ApiErrors.InvalidGenerationId(context);
        }
        var task = await store.FindAsync(id, Caller.Of(context).OwnerId, context.RequestAborted).ConfigureAwait(false);
        if (task is null)
        {
            return ApiErrors.NotFound(context);
        }
        return Respond(context, ResponseMapper.ToResponse(task, PublicBaseUrl(context, settings)), StatusCodes.Status200OK);
    }

    private static async Task<IResult> CancelAsync(HttpContext context, ITaskStore store, ReframeSettings settings, IBlobStore blobs,
        ILoggerFactory logs, [FromQuery(Name = "generation_id")] string? generationId)
    {
        if (!GenerationIds.TryParse(generationId, out var id))
        {
            return ApiErrors.InvalidGenerationId(context);
        }
        var owner = Caller.Of(context).OwnerId;
        var outcome = await store.RequestCancelAsync(id, owner, CancellationToken.None).ConfigureAwait(false);
        switch (outcome)
        {
            case CancelOutcome.NotFound:
                return ApiErrors.NotFound(context);
            case CancelOutcome.AlreadyEnded:
                return await DeleteFinishedAsync(context, store, blobs, logs, id, owner).ConfigureAwait(false);
            // CancelRequested: the store signals it to the worker holding the task, on whichever node.
        }
        var task = await store.FindAsync(id, owner, CancellationToken.None).ConfigureAwait(false);
        return task is null
            ? ApiErrors.NotFound(context)
            : Respond(context, ResponseMapper.ToResponse(task, PublicBaseUrl(context, settings)), StatusCodes.Status202Accepted);
    }

    /// <summary>A finished task: nothing to cancel, so DELETE means "delete it now", result and inputs included, rather than at its expiry.</summary>
    private static async Task<IResult> DeleteFinishedAsync(HttpContext context, ITaskStore store, IBlobStore blobs, ILoggerFactory logs, Guid id, string owner)
    {
        var deleted = await store.DeleteFinishedAsync(id, owner, CancellationToken.None).ConfigureAwait(false);
        if (!deleted.Found)
        {
            return ApiErrors.NotFound(context); // expired or deleted by a concurrent DELETE
        }
        if (!deleted.Finished)
        {
            // The cancel just found it final, and a final task never moves back: the store broke its contract.
            throw new InvalidOperationException($"task {id} was final when cancelled but not when deleted");
        }
        await TaskDeletion.DeleteBlobsAsync(blobs, id, deleted.FileToken, logs.CreateLogger("Reframe.Deletion"), CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static IResult Respond(HttpContext context, GenerationResponse response, int statusCode)
    {
        context.Response.Headers[CreditsHeader] = ResponseMapper.CreditsOf(response).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Json(response, ServerJson.Default.GenerationResponse, statusCode: statusCode);
    }

    /// <summary>REFRAME_PUBLIC_BASE_URL when set (behind a proxy), else the address the client used.</summary>
    public static string PublicBaseUrl(HttpContext context, ReframeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PublicBaseUrl is { } configured)
        {
            return configured.ToString().TrimEnd('/');
        }
        var request = context.Request;
        return $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
    }
}
