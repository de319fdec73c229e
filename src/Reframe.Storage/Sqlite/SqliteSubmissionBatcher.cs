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

    public Task SubmitAsync(NewGenerationTask task, long createdAtMs)
    {
        var pending = new Pending(task, createdAtMs, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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
                await _db.WriteAsync(connection => InsertAll(connection, batch), CancellationToken.None).ConfigureAwait(false);
                _signals.Publish(new TaskSignal(TaskSignalKind.Queued, Guid.Empty));
                foreach (var p in batch)
                {
                    p.Committed.TrySetResult();
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

    private static int InsertAll(SqliteConnection connection, List<Pending> batch)
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO tasks (id, owner_id, status, request_json, seed, created_at)
            VALUES ($id, $owner, 0, $request, $seed, $created)
            """;
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var owner = cmd.Parameters.Add("$owner", SqliteType.Text);
        var request = cmd.Parameters.Add("$request", SqliteType.Text);
        var seed = cmd.Parameters.Add("$seed", SqliteType.Integer);
        var created = cmd.Parameters.Add("$created", SqliteType.Integer);
        foreach (var p in batch)
        {
            id.Value = p.Task.Id.ToString();
            owner.Value = p.Task.OwnerId;
            request.Value = p.Task.RequestJson;
            seed.Value = p.Task.Seed;
            created.Value = p.CreatedAtMs;
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return batch.Count;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record Pending(NewGenerationTask Task, long CreatedAtMs, TaskCompletionSource Committed);
}
