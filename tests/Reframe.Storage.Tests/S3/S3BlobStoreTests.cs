using Reframe.Core.Blobs;
using Reframe.Storage.S3;
using Reframe.Storage.Tests.Contracts;
using Reframe.TestSupport;

namespace Reframe.Storage.Tests.S3;

/// <summary>
/// The blob contract on a real S3-speaking server (s3rver, started once for this class), each test in a bucket of
/// its own, under a key prefix as deployments use; plus a presigned URL fetched with a plain HTTP client.
/// </summary>
public sealed class S3BlobStoreTests : BlobStoreContract, IClassFixture<S3BlobStoreTests.Server>
{
    private readonly Server _server;
    private S3BlobStore? _store;

    public S3BlobStoreTests(Server server) => _server = server;

    protected override async Task<(IBlobStore Store, Func<ValueTask> Close)> OpenAsync()
    {
        _store = await _server.NewStoreAsync();
        return (_store, () =>
        {
            _store.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public async Task PresignedReadUrl_CanBeFetchedWithoutCredentials()
    {
        var data = "presigned bytes"u8.ToArray();
        await _store!.PutAsync("results/p.mp4", new MemoryStream(data), "video/mp4", CancellationToken.None);
        var url = _store.PresignedReadUrl("results/p.mp4", TimeSpan.FromMinutes(5))!;
        Assert.Contains("X-Amz-Signature", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(url));
    }

    /// <summary>One s3rver for the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private S3rverServer _s3 = null!;
        private int _buckets;

        public async Task InitializeAsync() => _s3 = await S3rverServer.StartAsync();

        public async Task DisposeAsync() => await _s3.DisposeAsync();

        public async Task<S3BlobStore> NewStoreAsync()
        {
            var store = new S3BlobStore(new S3BlobStoreOptions
            {
                Bucket = $"contract-{Interlocked.Increment(ref _buckets)}",
                Prefix = "deployment-a/",
                Endpoint = _s3.Endpoint,
                Region = "us-east-1",
                ForcePathStyle = true,
                AccessKeyId = S3rverServer.AccessKeyId,
                SecretAccessKey = S3rverServer.SecretAccessKey,
            });
            await store.EnsureBucketAsync(CancellationToken.None);
            return store;
        }
    }
}
