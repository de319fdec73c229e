namespace Reframe.Storage.S3;

/// <summary>Where the bucket is and how to reach it (REFRAME_BLOB_URL=s3://bucket/prefix and the REFRAME_S3_* settings).</summary>
public sealed record S3BlobStoreOptions
{
    public required string Bucket { get; init; }

    /// <summary>Prepended to every key ("" or ending in '/'), so several deployments can share a bucket.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>An S3-compatible server (MinIO, Ceph, R2, a test server); null means AWS S3 in <see cref="Region"/>.</summary>
    public Uri? Endpoint { get; init; }

    public string? Region { get; init; }

    /// <summary>bucket in the path (https://host/bucket/key) rather than in the host name; most self-hosted stores need it.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Null: the SDK's own chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role).</summary>
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }
}
