using Reframe.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Reframe.Server.Configuration;
using Reframe.Server.Results;

namespace Reframe.Server.Tests.Configuration;

/// <summary>The scale-out settings: roles, the database and blob URLs, and the refusals that stop a wrong start-up early.</summary>
public sealed class ScaleOutSettingsTests
{
    private static ReframeSettings Read(params (string Key, string Value)[] values) =>
        ReframeSettings.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(), "/srv");

    [Fact]
    public void Defaults_AreTheEmbeddedSingleProcess()
    {
        var settings = Read();
        Assert.Equal((ReframeRole.All, null, null, true, true), (settings.Role, settings.DatabaseUrl, settings.Blobs, settings.RunsApi, settings.RunsWorkers));
    }

    [Theory]
    [InlineData("api", ReframeRole.Api, true, false)]
    [InlineData("WORKER", ReframeRole.Worker, false, true)]
    [InlineData(" all ", ReframeRole.All, true, true)]
    public void Role_DecidesWhatTheProcessRuns(string raw, ReframeRole role, bool api, bool workers)
    {
        var settings = Read(("REFRAME_ROLE", raw), ("REFRAME_DATABASE_URL", "postgres://db/reframe"));
        Assert.Equal((role, api, workers), (settings.Role, settings.RunsApi, settings.RunsWorkers));
    }

    [Fact]
    public void SplitRoles_NeedASharedDatabase_AndUnknownRolesAreRefused()
    {
        var ex = Assert.Throws<SettingException>(() => Read(("REFRAME_ROLE", "worker")));
        Assert.Contains("REFRAME_DATABASE_URL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("REFRAME_ROLE", Assert.Throws<SettingException>(() => Read(("REFRAME_ROLE", "gpu"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlobUrl_NamesBucketPrefixAndTheS3Settings()
    {
        var blobs = Read(("REFRAME_BLOB_URL", "s3://media/reframe/prod"), ("REFRAME_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("REFRAME_S3_REGION", "eu-west-1"), ("REFRAME_S3_FORCE_PATH_STYLE", "true"), ("AWS_ACCESS_KEY_ID", "id"),
            ("AWS_SECRET_ACCESS_KEY", "secret"), ("REFRAME_BLOB_PUBLIC_URLS", "presigned")).Blobs!;
        Assert.Equal(("media", "reframe/prod/", "http://127.0.0.1:9000/", "eu-west-1", true, "id", "secret", true),
            (blobs.S3.Bucket, blobs.S3.Prefix, blobs.S3.Endpoint!.AbsoluteUri, blobs.S3.Region, blobs.S3.ForcePathStyle, blobs.S3.AccessKeyId,
                blobs.S3.SecretAccessKey, blobs.PresignedPublicUrls));
        Assert.Equal("", Read(("REFRAME_BLOB_URL", "s3://media")).Blobs!.S3.Prefix);
    }

    [Theory]
    [InlineData("REFRAME_BLOB_URL", "https://media/x")]
    [InlineData("REFRAME_BLOB_URL", "s3:///nobucket")]
    [InlineData("REFRAME_BLOB_PUBLIC_URLS", "presigned")] // needs a bucket
    [InlineData("REFRAME_BLOB_PUBLIC_URLS", "sometimes")]
    public void WrongBlobSettings_StopStartUp_NamingTheVariable(string key, string value)
    {
        var ex = Assert.Throws<SettingException>(() => Read((key, value)));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=90-", 100, 90, 10)]
    [InlineData("bytes=-5", 100, 95, 5)]
    [InlineData("bytes=95-200", 100, 95, 5)]
    public void Range_OfOneSatisfiablePart_IsServedPartially(string header, long length, long offset, long count)
    {
        Assert.True(BlobRangeResult.TryParseRange(header, length, out var range, out _));
        Assert.Equal((offset, (long?)count), (range.Offset, range.Length));
    }

    [Theory]
    [InlineData("bytes=100-", true)]
    [InlineData("bytes=-0", true)]
    [InlineData("", false)]
    [InlineData("bytes=0-1,5-6", false)]
    [InlineData("items=0-1", false)]
    public void Range_OutsideOrUnusable_IsRefusedOrIgnored(string header, bool unsatisfiable)
    {
        Assert.False(BlobRangeResult.TryParseRange(header, 100, out _, out var refused));
        Assert.Equal(unsatisfiable, refused);
    }
}
