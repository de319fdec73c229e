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

    public async Task CreateAsync(NewGenerationTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        await using var cmd = _db.CreateCommand("""
            INSERT INTO reframe_tasks (id, owner_id, status, request_json, seed, created_at)
            VALUES (@id, @owner, 0, @request, @seed, @created)
            """);
        cmd.Parameters.AddWithValue("id", task.Id);
        cmd.Parameters.AddWithValue("owner", task.OwnerId);
        cmd.Parameters.AddWithValue("request", task.RequestJson);
        cmd.Parameters.AddWithValue("seed", task.Seed);
        cmd.Parameters.AddWithValue("created", _time.GetUtcNow().ToUnixTimeMilliseconds());
        // Not cancellable once sent: the row may already be committing.
        await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<GenerationTask?> FindAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_finished.Find(id, ownerId, now) is { } finished)
        {
            return finished;
        }
        // One statement: the row and, for a queued task, its queue position come from one snapshot.
        await using var cmd = _db.CreateCommand("""
            SELECT t.status, t.seed, t.created_at, t.ended_at, t.expires_at, t.attempts, t.cancel_requested,
                   t.progress_json, t.result_json, t.error_name, t.error_message,
                   CASE WHEN t.status = 0 THEN (SELECT COUNT(*) FROM reframe_tasks q WHERE q.status = 0 AND q.seq < t.seq) END
            FROM reframe_tasks t WHERE t.id = @id AND t.owner_id = @owner
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("owner", ownerId);
        GenerationTask? task;
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            var expiresAt = r.IsDBNull(4) ? (long?)null : r.GetInt64(4);
            if (expiresAt is { } e && e <= now.ToUnixTimeMilliseconds())
            {
                return null; // expired: gone for the client even before the sweeper deletes it
            }
            task = new GenerationTask(
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
        _finished.Remember(task);
        return task;
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
        cmd.Parameters.AddWithValue("message", "The task was cancelled at the client's request before it started.");
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
