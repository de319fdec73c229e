using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// Tests that measure process-wide allocations or burn CPU on ffmpeg: run alone, sharing one hostile corpus.
/// </summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive : ICollectionFixture<HostileCorpusFixture>;

/// <summary>
/// "Never the whole body in memory": allocations during a 64 MiB fetch stay a small fraction of the body.
/// Measured process-wide, so this collection runs alone.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class StreamingMemoryTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    private const long BodyBytes = 64L * 1024 * 1024;

    [Fact]
    public async Task FetchAsync_AllocatesFarLessThanBody_WhenDownloadingLargeFile()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(new FetchSettings { AllowPrivateUrls = true }, TimeProvider.System);
        await fetcher.FetchAsync(fixture.Server.Url("/bytes?bytes=1000"), directory.File("warm"), CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var fetched = await fetcher.FetchAsync(fixture.Server.Url($"/chunked?bytes={BodyBytes}"), directory.File("in.mp4"), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(BodyBytes, fetched.Bytes);
        Assert.True(allocated < BodyBytes / 8, $"allocated {allocated:N0} bytes for a {BodyBytes:N0}-byte download");
    }

    [Fact]
    public async Task FetchAsync_AllocatesFarLessThanPayload_WhenDecodingLargeDataUri()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(new FetchSettings(), TimeProvider.System);
        var payload = new byte[24 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        var dataUri = "data:video/mp4;base64," + Convert.ToBase64String(payload);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var fetched = await fetcher.FetchAsync(dataUri, directory.File("in.mp4"), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(payload.Length, fetched.Bytes);
        Assert.Equal(payload, await File.ReadAllBytesAsync(fetched.Path));
        Assert.True(allocated < payload.Length / 8, $"allocated {allocated:N0} bytes for a {payload.Length:N0}-byte payload");
    }
}
