using Npgsql;
using Reframe.Core.Webhooks;

namespace Reframe.Storage.Postgres;

/// <summary>
/// <see cref="IWebhookOutbox"/> on PostgreSQL: every API node runs a dispatcher over one table; a claim takes due rows
/// with <c>FOR UPDATE SKIP LOCKED</c> and pushes them out of the due window, so no two nodes send the same attempt.
/// </summary>
internal sealed class PostgresWebhookOutbox : IWebhookOutbox
{
    private const string Columns = "delivery_id, task_id, owner_id, url, public_base_url, state, body, attempts, last_error, created_at, next_attempt_at";

    private readonly NpgsqlDataSource _db;
    private readonly TimeProvider _time;

    public PostgresWebhookOutbox(NpgsqlDataSource db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    public async Task TrackAsync(Guid taskId, string ownerId, string url, string publicBaseUrl, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("""
            INSERT INTO reframe_webhook_deliveries (delivery_id, task_id, owner_id, url, public_base_url, state, next_attempt_at, created_at)
            VALUES (@delivery, @task, @owner, @url, @base, @state, 0, @now)
            ON CONFLICT (task_id) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("delivery", Guid.NewGuid().ToString("D"));
        cmd.Parameters.AddWithValue("task", taskId);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("url", url);
        cmd.Parameters.AddWithValue("base", publicBaseUrl);
        cmd.Parameters.AddWithValue("state", (short)WebhookDeliveryState.WaitingForTaskEnd);
        cmd.Parameters.AddWithValue("now", Now());
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<WebhookDelivery>> WaitingAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM reframe_webhook_deliveries WHERE state = @state ORDER BY created_at",
            cmd => cmd.Parameters.AddWithValue("state", (short)WebhookDeliveryState.WaitingForTaskEnd), cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(TimeSpan claimFor, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"""
            UPDATE reframe_webhook_deliveries SET next_attempt_at = @until
            WHERE delivery_id IN (SELECT delivery_id FROM reframe_webhook_deliveries
                                  WHERE state = @state AND next_attempt_at <= @now
                                  ORDER BY created_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, cmd =>
        {
            cmd.Parameters.AddWithValue("state", (short)WebhookDeliveryState.Pending);
            cmd.Parameters.AddWithValue("now", Now());
            cmd.Parameters.AddWithValue("until", Now() + (long)claimFor.TotalMilliseconds);
            cmd.Parameters.AddWithValue("limit", limit);
        }, cancellationToken);

    public async Task MarkReadyAsync(string deliveryId, string body, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("""
            UPDATE reframe_webhook_deliveries SET state = @pending, body = @body, next_attempt_at = @now
            WHERE delivery_id = @delivery AND state = @waiting
            """);
        cmd.Parameters.AddWithValue("pending", (short)WebhookDeliveryState.Pending);
        cmd.Parameters.AddWithValue("waiting", (short)WebhookDeliveryState.WaitingForTaskEnd);
        cmd.Parameters.AddWithValue("body", body);
        cmd.Parameters.AddWithValue("now", Now());
        cmd.Parameters.AddWithValue("delivery", deliveryId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseClaimAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var cmd = _db.CreateCommand("""
            UPDATE reframe_webhook_deliveries SET next_attempt_at = @now
            WHERE delivery_id = @delivery AND state = @pending AND attempts = @attempts AND next_attempt_at = @claimedUntil
            """);
        cmd.Parameters.AddWithValue("claimedUntil", delivery.NextAttemptAt.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("pending", (short)WebhookDeliveryState.Pending);
        cmd.Parameters.AddWithValue("attempts", delivery.Attempts);
        cmd.Parameters.AddWithValue("now", Now());
        cmd.Parameters.AddWithValue("delivery", delivery.DeliveryId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task MarkDeliveredAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return UpdateAsync(delivery.DeliveryId, WebhookDeliveryState.Delivered, delivery.Attempts + 1, 0, null, cancellationToken);
    }

    public Task MarkFailedAttemptAsync(WebhookDelivery delivery, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return UpdateAsync(delivery.DeliveryId, nextAttemptAt is null ? WebhookDeliveryState.GaveUp : WebhookDeliveryState.Pending,
            delivery.Attempts + 1, nextAttemptAt?.ToUnixTimeMilliseconds() ?? 0, error, cancellationToken);
    }

    public Task MarkAbandonedAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(deliveryId, WebhookDeliveryState.GaveUp, null, 0, reason, cancellationToken);

    public async Task<WebhookDelivery?> FindByTaskAsync(Guid taskId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM reframe_webhook_deliveries WHERE task_id = @task",
            cmd => cmd.Parameters.AddWithValue("task", taskId), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("DELETE FROM reframe_webhook_deliveries WHERE state IN (@delivered, @gaveUp) AND finished_at < @cutoff");
        cmd.Parameters.AddWithValue("delivered", (short)WebhookDeliveryState.Delivered);
        cmd.Parameters.AddWithValue("gaveUp", (short)WebhookDeliveryState.GaveUp);
        cmd.Parameters.AddWithValue("cutoff", Now() - (long)retention.TotalMilliseconds);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(string deliveryId, WebhookDeliveryState state, int? attempts, long nextAttemptAt, string? lastError,
        CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("""
            UPDATE reframe_webhook_deliveries SET state = @state, attempts = COALESCE(@attempts, attempts),
                next_attempt_at = @next, last_error = @error,
                finished_at = CASE WHEN @state IN (@delivered, @gaveUp) THEN @now ELSE NULL END
            WHERE delivery_id = @delivery
            """);
        cmd.Parameters.AddWithValue("state", (short)state);
        cmd.Parameters.Add(new NpgsqlParameter<int?>("attempts", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = attempts });
        cmd.Parameters.AddWithValue("next", nextAttemptAt);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("error", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = lastError });
        cmd.Parameters.AddWithValue("delivered", (short)WebhookDeliveryState.Delivered);
        cmd.Parameters.AddWithValue("gaveUp", (short)WebhookDeliveryState.GaveUp);
        cmd.Parameters.AddWithValue("now", Now());
        cmd.Parameters.AddWithValue("delivery", deliveryId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<WebhookDelivery>> QueryAsync(string sql, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand(sql);
        parameters(cmd);
        var rows = new List<WebhookDelivery>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new WebhookDelivery(
                r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4),
                (WebhookDeliveryState)r.GetInt16(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7),
                r.IsDBNull(8) ? null : r.GetString(8), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)))
            {
                NextAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
            });
        }
        return rows;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
