using System.Text.Json;
using Microsoft.Data.Sqlite;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>The clients' side of the SQLite backend: submit, read, cancel, purge.</summary>
internal sealed class SqliteTaskStore : ITaskStore
{
    private readonly SqliteDatabase _db;
    private readonly SqliteSubmissionBatcher _batcher;
    private readonly TaskQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskSignalHub _signals;
    private readonly FinalTaskCache _finished = new();
    private readonly LiveTaskCache _live = new();

    public SqliteTaskStore(SqliteDatabase db, SqliteSubmissionBatcher batcher, TaskQueueOptions options, TimeProvider time, TaskSignalHub signals)
    {
        _signals = signals;
        _db = db;
        _batcher = batcher;
        _options = options;
        _time = time;
    }

    public Task<IdempotentSubmission?> CreateAsync(NewGenerationTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        // Not cancellable once handed over: the row may already be in the commit being written.
        return _batcher.SubmitAsync(task, UnixTime.Ms(_time.GetUtcNow()));
    }

    public Task<IdempotentSubmission?> FindByIdempotencyKeyAsync(string ownerId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var now = UnixTime.Ms(_time.GetUtcNow());
        return Task.FromResult(_db.Read(session => SqliteIdempotency.Find(session.Connection, null, ownerId, idempotencyKey, now)));
    }

