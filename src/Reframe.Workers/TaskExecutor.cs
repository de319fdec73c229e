using Reframe.Core.Blobs;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Core.Tasks;
using Reframe.Workers.Prompts;
using Reframe.Workers.Safety;

namespace Reframe.Workers;

/// <summary>
/// Runs one leased task: fetch the inputs, call the runner, store the result, and end the task through the
/// lease (so only the current holder's outcome is recorded). The result goes to the blob store before the task is
/// completed; a completion that is refused (the lease was lost) deletes it again. A heartbeat renews the lease, writes progress and
/// picks up a cancel asked on another node. The host stopping gives the task back without counting the attempt.
/// The optional parts a request asks for sit around the runner in collaborators of their own: the safety checks
/// (<see cref="SafetyGate"/>: inputs before the runner, the result before it is stored) and prompt expansion
/// (<see cref="PromptExpansionStep"/>: before the runner, never failing the task).
/// </summary>
public sealed partial class TaskExecutor
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinimumWriteGap = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a worker waits after the blob store failed before it takes another task.</summary>
    public static readonly TimeSpan StoreBackoff = TimeSpan.FromSeconds(10);

    private readonly ITaskQueue _queue;
    private readonly ITaskStore _store;
    private readonly IInputFetcher _fetcher;
    private readonly IReframeRunner _runner;
    private readonly IBlobStore _blobs;
    private readonly WorkerOptions _settings;
    private readonly RunningTasks _running;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskExecutor> _log;
    private readonly StorageGuard? _storage;
    private readonly SafetyGate _safety;
    private readonly PromptExpansionStep _prompts;

    public TaskExecutor(ITaskQueue queue, ITaskStore store, IInputFetcher fetcher, IReframeRunner runner, IBlobStore blobs,
        WorkerOptions settings, RunningTasks running, TimeProvider time, ILogger<TaskExecutor> log, StorageGuard? storage = null,
        SafetyGate? safety = null, PromptExpansionStep? prompts = null)
    {
        _storage = storage;
        // Absent collaborators behave as "not installed on this server": the request's fields are reported unavailable.
        _safety = safety ?? new SafetyGate(null, Core.Safety.UnavailableSafetyPolicy.Allow, Microsoft.Extensions.Logging.Abstractions.NullLogger<SafetyGate>.Instance);
        _prompts = prompts ?? new PromptExpansionStep(null, Microsoft.Extensions.Logging.Abstractions.NullLogger<PromptExpansionStep>.Instance);
        _queue = queue;
        _store = store;
        _fetcher = fetcher;
        _runner = runner;
        _blobs = blobs;
        _settings = settings;
        _running = running;
        _time = time;
        _log = log;
    }

    public async Task ExecuteAsync(TaskLease lease, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var running = _running.Register(lease.TaskId, stopping);
        var progress = new LatestProgress();
        var timer = new StageTimer(progress, _time);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, running, progress, heartbeatStop.Token);
        using var timeout = new CancellationTokenSource(_settings.TaskTimeout, _time);
        using var onTimeout = timeout.Token.Register(() => running.Cancel(RunningTask.StopReason.TimedOut));
        var workDirectory = Path.Combine(_settings.WorkDirectory, $"{lease.TaskId:N}-{lease.Attempt}");
        string? storedBlob = null;
        try
        {
            Directory.CreateDirectory(workDirectory);
            var (result, file) = await ProduceAsync(lease, workDirectory, timer, running.Cancellation.Token).ConfigureAwait(false);
            storedBlob = file;
            // The result is in the blob store: free the scratch before the completion is announced, so a client that
            // sees "completed" never finds this task's files left on the worker.
            TryDeleteDirectory(workDirectory);
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            var state = await _queue.CompleteAsync(lease, result, CancellationToken.None).ConfigureAwait(false);
            if (state == LeaseState.Held)
            {
                storedBlob = null; // the task owns it now
                LogCompleted(lease.TaskId, lease.Attempt, result.CreditsUsed);
            }
            else
            {
                LogDropped(lease.TaskId, state);
            }
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            await EndStoppedAsync(lease, running, stopping).ConfigureAwait(false);
        }
        catch (BlobStoreUnavailableException unavailable)
        {
            // Not the task's fault: hand it back without counting the attempt, and give the store time before this
            // worker takes another one (so an outage does not burn through the queue's attempts).
            LogStoreUnavailable(unavailable, lease.TaskId, StoreBackoff);
            await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            await DelayQuietlyAsync(StoreBackoff, stopping).ConfigureAwait(false);
        }
        catch (ReframeFailure failure)
        {
            LogFailed(lease.TaskId, failure.Name, failure.Message);
            await _queue.FailAsync(lease, new TaskError(failure.Name, failure.Message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException io) when (IsDiskFull(io))
        {
            LogUnexpected(io, lease.TaskId);
            await _queue.FailAsync(lease, new TaskError(TaskErrorNames.StorageFull,
                "The server's disk is full; the task could not be stored. Try again later."), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a task's failure must never take its worker down; the details go to the log
        catch (Exception ex) when (_storage?.IsLow() == true)
        {
            // e.g. ffmpeg failing on ENOSPC: the cause the user must hear about is the disk, not the engine.
            LogUnexpected(ex, lease.TaskId);
            var full = StorageGuard.Failure();
            await _queue.FailAsync(lease, new TaskError(full.Name, full.Message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnexpected(ex, lease.TaskId);
            await _queue.FailAsync(lease, new TaskError(TaskErrorNames.EngineFailure,
                $"The engine failed on this input. The server log has the details under task {lease.TaskId}."), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            timer.Finish();
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            _running.Unregister(lease.TaskId);
            await TryDeleteBlobAsync(storedBlob).ConfigureAwait(false);
            TryDeleteDirectory(workDirectory);
            await DeleteStoredInputsIfEndedAsync(lease).ConfigureAwait(false);
        }
    }

    private async Task<(TaskResult Result, string? StoredFile)> ProduceAsync(
        TaskLease lease, string workDirectory, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var options = lease.Request;
        _storage?.ThrowIfLow();
        progress.Report(new TaskProgress("downloading", 0, 0, 0));
        var source = await FetchInputAsync(options.VideoUrl, Path.Combine(workDirectory, "source"), cancellationToken).ConfigureAwait(false);
        string? first = null, last = null;
        if (options.EffectiveFirstFrameUrl is { } firstUrl)
        {
            first = (await FetchInputAsync(firstUrl, Path.Combine(workDirectory, "first-frame"), cancellationToken).ConfigureAwait(false)).Path;
        }
        if (options.LastFrameUrl is { } lastUrl)
        {
            last = (await FetchInputAsync(lastUrl, Path.Combine(workDirectory, "last-frame"), cancellationToken).ConfigureAwait(false)).Path;
        }

        var output = Path.Combine(workDirectory, "output.mp4");
        var job = new ReframeJob(options, source.Path, first, last, output, workDirectory, lease.Seed);
        if (options.EnableSafetyChecker && _safety.IsConfigured)
        {
            progress.Report(new TaskProgress("safety_check", 0, 0, 0));
        }
        var safety = await _safety.CheckInputsAsync(job, lease.TaskId, cancellationToken).ConfigureAwait(false);
        if (options.EnablePromptExpansion && _prompts.IsConfigured)
        {
            progress.Report(new TaskProgress("expanding_prompt", 0, 0, 0));
        }
        var prompt = await _prompts.ApplyAsync(options, lease.Seed, lease.TaskId, cancellationToken).ConfigureAwait(false);
        job = job with { Options = options with { Prompt = prompt.Prompt } };

        var outcome = await _runner.RunAsync(job, progress, cancellationToken).ConfigureAwait(false);
        if (safety is SafetyGate.Passed)
        {
            progress.Report(new TaskProgress("safety_check", 0, 0, 100));
            await _safety.CheckOutputAsync(options, output, lease.TaskId, cancellationToken).ConfigureAwait(false);
        }
        progress.Report(new TaskProgress("storing", 0, 0, 100));

        _storage?.ThrowIfLow(); // a result that ate the reserve is not kept: the database needs the room
        var size = new FileInfo(output).Length;
        string? token = null, dataUri = null, stored = null;
        if (options.SyncMode)
        {
            // Inline and keep no file: the data URI lives in the task row until the task expires.
            dataUri = "data:video/mp4;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            token = BlobKeys.NewResultToken();
            stored = BlobKeys.Result(token);
            await using (var file = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                await _blobs.PutAsync(stored, file, "video/mp4", cancellationToken).ConfigureAwait(false);
            }
        }
        var result = new TaskResult(token, dataUri, "video/mp4", size, outcome.Width, outcome.Height, outcome.FramesPerSecond,
            outcome.NumFrames, outcome.DurationSeconds, Pricing.Credits(outcome.GeneratedFrames, outcome.ChargedResolutionTier),
            outcome.Engine, outcome.Interpolator, prompt.Prompt)
        {
            ContentRect = outcome.ContentRect,
            KeepRect = outcome.KeepRect,
            Report = outcome.Report,
            InterpolatorReason = outcome.InterpolatorReason,
            OriginalPrompt = prompt.OriginalPrompt,
            PromptExpansion = prompt.Status,
            PromptExpansionReason = prompt.Reason,
            SafetyChecker = safety,
        };
        return (result, stored);
    }

    /// <summary>Fetches an input; one the API node moved to the blob store is read back and fetched as the client sent it.</summary>
    private async Task<FetchedInput> FetchInputAsync(string url, string destination, CancellationToken cancellationToken)
    {
        if (StoredInputs.KeyOf(url) is not { } key)
        {
            return await _fetcher.FetchAsync(url, destination, cancellationToken).ConfigureAwait(false);
        }
        await using var content = await _blobs.OpenReadAsync(key, null, cancellationToken).ConfigureAwait(false)
            ?? throw new ReframeFailure(TaskErrorNames.InvalidInput, "The task's stored input is gone (it was deleted before the task ran).");
        using var reader = new StreamReader(content.Stream);
        var original = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return await _fetcher.FetchAsync(original, destination, cancellationToken).ConfigureAwait(false);
    }

    private async Task EndStoppedAsync(TaskLease lease, RunningTask running, CancellationToken stopping)
    {
        switch (running.Reason)
        {
            case RunningTask.StopReason.ClientCancelled:
                LogCancelled(lease.TaskId);
                await _queue.FailAsync(lease, new TaskError(TaskErrorNames.Cancelled,
                    TaskEndMessages.CancelledWhileRunning), CancellationToken.None).ConfigureAwait(false);
                break;
            case RunningTask.StopReason.TimedOut:
                await _queue.FailAsync(lease, new TaskError(TaskErrorNames.Timeout,
                    $"The task ran longer than the server's limit of {_settings.TaskTimeout.TotalMinutes:0} minutes. Try fewer frames, a lower resolution or fewer steps."),
                    CancellationToken.None).ConfigureAwait(false);
                break;
            case RunningTask.StopReason.LeaseLost:
                LogDropped(lease.TaskId, LeaseState.Lost);
                break;
            default:
                if (stopping.IsCancellationRequested)
                {
                    // The host is stopping: the next start takes the task again, and this attempt does not count.
                    await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
                }
                break;
        }
    }

    private async Task HeartbeatAsync(TaskLease lease, RunningTask running, LatestProgress progress, CancellationToken stop)
    {
        var renewEvery = _settings.Queue.LeaseDuration / 3;
        var lastRenewal = _time.GetTimestamp();
        var tick = renewEvery < ProgressInterval ? renewEvery : ProgressInterval;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await TickOrStageChangeAsync(tick, progress, stop).ConfigureAwait(false);
                var unwritten = progress.TakeUnwritten();
                if (unwritten is null && _time.GetElapsedTime(lastRenewal) < renewEvery)
                {
                    continue;
                }
                LeaseState state;
                try
                {
                    state = await _queue.RenewAsync(lease, unwritten, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed renewal is retried at the next tick; the lease outlives a few misses
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogUnexpected(ex, lease.TaskId);
                    continue;
                }
                lastRenewal = _time.GetTimestamp();
                if (state == LeaseState.Lost)
                {
                    running.Cancel(RunningTask.StopReason.LeaseLost);
                    return;
                }
                if (state == LeaseState.CancelRequested)
                {
                    running.Cancel(RunningTask.StopReason.ClientCancelled);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The task ended.
        }
    }

    /// <summary>
    /// Waits a tick, or less when the task enters a new stage, but never less than <see cref="MinimumWriteGap"/> (stages
    /// of a short task can follow each other within milliseconds, and each write is a transaction). Throws when
    /// <paramref name="stop"/> is cancelled.
    /// </summary>
    private async Task TickOrStageChangeAsync(TimeSpan tick, LatestProgress progress, CancellationToken stop)
    {
        var gap = tick < MinimumWriteGap ? tick : MinimumWriteGap;
        await Task.Delay(gap, _time, stop).ConfigureAwait(false);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(tick - gap, _time, wake.Token);
        await Task.WhenAny(delay, progress.StageChange).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static bool IsDiskFull(IOException io) => (io.HResult & 0xFFFF) is 28 or 112; // ENOSPC, ERROR_DISK_FULL

    /// <summary>
    /// Inputs the API moved to the blob store are deleted once the task has ended (not when it went back to the queue:
    /// the next attempt needs them). The upkeep deletes what a killed worker leaves.
    /// </summary>
    private async Task DeleteStoredInputsIfEndedAsync(TaskLease lease)
    {
        try
        {
            if (!StoredInputs.AnyIn(lease.Request))
            {
                return;
            }
            if ((await _store.ActiveTaskIdsAsync([lease.TaskId], CancellationToken.None).ConfigureAwait(false)).Count > 0)
            {
                return;
            }
            await foreach (var blob in _blobs.ListAsync(StoredInputs.TaskPrefix(lease.TaskId), CancellationToken.None).ConfigureAwait(false))
            {
                await _blobs.DeleteAsync(blob.Key, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the upkeep's sweep deletes them later
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCleanup(ex, StoredInputs.TaskPrefix(lease.TaskId));
        }
    }

    private async Task TryDeleteBlobAsync(string? key)
    {
        if (key is null)
        {
            return;
        }
        try
        {
            await _blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the orphan sweep deletes it later; the task's outcome is already recorded
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCleanup(ex, key);
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException ex)
        {
            LogCleanup(ex, path);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogCleanup(ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} completed (attempt {Attempt}, {Credits} credits)")]
    private partial void LogCompleted(Guid taskId, int attempt, long credits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} failed: {Name}: {Message}")]
    private partial void LogFailed(Guid taskId, string name, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} cancelled while running")]
    private partial void LogCancelled(Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: result dropped, the lease is {State}")]
    private partial void LogDropped(Guid taskId, LeaseState state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed unexpectedly")]
    private partial void LogUnexpected(Exception ex, Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: the blob store is unavailable; the task goes back to the queue and this worker waits {Backoff}")]
    private partial void LogStoreUnavailable(Exception ex, Guid taskId, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}")]
    private partial void LogCleanup(Exception ex, string path);
}
