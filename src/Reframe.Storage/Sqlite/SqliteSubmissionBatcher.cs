using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>
/// Group commit for submissions: every insert waiting when the writer frees up goes into one transaction, so
/// one WAL fsync covers many POSTs. Each caller's task completes only after the commit that holds its row.
/// </summary>
internal sealed class SqliteSubmissionBatcher : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqliteDatabase _db;
    private readonly TaskSignalHub _signals;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public SqliteSubmissionBatcher(SqliteDatabase db, TaskSignalHub signals)
    {
        _db = db;
        _signals = signals;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Null once the row is committed; the earlier submission when the task's idempotency key was taken.</summary>
    public Task<IdempotentSubmission?> SubmitAsync(NewGenerationTask task, long createdAtMs)
    {
        var pending = new Pending(task, createdAtMs, new TaskCompletionSource<IdempotentSubmission?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteSubmissionBatcher), "the store is shutting down");
        }
        return pending.Committed.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                var existing = await _db.WriteAsync(connection => InsertAll(connection, batch), CancellationToken.None).ConfigureAwait(false);
                _signals.Publish(new TaskSignal(TaskSignalKind.Queued, Guid.Empty));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Committed.TrySetResult(existing[i]);
                }
            }
#pragma warning disable CA1031 // the failure belongs to the callers: hand it to each of them
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var p in batch)
                {
                    p.Committed.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Inserts the batch in one transaction; per task, null when inserted or the submission that holds its key.</summary>
    private static IdempotentSubmission?[] InsertAll(SqliteConnection connection, List<Pending> batch)
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        // DO NOTHING rather than an error: one repeated key must not fail the other submissions of its commit.
        cmd.CommandText = """
            INSERT INTO tasks (id, owner_id, status, request_json, seed, created_at, idempotency_key, request_hash)
            VALUES ($id, $owner, 0, $request, $seed, $created, $key, $hash)
            ON CONFLICT DO NOTHING
            """;
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var owner = cmd.Parameters.Add("$owner", SqliteType.Text);
        var request = cmd.Parameters.Add("$request", SqliteType.Text);
        var seed = cmd.Parameters.Add("$seed", SqliteType.Integer);
        var created = cmd.Parameters.Add("$created", SqliteType.Integer);
        var key = cmd.Parameters.Add("$key", SqliteType.Text);
        var hash = cmd.Parameters.Add("$hash", SqliteType.Text);
        var existing = new IdempotentSubmission?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            if (p.Task.IdempotencyKey is { } k)
            {
                SqliteIdempotency.ReleaseExpired(connection, tx, p.Task.OwnerId, k, p.CreatedAtMs);
            }
            id.Value = p.Task.Id.ToString();
            owner.Value = p.Task.OwnerId;
            request.Value = p.Task.RequestJson;
            seed.Value = p.Task.Seed;
            created.Value = p.CreatedAtMs;
            key.Value = (object?)p.Task.IdempotencyKey ?? DBNull.Value;
            hash.Value = (object?)p.Task.RequestHash ?? DBNull.Value;
            if (cmd.ExecuteNonQuery() == 0)
            {
                existing[i] = SqliteIdempotency.Find(connection, tx, p.Task.OwnerId, p.Task.IdempotencyKey!, p.CreatedAtMs)
                              ?? throw new InvalidOperationException($"task {p.Task.Id} was not inserted and no task holds its idempotency key");
            }
        }
        tx.Commit();
        return existing;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record Pending(NewGenerationTask Task, long CreatedAtMs, TaskCompletionSource<IdempotentSubmission?> Committed);
}