    public Task<TaskPage> ListAsync(string ownerId, TaskListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = UnixTime.Ms(_time.GetUtcNow());
        return Task.FromResult(_db.Read(session =>
        {
            var cmd = session.Command(ListSql, "$owner", "$before", "$status", "$now", "$limit");
            cmd.Parameters[0].Value = ownerId;
            cmd.Parameters[1].Value = query.Before ?? long.MaxValue;
            cmd.Parameters[2].Value = query.Status is { } status ? (int)status : DBNull.Value;
            cmd.Parameters[3].Value = now;
            cmd.Parameters[4].Value = query.Limit + 1; // one more than asked: tells whether a next page exists
            var tasks = new List<GenerationTask>();
            var seqs = new List<long>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                tasks.Add(ReadTask(r, Guid.Parse(r.GetString(12)), ownerId));
                seqs.Add(r.GetInt64(13));
            }
            return tasks.Count > query.Limit
                ? new TaskPage(tasks.GetRange(0, query.Limit), seqs[query.Limit - 1])
                : new TaskPage(tasks, null);
        }));
    }

    public async Task<DeleteOutcome> DeleteFinishedAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = UnixTime.Ms(_time.GetUtcNow());
        var outcome = await _db.WriteAsync(connection =>
        {
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.Parameters.AddWithValue("$id", id.ToString());
            cmd.Parameters.AddWithValue("$owner", ownerId);
            cmd.Parameters.AddWithValue("$now", now);
            cmd.CommandText = """
                DELETE FROM tasks WHERE id = $id AND owner_id = $owner AND status IN (2, 3) AND expires_at > $now
                RETURNING file_token
                """;
            DeleteOutcome result;
            using (var r = cmd.ExecuteReader())
            {
                result = r.Read() ? new DeleteOutcome(true, true, r.IsDBNull(0) ? null : r.GetString(0)) : new DeleteOutcome(false, false, null);
            }
            if (!result.Found)
            {
                cmd.CommandText = "SELECT COUNT(*) FROM tasks WHERE id = $id AND owner_id = $owner AND (expires_at IS NULL OR expires_at > $now)";
                result = new DeleteOutcome((long)cmd.ExecuteScalar()! == 1, false, null);
            }
            tx.Commit();
            return result;
        }, cancellationToken).ConfigureAwait(false);
        if (outcome.Finished)
        {
            // The one change a final row can see: the snapshot must go with it, and event streams must hear it.
            _finished.Forget(id);
            _signals.Publish(new TaskSignal(TaskSignalKind.Changed, id));
        }
        return outcome;
    }

    public Task<GenerationTask?> FindAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_finished.Find(id, ownerId, now) is { } finished)
        {
            return Task.FromResult<GenerationTask?>(finished);
        }
        // Read before the row: a write that starts after this moves it on, so what is read now is never kept past it.
        var version = _db.WriteVersion;
        if (_live.Find(id, ownerId, version) is { } live)
        {
            return Task.FromResult<GenerationTask?>(live);
        }
        var task = _db.Read(session => Find(session, id, ownerId, UnixTime.Ms(now)));
        if (task is not null)
        {
            _finished.Remember(task);
            _live.Remember(task, version);
        }
        return Task.FromResult(task);
    }

    // The read model's columns, in ReadTask's order. For a queued task, its queue position (the queued tasks submitted
    // before it) is read in the same statement, so the row and its position come from one snapshot.
    private const string TaskColumns = """
        t.status, t.seed, t.created_at, t.ended_at, t.expires_at, t.attempts, t.cancel_requested,
        t.progress_json, t.result_json, t.error_name, t.error_message,
        CASE WHEN t.status = 0 THEN (SELECT COUNT(*) FROM tasks q WHERE q.status = 0 AND q.seq < t.seq) END
        """;

    private const string FindSql = $"SELECT {TaskColumns} FROM tasks t WHERE t.id = $id AND t.owner_id = $owner";

    // Newest first by seq (the submission order); the cursor is the last seq of the previous page.
    private const string ListSql = $"""
        SELECT {TaskColumns}, t.id, t.seq FROM tasks t
        WHERE t.owner_id = $owner AND t.seq < $before AND ($status IS NULL OR t.status = $status)
              AND (t.expires_at IS NULL OR t.expires_at > $now)
        ORDER BY t.seq DESC LIMIT $limit
        """;

    private static GenerationTask? Find(ReaderSession session, Guid id, string ownerId, long now)
    {
        var cmd = session.Command(FindSql, "$id", "$owner");
        cmd.Parameters[0].Value = id.ToString();
        cmd.Parameters[1].Value = ownerId;
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }
        var task = ReadTask(r, id, ownerId);
        // Expired: gone for the client even before the sweeper deletes it.
        return task.ExpiresAt is { } e && UnixTime.Ms(e) <= now ? null : task;
    }

    private static GenerationTask ReadTask(SqliteDataReader r, Guid id, string ownerId)
    {
        var expiresAt = r.IsDBNull(4) ? (long?)null : r.GetInt64(4);
        return new GenerationTask(
            id,
            ownerId,
            (GenerationTaskStatus)r.GetInt32(0),
            Seed: r.GetInt64(1),
            CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
            EndedAt: r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
            ExpiresAt: expiresAt is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x) : null,
            Attempts: r.GetInt32(5),
            CancelRequested: r.GetInt64(6) != 0,
            QueuePosition: r.IsDBNull(11) ? null : r.GetInt64(11),
            Progress: r.IsDBNull(7) ? null : JsonSerializer.Deserialize(r.GetString(7), StorageJson.Default.TaskProgress),
            Result: r.IsDBNull(8) ? null : JsonSerializer.Deserialize(r.GetString(8), StorageJson.Default.TaskResult),
            Error: r.IsDBNull(9) ? null : new TaskError(r.GetString(9), r.IsDBNull(10) ? "" : r.GetString(10)));
    }

    public async Task<CancelOutcome> RequestCancelAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var outcome = await CancelAsync(id, ownerId, cancellationToken).ConfigureAwait(false);
        if (outcome == CancelOutcome.CancelRequested)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.CancelRequested, id));
        }
        if (outcome is CancelOutcome.CancelRequested or CancelOutcome.CancelledWhileQueued)
        {
            _signals.Publish(new TaskSignal(TaskSignalKind.Changed, id));
        }
        return outcome;
    }

    private Task<CancelOutcome> CancelAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return _db.WriteAsync(connection =>
        {
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.Parameters.AddWithValue("$id", id.ToString());
            cmd.Parameters.AddWithValue("$owner", ownerId);
            cmd.Parameters.AddWithValue("$now", UnixTime.Ms(now));
            cmd.Parameters.AddWithValue("$expires", UnixTime.Ms(now + _options.Retention));
            cmd.Parameters.AddWithValue("$name", TaskErrorNames.Cancelled);
            cmd.Parameters.AddWithValue("$message", TaskEndMessages.CancelledBeforeStart);
            cmd.CommandText = """
                UPDATE tasks SET status = 3, error_name = $name, error_message = $message, ended_at = $now,
                                 expires_at = $expires, request_json = ''
                WHERE id = $id AND owner_id = $owner AND status = 0
                """;
            var outcome = CancelOutcome.NotFound;
            if (cmd.ExecuteNonQuery() == 1)
            {
                outcome = CancelOutcome.CancelledWhileQueued;
            }
            else
            {
                cmd.CommandText = "UPDATE tasks SET cancel_requested = 1 WHERE id = $id AND owner_id = $owner AND status = 1";
                if (cmd.ExecuteNonQuery() == 1)
                {
                    outcome = CancelOutcome.CancelRequested;
                }
                else
                {
                    cmd.CommandText = "SELECT COUNT(*) FROM tasks WHERE id = $id AND owner_id = $owner AND (expires_at IS NULL OR expires_at > $now)";
                    outcome = (long)cmd.ExecuteScalar()! == 1 ? CancelOutcome.AlreadyEnded : CancelOutcome.NotFound;
                }
            }
            tx.Commit();
            return outcome;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string>> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = UnixTime.Ms(_time.GetUtcNow());
        return _db.WriteAsync<IReadOnlyList<string>>(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= $now RETURNING file_token";
            cmd.Parameters.AddWithValue("$now", now);
            var tokens = new List<string>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!r.IsDBNull(0))
                {
                    tokens.Add(r.GetString(0));
                }
            }
            return tokens;
        }, cancellationToken);
    }

    public Task<long> CountActiveAsync(string ownerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownerId);
        return Task.FromResult(_db.Read(session =>
        {
            var cmd = session.Command("SELECT COUNT(*) FROM tasks WHERE owner_id = $owner AND status IN (0, 1)", "$owner");
            cmd.Parameters[0].Value = ownerId;
            return (long)cmd.ExecuteScalar()!;
        }));
    }

    public Task<IReadOnlyDictionary<GenerationTaskStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        var now = UnixTime.Ms(_time.GetUtcNow());
        return Task.FromResult<IReadOnlyDictionary<GenerationTaskStatus, long>>(_db.Read(session =>
        {
            var cmd = session.Command("SELECT status, COUNT(*) FROM tasks WHERE expires_at IS NULL OR expires_at > $now GROUP BY status", "$now");
            cmd.Parameters[0].Value = now;
            var counts = Enum.GetValues<GenerationTaskStatus>().ToDictionary(s => s, _ => 0L);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                counts[(GenerationTaskStatus)r.GetInt32(0)] = r.GetInt64(1);
            }
            return counts;
        }));
    }

    public Task<IReadOnlySet<string>> ReferencedFileTokensAsync(IReadOnlyCollection<string> fileTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileTokens);
        return Task.FromResult<IReadOnlySet<string>>(_db.Read(session =>
        {
            var cmd = session.Command("SELECT 1 FROM tasks WHERE file_token = $token LIMIT 1", "$token");
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in fileTokens)
            {
                cmd.Parameters[0].Value = token;
                if (cmd.ExecuteScalar() is not null)
                {
                    referenced.Add(token);
                }
            }
            return referenced;
        }));
    }

    public Task<IReadOnlySet<Guid>> ActiveTaskIdsAsync(IReadOnlyCollection<Guid> taskIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        return Task.FromResult<IReadOnlySet<Guid>>(_db.Read(session =>
        {
            var cmd = session.Command("SELECT 1 FROM tasks WHERE id = $id AND status IN (0, 1)", "$id");
            var active = new HashSet<Guid>();
            foreach (var id in taskIds)
            {
                cmd.Parameters[0].Value = id.ToString();
                if (cmd.ExecuteScalar() is not null)
                {
                    active.Add(id);
                }
            }
            return active;
        }));
    }
}
