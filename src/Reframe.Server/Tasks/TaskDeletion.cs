using Reframe.Core.Blobs;

namespace Reframe.Server.Tasks;

/// <summary>
/// What a client's DELETE of a finished task removes besides the row: the result file and any inputs the API node
/// stored for it. A blob that cannot be deleted now is not an error for the client: the upkeep deletes blobs no task
/// refers to.
/// </summary>
public static class TaskDeletion
{
    public static async Task DeleteBlobsAsync(IBlobStore blobs, Guid taskId, string? fileToken, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            if (fileToken is not null)
            {
                await blobs.DeleteAsync(BlobKeys.Result(fileToken), cancellationToken).ConfigureAwait(false);
            }
            // Listed first, deleted after: a store's listing need not survive deletions made while it pages.
            var inputs = new List<string>();
            await foreach (var blob in blobs.ListAsync(StoredInputs.TaskPrefix(taskId), cancellationToken).ConfigureAwait(false))
            {
                inputs.Add(blob.Key);
            }
            foreach (var key in inputs)
            {
                await blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the row is gone, so the file is an orphan the upkeep's sweep deletes
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogWarning(ex, "Deleting the files of task {TaskId} failed; the upkeep will delete them", taskId);
        }
    }
}
