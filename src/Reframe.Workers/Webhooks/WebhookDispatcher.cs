using System.Net.Http.Headers;
using System.Text;
using Reframe.Core.Tasks;
using Reframe.Core.Webhooks;
using Reframe.Media.Sources;

namespace Reframe.Workers.Webhooks;

/// <summary>The body a webhook carries for a final task: the host's response object (the JSON a GET returns).</summary>
public delegate string WebhookBodyWriter(GenerationTask task, string publicBaseUrl);


/// <summary>
/// Delivers the outbox: when a tracked task has ended, its final response object (the JSON a GET returns) is
/// fixed as the body and POSTed, signed, until the receiver answers 2xx or the attempts run out, with an
/// exponential backoff between attempts. Works from durable state only, so a restart simply carries on; every node
/// may run one, since a delivery is claimed before it is sent.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    /// <summary>A tracked task not found this long after tracking never committed (or expired): drop it.</summary>
    private static readonly TimeSpan MissingTaskGrace = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly IWebhookOutbox _outbox;
    private readonly WebhookBodyWriter _body;
    private readonly ITaskStore _store;
    private readonly WebhookHttpClient _http;
    private readonly WebhookSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _log;

    public WebhookDispatcher(IWebhookOutbox outbox, ITaskStore store, WebhookBodyWriter body, WebhookHttpClient http, WebhookSettings settings,
        TimeProvider time, ILogger<WebhookDispatcher> log)
    {
        _body = body;
        _outbox = outbox;
        _store = store;
        _http = http;
        _settings = settings;
        _time = time;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPurge = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PromoteEndedTasksAsync(stoppingToken).ConfigureAwait(false);
                // Claimed for longer than one attempt can take, so no other node sends it meanwhile.
                var due = await _outbox.ClaimDueAsync(_settings.AttemptTimeout + TimeSpan.FromSeconds(30), 256, stoppingToken).ConfigureAwait(false);
                // Concurrently, so one slow receiver does not hold up the others beyond one attempt's timeout.
                await Task.WhenAll(due.Select(d => DeliverAsync(d, stoppingToken))).ConfigureAwait(false);
                if (_time.GetElapsedTime(lastPurge) > PurgeInterval)
                {
                    await _outbox.PurgeAsync(_settings.Retention, stoppingToken).ConfigureAwait(false);
                    lastPurge = _time.GetTimestamp();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the dispatcher must outlive a bad pass (a locked file, a store hiccup); the log has it
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPassFailed(ex);
            }
            try
            {
                await Task.Delay(_settings.ScanInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PromoteEndedTasksAsync(CancellationToken cancellationToken)
    {
        foreach (var waiting in await _outbox.WaitingAsync(cancellationToken).ConfigureAwait(false))
        {
            var task = await _store.FindAsync(waiting.TaskId, waiting.OwnerId, cancellationToken).ConfigureAwait(false);
            if (task is null)
            {
                if (_time.GetUtcNow() - waiting.CreatedAt > MissingTaskGrace)
                {
                    await _outbox.MarkAbandonedAsync(waiting.DeliveryId, "the task no longer exists", cancellationToken).ConfigureAwait(false);
                }
                continue;
            }
            if (!TaskStateMachine.IsFinal(task.Status))
            {
                continue;
            }
            var body = _body(task, waiting.PublicBaseUrl);
            await _outbox.MarkReadyAsync(waiting.DeliveryId, body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var attempt = delivery.Attempts + 1;
        var body = Encoding.UTF8.GetBytes(delivery.Body!);
        string? failure;
        var permanent = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_settings.AttemptTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Reframe-Webhooks", "1"));
            request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.DeliveryId);
            request.Headers.Add(WebhookSignature.TimestampHeader, _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_settings.Secret, body));
            using var response = await _http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                await _outbox.MarkDeliveredAsync(delivery, CancellationToken.None).ConfigureAwait(false);
                LogDelivered(delivery.DeliveryId, delivery.TaskId, attempt);
                return;
            }
            failure = $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Not an attempt: due again at once for the next process or another node, not when the claim lapses.
            await ReleaseClaimAsync(delivery).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            failure = $"no answer within {_settings.AttemptTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException ex) when (AddressRefusedException.FindIn(ex) is { } refused)
        {
            // The URL points somewhere the service may not call (private network, metadata endpoint): final.
            failure = refused.Message;
            permanent = true;
        }
        catch (HttpRequestException ex)
        {
            failure = ex.Message;
        }
        var next = permanent || attempt >= _settings.MaxAttempts ? (DateTimeOffset?)null : _time.GetUtcNow() + _settings.BackoffAfter(attempt);
        await _outbox.MarkFailedAttemptAsync(delivery, failure, next, CancellationToken.None).ConfigureAwait(false);
        LogAttemptFailed(delivery.DeliveryId, delivery.TaskId, attempt, failure, next);
    }

    /// <summary>
    /// Best effort, bounded: the process is stopping, and a store that does not answer must not hold shutdown up. A
    /// claim not given back lapses on its own.
    /// </summary>
    private async Task ReleaseClaimAsync(WebhookDelivery delivery)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _outbox.ReleaseClaimAsync(delivery, bound.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever the store says, the claim lapses by itself; shutdown goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReleaseFailed(delivery.DeliveryId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {DeliveryId}: its claim was not given back at shutdown; it lapses instead")]
    private partial void LogReleaseFailed(string deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} for task {TaskId} delivered on attempt {Attempt}")]
    private partial void LogDelivered(string deliveryId, Guid taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} for task {TaskId} failed on attempt {Attempt}: {Failure}; next attempt {NextAttempt} (none: given up)")]
    private partial void LogAttemptFailed(string deliveryId, Guid taskId, int attempt, string failure, DateTimeOffset? nextAttempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook dispatch pass failed; retrying at the next pass")]
    private partial void LogPassFailed(Exception exception);
}
