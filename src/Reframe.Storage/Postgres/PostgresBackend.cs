using Microsoft.Extensions.Logging;
using Npgsql;
using Reframe.Core.Auth;
using Reframe.Core.Tasks;
using Reframe.Core.Webhooks;

namespace Reframe.Storage.Postgres;

/// <summary>
/// The scale-out backend: one PostgreSQL database shared by every API and worker node. Opening it brings the schema up
/// to date (safe when several nodes start at once) and starts listening for notifications before anything is served.
/// Unlike SQLite there is no start-up orphan recovery: other nodes may be alive, so a dead worker's task comes back
/// when its lease expires (<see cref="ITaskQueue.RecoverExpiredLeasesAsync"/>, run by every node).
/// </summary>
public sealed class PostgresBackend : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db;
    private readonly PostgresTaskSignals _signals;
    private readonly IDisposable _cacheInvalidation;
    private int _disposed;

    private PostgresBackend(NpgsqlDataSource db, TaskQueueOptions options, TimeProvider time, ILoggerFactory? logs)
    {
        _db = db;
        _signals = new PostgresTaskSignals(db, logs?.CreateLogger<PostgresBackend>());
        var store = new PostgresTaskStore(db, options, time);
        // A task deleted through another node must not live on in this node's snapshot cache.
        _cacheInvalidation = _signals.Subscribe(store.OnSignal);
        Store = store;
        Queue = new PostgresTaskQueue(db, options, time);
        Outbox = new PostgresWebhookOutbox(db, time);
        ApiKeys = new PostgresApiKeyStore(db, time);
    }

    public ITaskStore Store { get; }
    public ITaskQueue Queue { get; }
    public ITaskSignals Signals => _signals;
    public IWebhookOutbox Outbox { get; }
    public IApiKeyStore ApiKeys { get; }
    public int SchemaVersion { get; private set; }

    /// <summary>The pool, for tests and benchmarks that look at the tables directly.</summary>
    public NpgsqlDataSource DataSource => _db;

    public static async Task<PostgresBackend> OpenAsync(string databaseUrl, TaskQueueOptions options, TimeProvider time,
        ILoggerFactory? logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var db = PostgresConnection.CreateDataSource(databaseUrl, "reframe");
        try
        {
            var version = await PostgresSchema.MigrateAsync(db, cancellationToken).ConfigureAwait(false);
            var backend = new PostgresBackend(db, options, time, logs) { SchemaVersion = version };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await backend._signals.Listening.WaitAsync(timeout.Token).ConfigureAwait(false);
            return backend;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _cacheInvalidation.Dispose();
        await _signals.DisposeAsync().ConfigureAwait(false);
        await _db.DisposeAsync().ConfigureAwait(false);
    }
}
