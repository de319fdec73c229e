using Reframe.Core.Configuration;
using Reframe.Storage.S3;

namespace Reframe.Server.Configuration;

/// <summary>
/// Where results are stored: the data directory (default), or an S3-compatible bucket when <c>REFRAME_BLOB_URL</c> is
/// <c>s3://bucket/prefix</c> (<c>REFRAME_S3_ENDPOINT</c>, <c>REFRAME_S3_REGION</c>, <c>REFRAME_S3_FORCE_PATH_STYLE</c>,
/// and the standard <c>AWS_ACCESS_KEY_ID</c> / <c>AWS_SECRET_ACCESS_KEY</c>).
/// </summary>
public sealed record BlobSettings
{
    /// <summary>The bucket and how to reach it, as the S3 store takes it.</summary>
    public required S3BlobStoreOptions S3 { get; init; }

    /// <summary><c>REFRAME_BLOB_PUBLIC_URLS=presigned</c>: result URLs answer with a redirect to a short-lived presigned URL.</summary>
    public bool PresignedPublicUrls { get; init; }

    /// <summary>Null when REFRAME_BLOB_URL is unset (results in the data directory).</summary>
    public static BlobSettings? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var publicUrls = configuration["REFRAME_BLOB_PUBLIC_URLS"];
        var presigned = publicUrls?.Trim().ToUpperInvariant() switch
        {
            null or "" or "PROXY" => false,
            "PRESIGNED" => true,
            _ => throw new SettingException($"REFRAME_BLOB_PUBLIC_URLS='{publicUrls}' must be 'proxy' (the API streams results) or 'presigned'."),
        };
        var raw = configuration["REFRAME_BLOB_URL"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return presigned
                ? throw new SettingException("REFRAME_BLOB_PUBLIC_URLS=presigned needs an S3 store (REFRAME_BLOB_URL=s3://bucket/prefix).")
                : null;
        }
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme != "s3" || string.IsNullOrEmpty(url.Host))
        {
            throw new SettingException($"REFRAME_BLOB_URL='{raw}' must look like s3://bucket/prefix.");
        }
        var prefix = url.AbsolutePath.Trim('/');
        Uri? endpoint = null;
        if (configuration["REFRAME_S3_ENDPOINT"] is { Length: > 0 } rawEndpoint
            && (!Uri.TryCreate(rawEndpoint, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            throw new SettingException($"REFRAME_S3_ENDPOINT='{rawEndpoint}' is not an absolute http(s) URL.");
        }
        var pathStyle = configuration["REFRAME_S3_FORCE_PATH_STYLE"];
        var s3 = new S3BlobStoreOptions
        {
            Bucket = url.Host,
            Prefix = prefix.Length == 0 ? "" : prefix + "/",
            Endpoint = endpoint,
            Region = configuration["REFRAME_S3_REGION"] is { Length: > 0 } region ? region : null,
            ForcePathStyle = pathStyle?.Trim().ToUpperInvariant() switch
            {
                null or "" or "FALSE" or "0" => false,
                "TRUE" or "1" => true,
                _ => throw new SettingException($"REFRAME_S3_FORCE_PATH_STYLE='{pathStyle}' must be true or false."),
            },
            AccessKeyId = configuration["AWS_ACCESS_KEY_ID"],
            SecretAccessKey = configuration["AWS_SECRET_ACCESS_KEY"],
        };
        return new BlobSettings { S3 = s3, PresignedPublicUrls = presigned };
    }
}
