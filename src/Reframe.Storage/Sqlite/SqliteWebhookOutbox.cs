using Microsoft.Data.Sqlite;
using Reframe.Core.Webhooks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// The embedded default's <see cref="IWebhookOutbox"/>: <c>webhooks.db</c> beside the task database (its own file
/// so the task store's schema stays the store's). A restarted process resumes every row that is not finished:
/// delivery is at least once.
/// </summary>
public sealed class SqliteWebhookOutbox : IWebhookOutbox, IDisposable
{
    public const string FileName = "webhooks.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            delivery_id      TEXT PRIMARY KEY,
            task_id          TEXT NOT NULL UNIQUE,
            owner_id         TEXT NOT NULL,
            url              TEXT NOT NULL,
            public_base_url  TEXT NOT NULL,
            state            INTEGER NOT NULL,
            body             TEXT,
            attempts         INTEGER NOT NULL DEFAULT 0,
            next_attempt_at  INTEGER NOT NULL,
            last_error       TEXT,
            created_at       INTEGER NOT NULL,
            finished_at      INTEGER
        );
        CREATE INDEX IF NOT EXISTS webhook_deliveries_state ON webhook_deliveries (state, next_attempt_at);
        """;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeProvider _time;

    public SqliteWebhookOutbox(string dataDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        DatabasePath = Path.Combine(dataDirectory, FileName);
        _time = time;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        // FULL: a tracked delivery is on disk before the submission is answered.
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;" + Schema;
        command.ExecuteNonQuery();
    }

    public string DatabasePath { get; }

    public Task TrackAsync(Guid taskId, string ownerId, string url, string publicBaseUrl, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = """
                INSERT INTO webhook_deliveries (delivery_id, task_id, owner_id, url, public_base_url, state, next_attempt_at, created_at)
                VALUES ($delivery, $task, $owner, $url, $base, $state, 0, $now)
                ON CONFLICT (task_id) DO NOTHING
                """;
            command.Parameters.AddWithValue("$delivery", Guid.NewGuid().ToString("D"));
            command.Parameters.AddWithValue("$task", taskId.ToString("D"));
            command.Parameters.AddWithValue("$owner", ownerId);
            command.Parameters.AddWithValue("$url", url);
            command.Parameters.AddWithValue("$base", publicBaseUrl);
            command.Parameters.AddWithValue("$state", (int)WebhookDeliveryState.WaitingForTaskEnd);
            command.Parameters.AddWithValue("$now", Now());
            command.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    // Unbounded: every waiting row is looked at each pass, so a task that ends early is not stuck behind older ones.
    public Task<IReadOnlyList<WebhookDelivery>> WaitingAsync(CancellationToken cancellationToken) =>
        QueryAsync("state = $state", int.MaxValue, cancellationToken, ("$state", (int)WebhookDeliveryState.WaitingForTaskEnd));

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(TimeSpan claimFor, int limit, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<WebhookDelivery>>(command =>
        {
            // One statement: the rows it returns are pushed out of the due window in the same write.
            command.CommandText = $"""
                UPDATE webhook_deliveries SET next_attempt_at = $until
                WHERE delivery_id IN (SELECT delivery_id FROM webhook_deliveries
                                      WHERE state = $state AND next_attempt_at <= $now ORDER BY created_at LIMIT $limit)
                RETURNING {Columns}
                """;
            command.Parameters.AddWithValue("$state", (int)WebhookDeliveryState.Pending);
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$until", Now() + (long)claimFor.TotalMilliseconds);
            command.Parameters.AddWithValue("$limit", limit);
            return ReadAll(command);
        }, cancellationToken);

    public Task MarkReadyAsync(string deliveryId, string body, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE webhook_deliveries SET state = $pending, body = $body, next_attempt_at = $now
                WHERE delivery_id = $delivery AND state = $waiting
                """;
            command.Parameters.AddWithValue("$pending", (int)WebhookDeliveryState.Pending);
            command.Parameters.AddWithValue("$waiting", (int)WebhookDeliveryState.WaitingForTaskEnd);
            command.Parameters.AddWithValue("$body", body);
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$delivery", deliveryId);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task ReleaseClaimAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE webhook_deliveries SET next_attempt_at = $now
                WHERE delivery_id = $delivery AND state = $pending AND attempts = $attempts AND next_attempt_at = $claimedUntil
                """;
            command.Parameters.AddWithValue("$claimedUntil", delivery.NextAttemptAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$pending", (int)WebhookDeliveryState.Pending);
            command.Parameters.AddWithValue("$attempts", delivery.Attempts);
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$delivery", delivery.DeliveryId);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task MarkDeliveredAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        UpdateAsync(delivery.DeliveryId, WebhookDeliveryState.Delivered, null, delivery.Attempts + 1, 0, null, cancellationToken);

    public Task MarkFailedAttemptAsync(WebhookDelivery delivery, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        UpdateAsync(delivery.DeliveryId, nextAttemptAt is null ? WebhookDeliveryState.GaveUp : WebhookDeliveryState.Pending, null,
            delivery.Attempts + 1, nextAttemptAt?.ToUnixTimeMilliseconds() ?? 0, error, cancellationToken);

    public Task MarkAbandonedAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(deliveryId, WebhookDeliveryState.GaveUp, null, null, 0, reason, cancellationToken);

    public async Task<WebhookDelivery?> FindByTaskAsync(Guid taskId, CancellationToken cancellationToken) =>
        (await QueryAsync("task_id = $task", 1, cancellationToken, ("$task", taskId.ToString("D"))).ConfigureAwait(false)).FirstOrDefault();

    public Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM webhook_deliveries WHERE state IN ($delivered, $gaveUp) AND finished_at < $cutoff";
            command.Parameters.AddWithValue("$delivered", (int)WebhookDeliveryState.Delivered);
            command.Parameters.AddWithValue("$gaveUp", (int)WebhookDeliveryState.GaveUp);
            command.Parameters.AddWithValue("$cutoff", Now() - (long)retention.TotalMilliseconds);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }

    private Task UpdateAsync(string deliveryId, WebhookDeliveryState state, string? body, int? attempts, long nextAttemptAt,
        string? lastError, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE webhook_deliveries SET state = $state, body = COALESCE($body, body), attempts = COALESCE($attempts, attempts),
                    next_attempt_at = $next, last_error = $error,
                    finished_at = CASE WHEN $state IN ($delivered, $gaveUp) THEN $now ELSE NULL END
                WHERE delivery_id = $delivery
                """;
            command.Parameters.AddWithValue("$state", (int)state);
            command.Parameters.AddWithValue("$body", (object?)body ?? DBNull.Value);
            command.Parameters.AddWithValue("$attempts", (object?)attempts ?? DBNull.Value);
            command.Parameters.AddWithValue("$next", nextAttemptAt);
            command.Parameters.AddWithValue("$error", (object?)lastError ?? DBNull.Value);
            command.Parameters.AddWithValue("$delivered", (int)WebhookDeliveryState.Delivered);
            command.Parameters.AddWithValue("$gaveUp", (int)WebhookDeliveryState.GaveUp);
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$delivery", deliveryId);
            command.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    private Task<IReadOnlyList<WebhookDelivery>> QueryAsync(string where, int limit, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        WriteAsync<IReadOnlyList<WebhookDelivery>>(command =>
        {
            command.CommandText = $"SELECT {Columns} FROM webhook_deliveries WHERE {where} ORDER BY created_at LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            return ReadAll(command);
        }, cancellationToken);

    private const string Columns = "delivery_id, task_id, owner_id, url, public_base_url, state, body, attempts, last_error, created_at, next_attempt_at";

    private static IReadOnlyList<WebhookDelivery> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<WebhookDelivery>();
        while (reader.Read())
        {
            rows.Add(new WebhookDelivery(
                reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                (WebhookDeliveryState)reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)))
            {
                NextAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
            });
        }
        return rows;
    }

    // One connection, one caller at a time: the outbox sees a handful of writes per task, never a hot path.
    private async Task<T> WriteAsync<T>(Func<SqliteCommand, T> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            return work(command);
        }
        finally
        {
            _lock.Release();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
