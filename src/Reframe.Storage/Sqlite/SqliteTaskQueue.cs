using System.Text.Json;
using Microsoft.Data.Sqlite;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// The workers' side of the SQLite backend. Every write names the lease token and the status it expects, so a
/// stale worker's write matches no row: that is what makes completion happen exactly once.
/// </summary>
internal sealed class SqliteTaskQueue : ITaskQueue
{
    private readonly SqliteDatabase _db;
    private readonly TaskQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskSignalHub _signals;

    public SqliteTaskQueue(SqliteDatabase db, TaskQueueOptions options, TimeProvider time, TaskSignalHub signals)
    {
        _signals = signals;
        _db = db;
        _options = options;
        _time = time;
    }

    // Each write raises its signal once it has committed (the Core methods below do the writing).
    public async Task<TaskLease?> TryLeaseAsync(string workerId, CancellationToken cancellationToken)
    {
        var lease = await TryLeaseCoreAsync(workerId, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Changed, lease.TaskId));
        }
        return lease;
    }

    public async Task<LeaseState> RenewAsync(TaskLease lease, TaskProgress? progress, CancellationToken cancellationToken)
    {
        var state = await RenewCoreAsync(lease, progress, cancellationToken).ConfigureAwait(false);
        if (progress is not null && state != LeaseState.Lost)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Changed, lease.TaskId));
        }
        return state;
    }

    public async Task<LeaseState> CompleteAsync(TaskLease lease, TaskResult result, CancellationToken cancellationToken) =>
        Ended(lease, await CompleteCoreAsync(lease, result, cancellationToken).ConfigureAwait(false));

    public async Task<LeaseState> FailAsync(TaskLease lease, TaskError error, CancellationToken cancellationToken) =>
        Ended(lease, await FailCoreAsync(lease, error, cancellationToken).ConfigureAwait(false));

    public async Task<LeaseState> ReleaseAsync(TaskLease lease, CancellationToken cancellationToken)
    {
        var state = Ended(lease, await ReleaseCoreAsync(lease, cancellationToken).ConfigureAwait(false));
        if (state == LeaseState.Held)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Queued, lease.TaskId));
        }
        return state;
    }

    public async Task<int> RecoverExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var moved = await RecoverExpiredLeasesCoreAsync(cancellationToken).ConfigureAwait(false);
        if (moved > 0)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Queued, Guid.Empty));
            _signals.Publish(new TaskSignal(TaskSignalKind.Resync, Guid.Empty));
        }
        return moved;
    }

    private LeaseState Ended(TaskLease lease, LeaseState state)
    {
        if (state != LeaseState.Lost)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Changed, lease.TaskId));
        }
        return state;
    }

    private Task<TaskLease?> TryLeaseCoreAsync(string workerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var token = Guid.NewGuid();
        return _db.WriteAsync(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                UPDATE tasks SET status = 1, attempts = attempts + 1, lease_token = $token, lease_owner = $worker,
                                 lease_expires_at = $expires, started_at = COALESCE(started_at, $now)
                WHERE seq = (SELECT seq FROM tasks WHERE status = 0 ORDER BY seq LIMIT 1)
                RETURNING id, owner_id, attempts, request_json, seed
                """;
            cmd.Parameters.AddWithValue("$token", token.ToString());
            cmd.Parameters.AddWithValue("$worker", workerId);
            cmd.Parameters.AddWithValue("$now", UnixTime.Ms(now));
            cmd.Parameters.AddWithValue("$expires", UnixTime.Ms(now + _options.LeaseDuration));
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return null;
            }
            return new TaskLease(Guid.Parse(r.GetString(0)), token, r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4));
        }, cancellationToken);
    }

    private Task<LeaseState> RenewCoreAsync(TaskLease lease, TaskProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.GetUtcNow();
        var progressJson = progress is null ? null : JsonSerializer.Serialize(progress, StorageJson.Default.TaskProgress);
        // Progress only moves forward, whoever writes it: the percents come from independent reporters (the engine's
        // steps, the runner's fixed stage percents, a retried attempt starting again from 0 after a requeue, which is
        // why leasing and requeueing keep the row's progress), so the row keeps the highest one reported.
        return _db.WriteAsync(connection =>
        {
            using var cmd = LeaseCommand(connection, lease, """
                UPDATE tasks SET lease_expires_at = $expires,
                                 progress_json = CASE WHEN $progress IS NOT NULL AND
                                                           (progress_json IS NULL OR json_extract(progress_json, '$.percent') <= $percent)
                                                      THEN $progress ELSE progress_json END
                WHERE id = $id AND status = 1 AND lease_token = $token
                RETURNING cancel_requested
                """);
            cmd.Parameters.AddWithValue("$expires", UnixTime.Ms(now + _options.LeaseDuration));
            cmd.Parameters.AddWithValue("$progress", (object?)progressJson ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$percent", progress?.Percent ?? 0);
            var cancel = cmd.ExecuteScalar();
            return cancel switch
            {
                null => LeaseState.Lost,
                long c when c != 0 => LeaseState.CancelRequested,
                _ => LeaseState.Held,
            };
        }, cancellationToken);
    }

    private Task<LeaseState> CompleteCoreAsync(TaskLease lease, TaskResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(result);
        var now = _time.GetUtcNow();
        var resultJson = JsonSerializer.Serialize(result, StorageJson.Default.TaskResult);
        return _db.WriteAsync(connection =>
        {
            using var tx = connection.BeginTransaction();
            using var cmd = LeaseCommand(connection, lease, """
                UPDATE tasks SET status = 2, result_json = $result, file_token = $file, ended_at = $now, expires_at = $expires,
                                 lease_token = NULL, lease_expires_at = NULL, progress_json = NULL, request_json = ''
                WHERE id = $id AND status = 1 AND lease_token = $token AND cancel_requested = 0
                """);
            cmd.Transaction = tx;
            cmd.Parameters.AddWithValue("$result", resultJson);
            cmd.Parameters.AddWithValue("$file", (object?)result.FileToken ?? DBNull.Value);
            AddEndTimes(cmd, now);
            var state = ApplyUnlessCancelled(cmd);
            tx.Commit();
            return state;
        }, cancellationToken);
    }

    private Task<LeaseState> FailCoreAsync(TaskLease lease, TaskError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(error);
        var now = _time.GetUtcNow();
        return _db.WriteAsync(connection =>
        {
            using var cmd = LeaseCommand(connection, lease, "");
            AddEndTimes(cmd, now);
            return EndInError(cmd, error) ? LeaseState.Held : LeaseState.Lost;
        }, cancellationToken);
    }

    private Task<LeaseState> ReleaseCoreAsync(TaskLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.GetUtcNow();
        return _db.WriteAsync(connection =>
        {
            using var tx = connection.BeginTransaction();
            using var cmd = LeaseCommand(connection, lease, """
                UPDATE tasks SET status = 0, attempts = attempts - 1, lease_token = NULL, lease_owner = NULL,
                                 lease_expires_at = NULL
                WHERE id = $id AND status = 1 AND lease_token = $token AND cancel_requested = 0
                """);
            cmd.Transaction = tx;
            AddEndTimes(cmd, now);
            var state = ApplyUnlessCancelled(cmd);
            tx.Commit();
            return state;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs a lease-guarded transition that only applies while no cancel is pending. When it touches no row, either
    /// the lease is gone, or a cancel arrived first: the 202 the client got wins, and the task ends cancelled.
    /// </summary>
    private static LeaseState ApplyUnlessCancelled(SqliteCommand cmd)
    {
        if (cmd.ExecuteNonQuery() != 0)
        {
            return LeaseState.Held;
        }
        return EndInError(cmd, new TaskError(TaskErrorNames.Cancelled, TaskEndMessages.CancelledWhileRunning))
            ? LeaseState.CancelRequested
            : LeaseState.Lost;
    }

    private Task<int> RecoverExpiredLeasesCoreAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return _db.WriteAsync(connection => Recover(connection, now, "lease_expires_at <= $now"), cancellationToken);
    }

    /// <summary>
    /// At start-up on the single-node backend, every task still marked generating belonged to a process that is
    /// gone (the data-directory lock proves no other one is alive), so it is recovered without waiting for its lease.
    /// </summary>
    internal int RecoverOrphans()
    {
        var now = _time.GetUtcNow();
        return _db.WriteNow(connection => Recover(connection, now, "1 = 1"));
    }

    private int Recover(SqliteConnection connection, DateTimeOffset now, string leaseCondition)
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        AddEndTimes(cmd, now);
        cmd.Parameters.AddWithValue("$max", _options.MaxAttempts);
        cmd.Parameters.AddWithValue("$cancelled", TaskErrorNames.Cancelled);
        cmd.Parameters.AddWithValue("$cancelledMessage", TaskEndMessages.CancelledWhileRunning);
        cmd.Parameters.AddWithValue("$exhausted", TaskErrorNames.AttemptsExhausted);
        cmd.Parameters.AddWithValue("$exhaustedMessage",
            TaskEndMessages.AttemptsExhausted(_options.MaxAttempts));
        const string endFields = """
            ended_at = $now, expires_at = $expires, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
            progress_json = NULL, request_json = ''
            """;
        var moved = 0;
        cmd.CommandText = $"UPDATE tasks SET status = 3, error_name = $cancelled, error_message = $cancelledMessage, {endFields} " +
                          $"WHERE status = 1 AND {leaseCondition} AND cancel_requested = 1";
        moved += cmd.ExecuteNonQuery();
        cmd.CommandText = $"UPDATE tasks SET status = 3, error_name = $exhausted, error_message = $exhaustedMessage, {endFields} " +
                          $"WHERE status = 1 AND {leaseCondition} AND attempts >= $max";
        moved += cmd.ExecuteNonQuery();
        cmd.CommandText = "UPDATE tasks SET status = 0, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL " +
                          $"WHERE status = 1 AND {leaseCondition}";
        moved += cmd.ExecuteNonQuery();
        tx.Commit();
        return moved;
    }

    public Task<long> CountQueuedAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_db.Read(session => (long)session.Command("SELECT COUNT(*) FROM tasks WHERE status = 0").ExecuteScalar()!));

    private static SqliteCommand LeaseCommand(SqliteConnection connection, TaskLease lease, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$id", lease.TaskId.ToString());
        cmd.Parameters.AddWithValue("$token", lease.Token.ToString());
        return cmd;
    }

    private void AddEndTimes(SqliteCommand cmd, DateTimeOffset now)
    {
        cmd.Parameters.AddWithValue("$now", UnixTime.Ms(now));
        cmd.Parameters.AddWithValue("$expires", UnixTime.Ms(now + _options.Retention));
    }

    /// <summary>Ends the leased task in error; the command carries $id, $token, $now and $expires.</summary>
    private static bool EndInError(SqliteCommand cmd, TaskError error)
    {
        cmd.CommandText = """
            UPDATE tasks SET status = 3, error_name = $errorName, error_message = $errorMessage, ended_at = $now, expires_at = $expires,
                             lease_token = NULL, lease_expires_at = NULL, progress_json = NULL, request_json = ''
            WHERE id = $id AND status = 1 AND lease_token = $token
            """;
        cmd.Parameters.AddWithValue("$errorName", error.Name);
        cmd.Parameters.AddWithValue("$errorMessage", error.Message);
        return cmd.ExecuteNonQuery() == 1;
    }
}
