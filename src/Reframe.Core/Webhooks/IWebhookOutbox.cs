namespace Reframe.Core.Webhooks;

/// <summary>
/// The durable record of webhook deliveries. A row is written when a task with <c>webhook_url</c> is submitted,
/// before the task itself, so no crash can leave a task whose webhook is forgotten; it becomes due when the task
/// ends (its body fixed then, so every retry sends the same bytes) and is marked delivered only after the receiver
/// answered 2xx. Any number of dispatchers may share one outbox: a delivery is claimed before it is sent.
/// Implementations: SQLite (<c>webhooks.db</c>, embedded default) and PostgreSQL.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Records that <paramref name="taskId"/>'s end must be POSTed to <paramref name="url"/> (once per task).</summary>
    Task TrackAsync(Guid taskId, string ownerId, string url, string publicBaseUrl, CancellationToken cancellationToken);

    /// <summary>Deliveries whose task had not ended when last looked at.</summary>
    Task<IReadOnlyList<WebhookDelivery>> WaitingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> deliveries whose attempt is due, oldest first, and hides them from other
    /// dispatchers for <paramref name="claimFor"/> (a dispatcher that dies mid-attempt leaves them due again after it).
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(TimeSpan claimFor, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a claim without an attempt (the dispatcher is stopping): the delivery is due again now, for the next
    /// process or another node, instead of when the claim would have lapsed. No effect once anyone recorded an attempt
    /// or claimed it again (the row's due time is no longer this claim's <see cref="WebhookDelivery.NextAttemptAt"/>).
    /// </summary>
    Task ReleaseClaimAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The task ended: fix the body and make the delivery due now. No effect unless it was waiting.</summary>
    Task MarkReadyAsync(string deliveryId, string body, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; retried at <paramref name="nextAttemptAt"/>, or given up when null.</summary>
    Task MarkFailedAttemptAsync(WebhookDelivery delivery, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>The task vanished (expired, or its submission never committed): nothing to deliver.</summary>
    Task MarkAbandonedAsync(string deliveryId, string reason, CancellationToken cancellationToken);

    /// <summary>A delivery's record, for operators and tests.</summary>
    Task<WebhookDelivery?> FindByTaskAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>Deletes finished records older than <paramref name="retention"/>.</summary>
    Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken);
}

/// <summary>Persisted values: never renumber.</summary>
public enum WebhookDeliveryState
{
    WaitingForTaskEnd = 0,
    Pending = 1,
    Delivered = 2,
    GaveUp = 3,
}

/// <summary>One task's webhook delivery; <see cref="DeliveryId"/> is stable across retries (the receiver's idempotency key).</summary>
public sealed record WebhookDelivery(
    string DeliveryId,
    Guid TaskId,
    string OwnerId,
    string Url,
    string PublicBaseUrl,
    WebhookDeliveryState State,
    string? Body,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt)
{
    /// <summary>When the next attempt is due; on a delivery just claimed, when the claim lapses (its owner's mark).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
}
