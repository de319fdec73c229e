using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
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

/// <summary><c>/v2/video/generations</c>: create, read and cancel tasks (../shared/spec/API.md).</summary>
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
            .WithSummary("Create a reframe task; answers at once with its id (status queued).")
            .Accepts<GenerationRequest>("application/json")
            .Produces<GenerationResponse>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorBody>(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("", GetAsync)
            .WithName("GetGeneration")
            .WithSummary("Read a task: status, progress, and the video once completed.")
            .Produces<GenerationResponse>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound);
        group.MapDelete("", CancelAsync)
            .WithName("CancelGeneration")
            .WithSummary("Cancel a task (extension): a queued task ends at once, a running one at its next safe point.")
            .Produces<GenerationResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ITaskStore store, ReframeSettings settings, IWebhookOutbox webhooks, IBlobStore blobs,
        SafetyCheckerAvailability safety)
    {
        var limit = settings.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiErrors.TooLarge(context, limit);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
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
            var id = Guid.NewGuid();
            // Large inline inputs go to the blob store first; the row keeps a reference (and stays small).
            var options = await InputOffload.StoreLargeInputsAsync(blobs, id, validation.Options!, CancellationToken.None).ConfigureAwait(false);
            var seed = options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
            if (options.WebhookUrl is { } webhookUrl)
            {
                // Tracked before the task exists, so no crash can leave a task whose webhook is forgotten.
                await webhooks.TrackAsync(id, Caller.Of(context).OwnerId, webhookUrl, PublicBaseUrl(context, settings), CancellationToken.None).ConfigureAwait(false);
            }
            // Durable before we answer: the call returns once the row is committed (and the WAL fsynced). The store
            // signals the queue itself, so idle workers on every node wake up.
            await store.CreateAsync(new NewGenerationTask(id, Caller.Of(context).OwnerId, Core.Requests.StoredRequest.Write(options), seed), CancellationToken.None)
                .ConfigureAwait(false);
            var response = new GenerationResponse(GenerationIds.Format(id), TaskStateMachine.WireName(GenerationTaskStatus.Queued), null, null,
                new MetaInfo(new UsageInfo(0), Seed: seed));
            return Respond(context, response, StatusCodes.Status200OK);
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, ITaskStore store, ReframeSettings settings)
    {
        if (!GenerationIds.TryParse(context.Request.Query["generation_id"], out var id))
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

    private static async Task<IResult> CancelAsync(HttpContext context, ITaskStore store, ReframeSettings settings)
    {
        if (!GenerationIds.TryParse(context.Request.Query["generation_id"], out var id))
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
                return ApiErrors.Conflict(context);
            // CancelRequested: the store signals it to the worker holding the task, on whichever node.
        }
        var task = await store.FindAsync(id, owner, CancellationToken.None).ConfigureAwait(false);
        return task is null
            ? ApiErrors.NotFound(context)
            : Respond(context, ResponseMapper.ToResponse(task, PublicBaseUrl(context, settings)), StatusCodes.Status202Accepted);
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
