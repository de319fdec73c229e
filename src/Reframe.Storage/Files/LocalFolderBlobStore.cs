using System.Runtime.CompilerServices;
using Reframe.Core.Blobs;
using Reframe.Storage.Streams;

namespace Reframe.Storage.Files;

/// <summary>
/// The embedded default's <see cref="IBlobStore"/>: one file per key under a root folder (the data directory, so a
/// result is <c>data/results/&lt;token&gt;.mp4</c> as before). A put writes a hidden temporary file beside the target
/// and renames it into place, so a reader never sees half a blob and a crash leaves no partial one under the key.
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private const string TemporarySuffix = ".part";

    // A folder this process may not read (lost+found at a mount point) is skipped, not a failure of every listing.
    private static readonly EnumerationOptions Walk = new() { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };

    private readonly string _root;

    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + TemporarySuffix);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, 1 << 16, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Stores a local file by renaming it when it is on the same file system (no copy: results are written next to
    /// the data directory), else by copying. The file is gone afterwards either way.
    /// </summary>
    public async Task MoveFileAsync(string sourcePath, string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(sourcePath, path, overwrite: true);
        }
        catch (IOException)
        {
            await using (var source = File.OpenRead(sourcePath))
            {
                await PutAsync(key, source, "application/octet-stream", cancellationToken).ConfigureAwait(false);
            }
            File.Delete(sourcePath);
        }
    }

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new BlobInfo(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    public Task<BlobContent?> OpenReadAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<BlobContent?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<BlobContent?>(null);
        }
        var total = stream.Length;
        var offset = Math.Min(range?.Offset ?? 0, total);
        var length = Math.Min(range?.Length ?? total - offset, total - offset);
        stream.Position = offset;
        Stream body = length == total - offset ? stream : new BoundedReadStream(stream, length);
        return Task.FromResult<BlobContent?>(new BlobContent(body, offset, length, total, ContentTypeOf(key)));
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var existed = File.Exists(path);
        File.Delete(path);
        return Task.FromResult(existed);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.CompletedTask.ConfigureAwait(false);
        // Only the folder the prefix names is walked: the root is the data directory, with the database and scratch.
        var folder = Path.Combine(_root, prefix[..(prefix.LastIndexOf('/') + 1)].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*", Walk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || Path.GetFileName(path).StartsWith('.'))
            {
                continue; // outside the prefix, or a put still in progress
            }
            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new BlobInfo(key, info.Length, info.LastWriteTimeUtc);
            }
        }
    }

    /// <summary>
    /// Deletes the temporary files of puts that never finished (the process was killed mid-upload; <see cref="ListAsync"/>
    /// never shows them, so no sweep would). Only for a start-up, when no put of this store can be in progress.
    /// </summary>
    public int DeleteUnfinishedUploads()
    {
        var deleted = 0;
        foreach (var prefix in new[] { BlobKeys.ResultsPrefix, StoredInputs.InputsPrefix })
        {
            var folder = Path.Combine(_root, prefix.TrimEnd('/'));
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var path in Directory.EnumerateFiles(folder, "." + "*" + TemporarySuffix, Walk))
            {
                File.Delete(path);
                deleted++;
            }
        }
        return deleted;
    }

    public Uri? PresignedReadUrl(string key, TimeSpan lifetime) => null;

    /// <summary>The file of <paramref name="key"/>; the key is validated, so it cannot leave the root.</summary>
    public string PathOf(string key)
    {
        BlobKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    internal static string ContentTypeOf(string key) =>
        key.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "application/octet-stream";
}
