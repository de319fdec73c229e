using System.Text.Json;
using Npgsql;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;
using Reframe.Storage.Sqlite;

namespace Reframe.Storage.Postgres;

/// <summary>
/// The workers' side of the PostgreSQL backend, as trusted job queues do it: a claim takes the oldest queued row with
/// <c>FOR UPDATE SKIP LOCKED</c> (workers on many nodes never wait on, nor take, the same row); the lease has an expiry
/// that the heartbeat extends; every later write names the lease token and the status it expects, so a worker whose
/// lease was taken over matches no row and cannot overwrite the new owner's result (exactly-once completion); expired
/// leases go back to the queue until the attempts run out.
/// </summary>
internal sealed class PostgresTaskQueue : ITaskQueue
{
    private readonly NpgsqlDataSource _db;
    private readonly TaskQueueOptions _options;
    private readonly TimeProvider _time;

    public PostgresTaskQueue(NpgsqlDataSource db, TaskQueueOptions options, TimeProvider time)
    {
        _db = db;
        _options = options;
        _time = time;
    }

    public async Task<TaskLease?> TryLeaseAsync(string workerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var token = Guid.NewGuid();
        await using var cmd = _db.CreateCommand("""
            UPDATE reframe_tasks SET status = 1, attempts = attempts + 1, lease_token = @token, lease_owner = @worker,
                                     lease_expires_at = @expires, started_at = COALESCE(started_at, @now)
            WHERE seq = (SELECT seq FROM reframe_tasks WHERE status = 0 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, owner_id, attempts, request_json, seed
            """);
        cmd.Parameters.AddWithValue("token", token);
        cmd.Parameters.AddWithValue("worker", workerId);
        cmd.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("expires", (now + _options.LeaseDuration).ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new TaskLease(r.GetGuid(0), token, r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4));
    }

