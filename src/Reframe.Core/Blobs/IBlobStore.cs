namespace Reframe.Core.Blobs;

/// <summary>
/// Durable bytes (results today) addressed by a key such as <c>results/&lt;token&gt;.mp4</c>. Implementations: a
/// local folder (the embedded default) and an S3-compatible bucket (several nodes). Keys are relative, use '/' and
/// never contain "..": callers build them with <see cref="BlobKeys"/>, which is what keeps a URL from naming a path.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, replacing any blob there.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Size and time of the blob, or null when there is none.</summary>
    Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The blob's bytes, all of them or <paramref name="range"/> (clamped to the blob); null when there is no blob.
    /// The caller disposes the result.
    /// </summary>
    Task<BlobContent?> OpenReadAsync(string key, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>Deletes the blob; true when there was one (stores that cannot tell answer true).</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every blob whose key starts with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// A URL anyone may GET the blob from for <paramref name="lifetime"/> (an S3 presigned URL), or null when the
    /// store has no such thing (a local folder): the API then streams the blob itself.
    /// </summary>
    Uri? PresignedReadUrl(string key, TimeSpan lifetime);
}

/// <summary>What a store knows about one blob.</summary>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified);

/// <summary>A byte range: <paramref name="Offset"/> from the start, <paramref name="Length"/> bytes (null: to the end).</summary>
public readonly record struct ByteRange(long Offset, long? Length);

/// <summary>An open blob: <see cref="Stream"/> yields <see cref="Length"/> bytes starting at <see cref="Offset"/> of <see cref="TotalLength"/>.</summary>
public sealed class BlobContent(Stream stream, long offset, long length, long totalLength, string contentType) : IAsyncDisposable, IDisposable
{
    public Stream Stream { get; } = stream;
    public long Offset { get; } = offset;
    public long Length { get; } = length;
    public long TotalLength { get; } = totalLength;
    public string ContentType { get; } = contentType;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    public void Dispose() => Stream.Dispose();
}
