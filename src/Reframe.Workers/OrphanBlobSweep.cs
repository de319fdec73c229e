using Reframe.Core.Blobs;
using Reframe.Core.Tasks;

namespace Reframe.Workers;

/// <summary>
/// Deletes blobs no task needs: result blobs no task refers to (a worker killed between its upload and its completion
/// leaves one) and stored inputs of tasks that ended or never committed. Only blobs older than the grace are
/// considered, so that a live worker's upload is never taken for an orphan before its completion is written. The
/// upkeep runs it with a grace of a few leases; a single-node start, before any worker runs, with none.
/// </summary>
public sealed partial class OrphanBlobSweep
{
    private readonly ITaskStore _store;
    private readonly IBlobStore _blobs;
    private readonly TimeProvider _time;
    private readonly ILogger<OrphanBlobSweep> _log;

    public OrphanBlobSweep(ITaskStore store, IBlobStore blobs, TimeProvider time, ILogger<OrphanBlobSweep> log)
    {
        _store = store;
        _blobs = blobs;
        _time = time;
        _log = log;
    }

    /// <summary>Deletes the orphaned blobs older than <paramref name="grace"/>; returns how many.</summary>
    public async Task<int> SweepAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - grace;
        var deleted = await SweepResultsAsync(cutoff, cancellationToken).ConfigureAwait(false)
                      + await SweepStoredInputsAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            LogOrphans(deleted);
        }
        return deleted;
    }

    private async Task<int> SweepResultsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var blob in _blobs.ListAsync(BlobKeys.ResultsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.LastModified <= cutoff && BlobKeys.TokenOf(blob.Key) is { } token)
            {
                old[token] = blob.Key;
            }
        }
        if (old.Count == 0)
        {
            return 0;
        }
        var referenced = await _store.ReferencedFileTokensAsync(old.Keys, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var (_, key) in old.Where(o => !referenced.Contains(o.Key)))
        {
            await _blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            deleted++;
        }
        return deleted;
    }

    /// <summary>Stored inputs of tasks that ended (or never committed).</summary>
    private async Task<int> SweepStoredInputsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = new List<(Guid Task, string Key)>();
        await foreach (var blob in _blobs.ListAsync(StoredInputs.InputsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.LastModified <= cutoff && StoredInputs.TaskOf(blob.Key) is { } task)
            {
                old.Add((task, blob.Key));
            }
        }
        if (old.Count == 0)
        {
            return 0;
        }
        var active = await _store.ActiveTaskIdsAsync(old.Select(o => o.Task).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var (_, key) in old.Where(o => !active.Contains(o.Task)))
        {
            await _blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            deleted++;
        }
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted {Count} blob(s) no task needs (results nobody refers to, inputs of ended tasks)")]
    private partial void LogOrphans(int count);
}
