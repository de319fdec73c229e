using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Reframe.Core.Blobs;
using Reframe.Storage.Streams;

namespace Reframe.Storage.S3;

/// <summary>
/// <see cref="IBlobStore"/> on an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2; s3rver in the tests),
/// through AWSSDK.S3. Every node reads and writes the same objects, so a result stored by any worker is served by any
/// API node. Checksums are computed only where the protocol requires them: the SDK's newer default (CRC trailers on
/// every upload) is not understood by every S3-compatible server, and the upload is signed with its SHA-256 anyway.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3BlobStoreOptions _options;

    public S3BlobStore(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Retries with backoff on throttling and 5xx: a store that blips does not fail a task.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1");
        }
        _client = options.AccessKeyId is { Length: > 0 } id
            ? new AmazonS3Client(new BasicAWSCredentials(id, options.SecretAccessKey ?? ""), config)
            : new AmazonS3Client(config);
    }

    /// <summary>Creates the bucket when it does not exist (tests and the local cluster; production buckets are made by their operators).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = ObjectKey(key);
        return Guarded(() => PutCoreAsync(objectKey, content, contentType, cancellationToken));
    }

    private async Task<bool> PutCoreAsync(string objectKey, Stream content, string contentType, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            await PutSeekableAsync(objectKey, content, contentType, cancellationToken).ConfigureAwait(false);
            return true;
        }
        // Signing needs the body's length and hash up front: spool a stream that cannot seek to a temporary file.
        var spool = Path.Combine(Path.GetTempPath(), "reframe-s3-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await content.CopyToAsync(file, 1 << 16, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            await PutSeekableAsync(objectKey, file, contentType, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(spool);
        }
        return true;
    }

    private Task PutSeekableAsync(string objectKey, Stream content, string contentType, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = objectKey,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, cancellationToken);

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        return Guarded(() => StatCoreAsync(key, objectKey, cancellationToken));
    }

    private async Task<BlobInfo?> StatCoreAsync(string key, string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(_options.Bucket, objectKey, cancellationToken).ConfigureAwait(false);
            return new BlobInfo(key, head.ContentLength, ToOffset(head.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<BlobContent?> OpenReadAsync(string key, Core.Blobs.ByteRange? range, CancellationToken cancellationToken)
    {
        _ = ObjectKey(key);
        return Guarded(() => OpenReadCoreAsync(key, range, cancellationToken));
    }

    private async Task<BlobContent?> OpenReadCoreAsync(string key, Core.Blobs.ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = ObjectKey(key) };
        if (range is { } r)
        {
            request.ByteRange = r.Length is { } length ? new Amazon.S3.Model.ByteRange(r.Offset, r.Offset + length - 1) : new Amazon.S3.Model.ByteRange($"bytes={r.Offset}-");
        }
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            var info = await StatCoreAsync(key, ObjectKey(key), cancellationToken).ConfigureAwait(false);
            return info is null ? null : new BlobContent(Stream.Null, info.Length, 0, info.Length, DefaultContentType(key));
        }
        var (offset, total) = ParseContentRange(response.ContentRange, response.ContentLength);
        return new BlobContent(new BoundedReadStream(response.ResponseStream, response.ContentLength, owner: response), offset, response.ContentLength, total,
            string.IsNullOrEmpty(response.Headers.ContentType) ? DefaultContentType(key) : response.Headers.ContentType);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        return Guarded(async () =>
        {
            await _client.DeleteObjectAsync(_options.Bucket, objectKey, cancellationToken).ConfigureAwait(false);
            return true; // S3 answers 204 whether or not the object existed
        });
    }

    /// <summary>Failures of the store itself (after the SDK's retries) become <see cref="BlobStoreUnavailableException"/>.</summary>
    private async Task<T> Guarded<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or AmazonClientException && e is not OperationCanceledException)
        {
            throw new BlobStoreUnavailableException($"The object store (bucket '{_options.Bucket}') failed: {e.Message}", e);
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix + prefix };
        while (true)
        {
            var page = await Guarded(() => _client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new BlobInfo(item.Key[_options.Prefix.Length..], item.Size ?? 0, ToOffset(item.LastModified));
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public Uri? PresignedReadUrl(string key, TimeSpan lifetime)
    {
        var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKey(key),
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + lifetime,
            Protocol = _options.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    public void Dispose() => _client.Dispose();

    private string ObjectKey(string key)
    {
        BlobKeys.Validate(key);
        return _options.Prefix + key;
    }

    private static string DefaultContentType(string key) =>
        key.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "application/octet-stream";

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;

    /// <summary>"bytes 10-19/100" gives (10, 100); no header means the whole object.</summary>
    private static (long Offset, long Total) ParseContentRange(string? header, long length)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            return (0, length);
        }
        var spec = header[6..];
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        var offset = long.Parse(spec[..dash], CultureInfo.InvariantCulture);
        var total = slash >= 0 && spec[(slash + 1)..] != "*" ? long.Parse(spec[(slash + 1)..], CultureInfo.InvariantCulture) : offset + length;
        return (offset, total);
    }
}
