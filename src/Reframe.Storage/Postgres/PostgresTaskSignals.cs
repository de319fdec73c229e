using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Postgres;

/// <summary>
/// <see cref="ITaskSignals"/> over LISTEN/NOTIFY: one dedicated connection per node listens on the channels the
/// table's trigger notifies, so a change committed by any node reaches this one's workers and event streams. If the
/// connection drops, it reconnects with a backoff and raises <see cref="TaskSignalKind.Resync"/> (notifications sent
/// meanwhile are lost: listeners re-read). An idle connection is checked with a query every
/// <see cref="CheckInterval"/>, so a dead server is noticed even when nothing is notified.
/// </summary>
internal sealed partial class PostgresTaskSignals : ITaskSignals, IAsyncDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);
    private static readonly string[] Channels = ["reframe_queue", "reframe_task", "reframe_cancel"];

    private readonly NpgsqlDataSource _db;
    private readonly TaskSignalHub _hub = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;
    private readonly Task _loop;
    private int _disposed;

    public PostgresTaskSignals(NpgsqlDataSource db, ILogger? log)
    {
        _db = db;
        _log = log ?? NullLogger.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the first LISTEN is in place (a start-up waits for it, so no early change is missed).</summary>
    public Task Listening => _listening.Task;

    public IDisposable Subscribe(Action<TaskSignal> handler) => _hub.Subscribe(handler);

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _db.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) => _hub.Publish(ToSignal(e.Channel, e.Payload));
                foreach (var channel in Channels)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }
                _listening.TrySetResult();
                if (!first)
                {
                    LogReconnected();
                    _hub.Publish(new TaskSignal(TaskSignalKind.Resync, Guid.Empty));
                    _hub.Publish(new TaskSignal(TaskSignalKind.Queued, Guid.Empty));
                }
                first = false;
                backoff = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    if (!await connection.WaitAsync(CheckInterval, _stop.Token).ConfigureAwait(false))
                    {
                        await using var check = new NpgsqlCommand("SELECT 1", connection);
                        await check.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the listener must outlive a database restart; the log says why it reconnects
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLost(ex, backoff);
                try
                {
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    internal static TaskSignal ToSignal(string channel, string payload)
    {
        _ = Guid.TryParse(payload, out var id);
        return channel switch
        {
            "reframe_queue" => new TaskSignal(TaskSignalKind.Queued, id),
            "reframe_cancel" => new TaskSignal(TaskSignalKind.CancelRequested, id),
            _ => new TaskSignal(TaskSignalKind.Changed, id),
        };
    }

    // Disposed by its backend and by a container that handed it out as ITaskSignals: the second call does nothing.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL notification connection; reconnecting in {Backoff}")]
    private partial void LogLost(Exception ex, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL notifications restored")]
    private partial void LogReconnected();
}
