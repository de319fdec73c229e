using System.Text;
using System.Text.Json;
using Reframe.Core.Tasks;
using Reframe.Server.Auth;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Endpoints;
using Reframe.Server.Errors;
using Reframe.Server.Tasks;
using Reframe.Workers;

namespace Reframe.Server.Events;

/// <summary>
/// <c>GET /v2/video/generations/events?generation_id=ID</c> (extension): the task's response object as
/// Server-Sent Events, one event each time it changes (status, queue position, stage, step, percent), until it
/// ends. The event name is the status; <c>data</c> is the same JSON a GET returns, so clients need one parser.
/// A comment line goes out as a heartbeat when nothing changed for a while, so proxies keep the stream open.
/// </summary>
/// <remarks>
/// The stream reads the store (not in-process state), so it follows a task run by any node. It re-reads when the
/// store signals a change of the task (<see cref="ITaskSignals"/>: LISTEN/NOTIFY with PostgreSQL, so a worker on another
/// node wakes it), at most every <see cref="EventStreamSettings.MinInterval"/>, and at
/// <see cref="EventStreamSettings.PollInterval"/> when nothing was signalled, as a fallback for lost notifications.
/// </remarks>
public static class GenerationEventsEndpoints
{
    public static IEndpointRouteBuilder MapGenerationEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/video/generations/events", StreamAsync)
            .AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Generations")
            .WithName("GenerationEvents")
            .WithSummary("Server-Sent Events of a task's status and progress until it ends (extension).")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        HttpContext context, ITaskStore store, ITaskSignals signals, ReframeSettings settings, EventStreamSettings streaming, TimeProvider time)
    {
        if (!GenerationIds.TryParse(context.Request.Query["generation_id"], out var id))
        {
            return ApiErrors.InvalidGenerationId(context);
        }
        var owner = Caller.Of(context).OwnerId;
        var cancellationToken = context.RequestAborted;
        var task = await store.FindAsync(id, owner, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return ApiErrors.NotFound(context);
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        var baseUrl = GenerationsEndpoints.PublicBaseUrl(context, settings);

        using var changes = new TaskChangeWaiter(signals, id);
        string? lastSent = null;
        var lastWrite = time.GetTimestamp();
        var sequence = 0;
        try
        {
            // The first event goes out at once so a client sees the current state without waiting.
            await response.WriteAsync($"retry: {(int)streaming.PollInterval.TotalMilliseconds * 2}\n\n", cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var json = JsonSerializer.Serialize(ResponseMapper.ToResponse(task, baseUrl), ServerJson.Default.GenerationResponse);
                if (json != lastSent)
                {
                    var status = TaskStateMachine.WireName(task.Status);
                    await response.WriteAsync(Frame(status, json, ++sequence), cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    lastSent = json;
                    lastWrite = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastWrite) >= streaming.HeartbeatInterval)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    lastWrite = time.GetTimestamp();
                }
                if (TaskStateMachine.IsFinal(task.Status))
                {
                    break;
                }
                changes.WatchQueue = task.Status == GenerationTaskStatus.Queued;
                var wait = Math.Min(streaming.PollInterval.TotalMilliseconds, streaming.HeartbeatInterval.TotalMilliseconds);
                await Task.WhenAny(changes.NextAsync(), Task.Delay(TimeSpan.FromMilliseconds(wait), time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                // Bursts of signals (a thousand submissions) cost one read per interval, not one per signal.
                await Task.Delay(streaming.MinInterval, time, cancellationToken).ConfigureAwait(false);
                changes.Rearm();
                var next = await store.FindAsync(id, owner, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    // Expired (retention passed) while watching: nothing more will come.
                    break;
                }
                task = next;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to clean up.
        }
        return TypedResults.Empty;
    }

    /// <summary>One event: <c>id</c>, <c>event</c> (the status) and one <c>data</c> line (compact JSON has no newlines).</summary>
    public static string Frame(string eventName, string json, int sequence)
    {
        var builder = new StringBuilder(json.Length + 64);
        builder.Append("id: ").Append(sequence).Append('\n');
        builder.Append("event: ").Append(eventName).Append('\n');
        builder.Append("data: ").Append(json).Append("\n\n");
        return builder.ToString();
    }
}

/// <summary>Tunables of the event stream (REFRAME_EVENTS_POLL_MS, REFRAME_EVENTS_HEARTBEAT_SECONDS).</summary>
public sealed record EventStreamSettings
{
    /// <summary>The fallback re-read when no change was signalled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5000);

    /// <summary>The least time between two reads of one stream, however many signals arrive.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    public static EventStreamSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new EventStreamSettings
        {
            PollInterval = TimeSpan.FromMilliseconds(ConfigurationNumbers.Read(configuration, "REFRAME_EVENTS_POLL_MS", 5000, 50, 60_000)),
            HeartbeatInterval = TimeSpan.FromSeconds(ConfigurationNumbers.Read(configuration, "REFRAME_EVENTS_HEARTBEAT_SECONDS", 15, 1, 3600)),
        };
    }
}
