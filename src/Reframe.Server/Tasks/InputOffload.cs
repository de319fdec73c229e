using System.Text;
using Reframe.Core.Blobs;
using Reframe.Core.Requests;

namespace Reframe.Server.Tasks;

/// <summary>
/// Moves large inline inputs (data: URIs over <see cref="StoredInputs.InlineLimit"/> characters) from the request to
/// the blob store before the task is created, so task rows stay small on every backend and a worker on another machine
/// reads them from the shared store (see <see cref="StoredInputs"/>). The URI text is stored as sent: decoding and its
/// errors stay where they were, in the worker's fetcher.
/// </summary>
public static class InputOffload
{
    public static async Task<GenerationOptions> StoreLargeInputsAsync(IBlobStore blobs, Guid taskId, GenerationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var input in RequestFields.All.OfType<UrlField>().Where(f => f.Role == FieldRole.Input))
        {
            options = input.With(options, await StoreAsync(blobs, taskId, input.WireName, input.Get(options), cancellationToken).ConfigureAwait(false));
        }
        return options;
    }

    private static async Task<string?> StoreAsync(IBlobStore blobs, Guid taskId, string field, string? value, CancellationToken cancellationToken)
    {
        if (value is null || value.Length <= StoredInputs.InlineLimit || !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }
        var key = StoredInputs.Key(taskId, field);
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(value), writable: false);
        await blobs.PutAsync(key, content, "text/plain", cancellationToken).ConfigureAwait(false);
        return StoredInputs.Reference(key);
    }
}
