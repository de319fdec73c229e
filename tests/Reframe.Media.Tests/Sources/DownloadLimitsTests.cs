using System.Diagnostics;
using Reframe.Core.Engines;
using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>Byte and time limits, HTTP failures and clean-up of http(s) fetches, against a real loopback server.</summary>
public sealed class DownloadLimitsTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    private const long OneMiB = 1024 * 1024;

    // Loopback is the only place a test may download from, so the guard is off here; SsrfGuardTests covers it. The
    // time limits are generous (the first request pays for a cold client and server on a busy machine) except in
    // the tests of the time limit itself.
    private static readonly FetchSettings Settings = new()
    {
        AllowPrivateUrls = true,
        MaxDownloadBytes = OneMiB,
        DownloadTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxRedirects = 3,
    };

    private static readonly FetchSettings Impatient = Settings with { DownloadTimeout = TimeSpan.FromSeconds(1.5) };

    [Theory]
    [InlineData("/bytes")]
    [InlineData("/chunked")]
    public async Task FetchAsync_StreamsWholeBodyToDestination_WhenWithinLimit(string path)
    {
        using var directory = new TempDirectory();
        var destination = directory.File("in.mp4");

        var fetched = await Fetch(Settings, $"{path}?bytes={OneMiB}", destination);

        Assert.Equal(OneMiB, fetched.Bytes);
        Assert.Equal(LimitsFixture.Expected(OneMiB), await File.ReadAllBytesAsync(destination));
        Assert.Equal([destination], directory.Entries());
    }

    [Theory]
    [InlineData("/bytes")]   // refused on the declared Content-Length
    [InlineData("/chunked")] // refused while counting the stream
    public async Task FetchAsync_FailsWithFileDownloadError_WhenBodyExceedsByteLimit(string path)
    {
        var failure = await AssertFailsAsync(Settings, $"{path}?bytes={OneMiB + 1}", TaskErrorNames.FileDownloadError);
        Assert.Contains("larger than the 1 MiB download limit", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/slow-body")]
    [InlineData("/slow-headers")]
    public async Task FetchAsync_FailsWithFileDownloadError_WhenServerIsSlowerThanTimeLimit(string path)
    {
        var clock = Stopwatch.StartNew();

        var failure = await AssertFailsAsync(Impatient, path, TaskErrorNames.FileDownloadError);

        Assert.Contains("took longer than the 1.5 s limit", failure.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("/404", "answered HTTP 404")]
    [InlineData("/500", "answered HTTP 500")]
    [InlineData("/empty", "empty body")]
    [InlineData("/loop", "redirected more than 3 times")]
    [InlineData("/no-location", "without a Location header")]
    [InlineData("/truncated", "broke during the download")]
    public async Task FetchAsync_FailsWithFileDownloadError_WhenServerMisbehaves(string path, string expected)
    {
        var failure = await AssertFailsAsync(Settings, path, TaskErrorNames.FileDownloadError);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_FailsWithFileDownloadError_WhenNothingListensOnPort()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Settings, TimeProvider.System);
        var closedPort = ClosedPort();

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() =>
            fetcher.FetchAsync($"http://127.0.0.1:{closedPort}/clip.mp4", directory.File("in.mp4"), CancellationToken.None));

        Assert.Equal(TaskErrorNames.FileDownloadError, failure.Name);
        Assert.Contains("refused the connection", failure.Message, StringComparison.Ordinal);
        Assert.Empty(directory.Entries());
    }

    [Fact]
    public async Task FetchAsync_StoresCompressedBytes_WhenServerSendsGzipEncoding()
    {
        // No transparent decompression: an 8 MiB bomb stays the few KiB that crossed the wire and counted.
        using var directory = new TempDirectory();

        var fetched = await Fetch(Settings, "/gzip", directory.File("in.mp4"));

        Assert.Equal(fixture.GzipBomb.Length, fetched.Bytes);
        Assert.Equal(fixture.GzipBomb, await File.ReadAllBytesAsync(fetched.Path));
    }

    [Fact]
    public async Task FetchAsync_ThrowsCancelledAndLeavesNoFile_WhenCallerCancels()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Settings, TimeProvider.System);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fetcher.FetchAsync(fixture.Server.Url("/slow-body"), directory.File("in.mp4"), cancel.Token));

        Assert.Empty(directory.Entries());
    }

    [Fact]
    public async Task FetchAsync_KeepsOnlyFinalFile_WhenDestinationIsFetchedTwice()
    {
        using var directory = new TempDirectory();
        var destination = directory.File("in.mp4");

        await Fetch(Settings, "/bytes?bytes=1000", destination);
        await Fetch(Settings, "/bytes?bytes=2000", destination);

        Assert.Equal(2000, new FileInfo(destination).Length);
        Assert.Equal([destination], directory.Entries());
    }

    [Fact]
    public async Task DownloadAsync_RethrowsDiskError_WhenDestinationDiskIsFull()
    {
        // /dev/full fails every write with ENOSPC: a full disk must surface as the IOException it is (the worker
        // turns it into storage_full), never as a download error blaming the URL.
        using var client = GuardedHttp.CreateClient(NetworkAddressPolicy.AllowAll, TimeSpan.FromSeconds(1));
        var downloader = new HttpDownloader(client, Settings, TimeProvider.System);
        await using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

        var error = await Assert.ThrowsAsync<IOException>(() =>
            downloader.DownloadAsync(fixture.Server.Url("/bytes?bytes=100000"), full, CancellationToken.None));

        Assert.Equal(28, error.HResult & 0xFFFF); // ENOSPC
    }

    [Fact]
    public async Task DecodeAsync_RethrowsDiskError_WhenDestinationDiskIsFull()
    {
        await using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

        var error = await Assert.ThrowsAsync<IOException>(() =>
            DataUriDecoder.DecodeAsync("data:video/mp4;base64,AAAAAAAA", full, 1000, CancellationToken.None));

        Assert.Equal(28, error.HResult & 0xFFFF);
    }

    private async Task<Reframe.Core.Inputs.FetchedInput> Fetch(FetchSettings settings, string path, string destination)
    {
        using var fetcher = new InputFetcher(settings, TimeProvider.System);
        return await fetcher.FetchAsync(fixture.Server.Url(path), destination, CancellationToken.None);
    }

    private async Task<ReframeFailure> AssertFailsAsync(FetchSettings settings, string path, string name)
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(settings, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() =>
            fetcher.FetchAsync(fixture.Server.Url(path), directory.File("in.mp4"), CancellationToken.None));

        Assert.Equal(name, failure.Name);
        Assert.Empty(directory.Entries()); // the partial file is gone
        return failure;
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