    public async Task<LeaseState> RenewAsync(TaskLease lease, TaskProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.GetUtcNow();
        // Progress only moves forward (see SqliteTaskQueue.RenewAsync): the row keeps the highest percent reported.
        await using var cmd = _db.CreateCommand("""
            UPDATE reframe_tasks SET lease_expires_at = @expires,
                                     progress_json = CASE WHEN @progress IS NOT NULL AND
                                                               (progress_json IS NULL OR (progress_json::jsonb ->> 'percent')::float8 <= @percent)
                                                          THEN @progress ELSE progress_json END
            WHERE id = @id AND status = 1 AND lease_token = @token
            RETURNING cancel_requested
            """);
        AddLease(cmd, lease);
        cmd.Parameters.AddWithValue("expires", (now + _options.LeaseDuration).ToUnixTimeMilliseconds());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("progress", NpgsqlTypes.NpgsqlDbType.Text)
        {
            TypedValue = progress is null ? null : JsonSerializer.Serialize(progress, StorageJson.Default.TaskProgress),
        });
        cmd.Parameters.AddWithValue("percent", progress?.Percent ?? 0);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) switch
        {
            null => LeaseState.Lost,
            true => LeaseState.CancelRequested,
            _ => LeaseState.Held,
        };
    }

    public async Task<LeaseState> CompleteAsync(TaskLease lease, TaskResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(result);
        return await ApplyUnlessCancelledAsync(lease, """
            UPDATE reframe_tasks SET status = 2, result_json = @result, file_token = @file, ended_at = @now, expires_at = @expires,
                                     lease_token = NULL, lease_expires_at = NULL, progress_json = NULL, request_json = ''
            WHERE id = @id AND status = 1 AND lease_token = @token AND NOT cancel_requested
            """, cmd =>
        {
            cmd.Parameters.AddWithValue("result", JsonSerializer.Serialize(result, StorageJson.Default.TaskResult));
            cmd.Parameters.Add(new NpgsqlParameter<string?>("file", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = result.FileToken });
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LeaseState> FailAsync(TaskLease lease, TaskError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(error);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = connection };
        AddLease(cmd, lease);
        AddEndTimes(cmd, _time.GetUtcNow());
        return await EndInErrorAsync(cmd, error, cancellationToken).ConfigureAwait(false) ? LeaseState.Held : LeaseState.Lost;
    }

    public Task<LeaseState> ReleaseAsync(TaskLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return ApplyUnlessCancelledAsync(lease, """
            UPDATE reframe_tasks SET status = 0, attempts = attempts - 1, lease_token = NULL, lease_owner = NULL,
                                     lease_expires_at = NULL
            WHERE id = @id AND status = 1 AND lease_token = @token AND NOT cancel_requested
            """, _ => { }, cancellationToken);
    }

    /// <summary>
    /// A lease-guarded transition that applies only while no cancel is pending. When it touches no row, either the
    /// lease is gone, or a cancel arrived first: the 202 the client got wins, and the task ends cancelled.
    /// </summary>
    private async Task<LeaseState> ApplyUnlessCancelledAsync(TaskLease lease, string sql, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        AddLease(cmd, lease);
        AddEndTimes(cmd, _time.GetUtcNow());
        parameters(cmd);
        LeaseState state;
        if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 0)
        {
            state = LeaseState.Held;
        }
        else
        {
            state = await EndInErrorAsync(cmd, new TaskError(TaskErrorNames.Cancelled, TaskEndMessages.CancelledWhileRunning), cancellationToken).ConfigureAwait(false)
                ? LeaseState.CancelRequested
                : LeaseState.Lost;
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    public async Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = connection, Transaction = tx };
        AddEndTimes(cmd, now);
        cmd.Parameters.AddWithValue("max", _options.MaxAttempts);
        cmd.Parameters.AddWithValue("cancelled", TaskErrorNames.Cancelled);
        cmd.Parameters.AddWithValue("cancelledMessage", TaskEndMessages.CancelledWhileRunning);
        cmd.Parameters.AddWithValue("exhausted", TaskErrorNames.AttemptsExhausted);
        cmd.Parameters.AddWithValue("exhaustedMessage",
            TaskEndMessages.AttemptsExhausted(_options.MaxAttempts));
        const string endFields = """
            ended_at = @now, expires_at = @expires, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
            progress_json = NULL, request_json = ''
            """;
        const string expired = "status = 1 AND lease_expires_at <= @now";
        var moved = 0;
        cmd.CommandText = $"UPDATE reframe_tasks SET status = 3, error_name = @cancelled, error_message = @cancelledMessage, {endFields} WHERE {expired} AND cancel_requested";
        moved += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"UPDATE reframe_tasks SET status = 3, error_name = @exhausted, error_message = @exhaustedMessage, {endFields} WHERE {expired} AND attempts >= @max";
        moved += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"UPDATE reframe_tasks SET status = 0, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL WHERE {expired}";
        moved += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return moved;
    }

    public async Task<long> CountQueuedAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("SELECT COUNT(*) FROM reframe_tasks WHERE status = 0");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static void AddLease(NpgsqlCommand cmd, TaskLease lease)
    {
        cmd.Parameters.AddWithValue("id", lease.TaskId);
        cmd.Parameters.AddWithValue("token", lease.Token);
    }

    private void AddEndTimes(NpgsqlCommand cmd, DateTimeOffset now)
    {
        cmd.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("expires", (now + _options.Retention).ToUnixTimeMilliseconds());
    }

    /// <summary>Ends the leased task in error; the command carries @id, @token, @now and @expires.</summary>
    private static async Task<bool> EndInErrorAsync(NpgsqlCommand cmd, TaskError error, CancellationToken cancellationToken)
    {
        cmd.CommandText = """
            UPDATE reframe_tasks SET status = 3, error_name = @errorName, error_message = @errorMessage, ended_at = @now, expires_at = @expires,
                                     lease_token = NULL, lease_expires_at = NULL, progress_json = NULL, request_json = ''
            WHERE id = @id AND status = 1 AND lease_token = @token
            """;
        cmd.Parameters.AddWithValue("errorName", error.Name);
        cmd.Parameters.AddWithValue("errorMessage", error.Message);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
