using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;
using Reframe.Storage.Sqlite;

namespace Reframe.Storage.Postgres;

/// <summary>
/// The clients' side of the PostgreSQL backend: submit, read, cancel, purge. Each call is one statement or one short
/// transaction; the table's trigger announces every change to every node (see <see cref="PostgresSchema"/>).
/// </summary>
internal sealed class PostgresTaskStore : ITaskStore
{
    private readonly NpgsqlDataSource _db;
    private readonly TaskQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly FinalTaskCache _finished = new();

    public PostgresTaskStore(NpgsqlDataSource db, TaskQueueOptions options, TimeProvider time)
    {
        _db = db;
        _options = options;
        _time = time;
    }

    public async Task<IdempotentSubmission?> CreateAsync(NewGenerationTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // Not cancellable once sent: the row may already be committing.
        if (task.IdempotencyKey is { } key)
        {
            // A row past its retention that the purge has not reached yet gives its key up.
            await using var release = _db.CreateCommand("""
                UPDATE reframe_tasks SET idempotency_key = NULL
                WHERE owner_id = @owner AND idempotency_key = @key AND expires_at IS NOT NULL AND expires_at <= @now
                """);
            release.Parameters.AddWithValue("owner", task.OwnerId);
            release.Parameters.AddWithValue("key", key);
            release.Parameters.AddWithValue("now", now);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        // DO NOTHING: of two nodes inserting one owner's key at once, the second waits for the first and finds it.
        await using var cmd = _db.CreateCommand("""
            INSERT INTO reframe_tasks (id, owner_id, status, request_json, seed, created_at, idempotency_key, request_hash)
            VALUES (@id, @owner, 0, @request, @seed, @created, @key, @hash)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.AddWithValue("id", task.Id);
        cmd.Parameters.AddWithValue("owner", task.OwnerId);
        cmd.Parameters.AddWithValue("request", task.RequestJson);
        cmd.Parameters.AddWithValue("seed", task.Seed);
        cmd.Parameters.AddWithValue("created", now);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("key", NpgsqlDbType.Text) { TypedValue = task.IdempotencyKey });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("hash", NpgsqlDbType.Text) { TypedValue = task.RequestHash });
        if (await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1)
        {
            return null;
        }
        return await FindByIdempotencyKeyAsync(task.OwnerId, task.IdempotencyKey!, CancellationToken.None).ConfigureAwait(false)
               ?? throw new InvalidOperationException($"task {task.Id} was not inserted and no task holds its idempotency key");
    }

    public async Task<IdempotentSubmission?> FindByIdempotencyKeyAsync(string ownerId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("""
            SELECT id, request_hash FROM reframe_tasks
            WHERE owner_id = @owner AND idempotency_key = @key AND (expires_at IS NULL OR expires_at > @now)
            """);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("key", idempotencyKey);
        cmd.Parameters.AddWithValue("now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new IdempotentSubmission(r.GetGuid(0), r.IsDBNull(1) ? "" : r.GetString(1))
            : null;
    }

    public async Task<TaskPage> ListAsync(string ownerId, TaskListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Newest first by seq (the submission order); the cursor is the last seq of the previous page.
        await using var cmd = _db.CreateCommand($"""
            SELECT {TaskColumns}, t.id, t.seq FROM reframe_tasks t
            WHERE t.owner_id = @owner AND t.seq < @before AND (@status::smallint IS NULL OR t.status = @status::smallint)
                  AND (t.expires_at IS NULL OR t.expires_at > @now)
            ORDER BY t.seq DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("before", query.Before ?? long.MaxValue);
        cmd.Parameters.Add(new NpgsqlParameter<short?>("status", NpgsqlDbType.Smallint) { TypedValue = query.Status is { } st ? (short)st : null });
        cmd.Parameters.AddWithValue("now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("limit", query.Limit + 1); // one more than asked: tells whether a next page exists
        var tasks = new List<GenerationTask>();
        var seqs = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tasks.Add(ReadTask(r, r.GetGuid(12), ownerId));
            seqs.Add(r.GetInt64(13));
        }
        return tasks.Count > query.Limit
            ? new TaskPage(tasks.GetRange(0, query.Limit), seqs[query.Limit - 1])
            : new TaskPage(tasks, null);
    }

    public async Task<DeleteOutcome> DeleteFinishedAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM reframe_tasks WHERE id = @id AND owner_id = @owner AND status IN (2, 3) AND expires_at > @now
            RETURNING file_token
            """, connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("now", now);
        DeleteOutcome outcome;
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            outcome = await r.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new DeleteOutcome(true, true, r.IsDBNull(0) ? null : r.GetString(0))
                : new DeleteOutcome(false, false, null);
        }
        if (outcome.Finished)
        {
            // Delivered at commit to every node (the trigger fires on insert and update only): their caches drop the snapshot.
            cmd.CommandText = "SELECT pg_notify('reframe_task', @id::text)";
        }
        else
        {
            cmd.CommandText = "SELECT COUNT(*) FROM reframe_tasks WHERE id = @id AND owner_id = @owner AND (expires_at IS NULL OR expires_at > @now)";
        }
        var scalar = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!outcome.Finished)
        {
            outcome = new DeleteOutcome((long)scalar! == 1, false, null);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Finished)
        {
            _finished.Forget(id);
        }
        return outcome;
    }

    /// <summary>Keeps the snapshot cache true to the table when another node deletes a task (or notifications were missed).</summary>
    internal void OnSignal(TaskSignal signal)
    {
        if (signal.Kind == TaskSignalKind.Resync)
        {
            _finished.Clear();
        }
        else if (signal.Kind == TaskSignalKind.Changed && signal.TaskId != Guid.Empty)
        {
            _finished.Evict(signal.TaskId);
        }
    }

    public async Task<GenerationTask?> FindAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_finished.Find(id, ownerId, now) is { } finished)
        {
            return finished;
        }
        // One statement: the row and, for a queued task, its queue position come from one snapshot.
        await using var cmd = _db.CreateCommand($"SELECT {TaskColumns} FROM reframe_tasks t WHERE t.id = @id AND t.owner_id = @owner");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", ownerId);
        GenerationTask? task;
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            task = ReadTask(r, id, ownerId);
        }
        if (task.ExpiresAt is { } e && e <= now)
        {
            return null; // expired: gone for the client even before the sweeper deletes it
        }
        _finished.Remember(task);
        return task;
    }

    // The read model's columns, in ReadTask's order (a queued task's position read in the same statement).
    private const string TaskColumns = """
        t.status, t.seed, t.created_at, t.ended_at, t.expires_at, t.attempts, t.cancel_requested,
        t.progress_json, t.result_json, t.error_name, t.error_message,
        CASE WHEN t.status = 0 THEN (SELECT COUNT(*) FROM reframe_tasks q WHERE q.status = 0 AND q.seq < t.seq) END
        """;

    private static GenerationTask ReadTask(NpgsqlDataReader r, Guid id, string ownerId)
    {
        var expiresAt = r.IsDBNull(4) ? (long?)null : r.GetInt64(4);
        return new GenerationTask(
            id,
            ownerId,
            (GenerationTaskStatus)r.GetInt16(0),
            Seed: r.GetInt64(1),
            CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
            EndedAt: r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
            ExpiresAt: expiresAt is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x) : null,
            Attempts: r.GetInt32(5),
            CancelRequested: r.GetBoolean(6),
            QueuePosition: r.IsDBNull(11) ? null : r.GetInt64(11),
            Progress: r.IsDBNull(7) ? null : JsonSerializer.Deserialize(r.GetString(7), StorageJson.Default.TaskProgress),
            Result: r.IsDBNull(8) ? null : JsonSerializer.Deserialize(r.GetString(8), StorageJson.Default.TaskResult),
            Error: r.IsDBNull(9) ? null : new TaskError(r.GetString(9), r.IsDBNull(10) ? "" : r.GetString(10)));
    }

    public async Task<CancelOutcome> RequestCancelAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            UPDATE reframe_tasks SET status = 3, error_name = @name, error_message = @message, ended_at = @now,
                                     expires_at = @expires, request_json = ''
            WHERE id = @id AND owner_id = @owner AND status = 0
            """, connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("expires", (now + _options.Retention).ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("name", TaskErrorNames.Cancelled);
        cmd.Parameters.AddWithValue("message", TaskEndMessages.CancelledBeforeStart);
        CancelOutcome outcome;
        if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            outcome = CancelOutcome.CancelledWhileQueued;
        }
        else
        {
            // The trigger notifies reframe_cancel on commit: the worker holding the task stops within a step.
            cmd.CommandText = "UPDATE reframe_tasks SET cancel_requested = true WHERE id = @id AND owner_id = @owner AND status = 1";
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                outcome = CancelOutcome.CancelRequested;
            }
            else
            {
                cmd.CommandText = "SELECT COUNT(*) FROM reframe_tasks WHERE id = @id AND owner_id = @owner AND (expires_at IS NULL OR expires_at > @now)";
                outcome = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1
                    ? CancelOutcome.AlreadyEnded
                    : CancelOutcome.NotFound;
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public async Task<IReadOnlyList<string>> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("DELETE FROM reframe_tasks WHERE expires_at IS NOT NULL AND expires_at <= @now RETURNING file_token");
        cmd.Parameters.AddWithValue("now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        var tokens = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!r.IsDBNull(0))
            {
                tokens.Add(r.GetString(0));
            }
        }
        return tokens;
    }

    public async Task<long> CountActiveAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("SELECT COUNT(*) FROM reframe_tasks WHERE owner_id = @owner AND status IN (0, 1)");
        cmd.Parameters.AddWithValue("owner", ownerId);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyDictionary<GenerationTaskStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _db.CreateCommand("SELECT status, COUNT(*) FROM reframe_tasks WHERE expires_at IS NULL OR expires_at > @now GROUP BY status");
        cmd.Parameters.AddWithValue("now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        var counts = Enum.GetValues<GenerationTaskStatus>().ToDictionary(s => s, _ => 0L);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[(GenerationTaskStatus)r.GetInt16(0)] = r.GetInt64(1);
        }
        return counts;
    }

    public async Task<IReadOnlySet<string>> ReferencedFileTokensAsync(IReadOnlyCollection<string> fileTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileTokens);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        if (fileTokens.Count == 0)
        {
            return referenced;
        }
        await using var cmd = _db.CreateCommand("SELECT file_token FROM reframe_tasks WHERE file_token = ANY(@tokens)");
        cmd.Parameters.Add(new NpgsqlParameter("tokens", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fileTokens.ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            referenced.Add(r.GetString(0));
        }
        return referenced;
    }

    public async Task<IReadOnlySet<Guid>> ActiveTaskIdsAsync(IReadOnlyCollection<Guid> taskIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        var active = new HashSet<Guid>();
        if (taskIds.Count == 0)
        {
            return active;
        }
        await using var cmd = _db.CreateCommand("SELECT id FROM reframe_tasks WHERE id = ANY(@ids) AND status IN (0, 1)");
        cmd.Parameters.AddWithValue("ids", taskIds.ToArray());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            active.Add(r.GetGuid(0));
        }
        return active;
    }
}
