using Reframe.Core.Engines;

namespace Reframe.Media.Tests.Pipeline;

/// <summary>Inputs that are not what they claim fail with <c>unsupported_media</c>, and never reach the network.</summary>
public sealed class HostileInputTests : RunnerTestBase
{
    private async Task AssertUnsupportedAsync(string source, MediaSettings? settings = null, string? firstFrame = null)
    {
        var failure = await Assert.ThrowsAsync<ReframeFailure>(() => RunAsync(source, Request("16:9"), firstFrame: firstFrame, settings: settings));
        Assert.Equal(TaskErrorNames.UnsupportedMedia, failure.Name);
        Assert.Empty(Directory.GetFiles(Videos.Directory, "out-*.mp4"));
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenTheFileIsText()
    {
        var path = Videos.PathFor("notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a video");
        await AssertUnsupportedAsync(path);
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenTheFileIsEmpty()
    {
        var path = Videos.PathFor("empty.mp4");
        await File.WriteAllBytesAsync(path, []);
        await AssertUnsupportedAsync(path);
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenTheFileIsTruncated()
    {
        var whole = Videos.Pattern("whole.mp4", 160, 90, frames: 30);
        var path = Videos.PathFor("truncated.mp4");
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(whole))[..1500]);
        await AssertUnsupportedAsync(path);
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenAPlaylistPointsElsewhere()
    {
        // An HLS playlist would make ffmpeg fetch the URL (SSRF) or read another local file into the output.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var path = Videos.PathFor("playlist.mp4");
        await File.WriteAllTextAsync(path, $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:{port}/seg.ts\n#EXTINF:1,\n/etc/hostname\n#EXT-X-ENDLIST\n");

        await AssertUnsupportedAsync(path);

        Assert.False(listener.Pending(), "ffmpeg must not have connected to the URL in the playlist");
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenThereIsNoVideoStream()
    {
        var path = Videos.PathFor("audio.m4a");
        Support.Ffmpeg.Run("-f", "lavfi", "-i", "sine=d=1", path);
        await AssertUnsupportedAsync(path);
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenAnImageIsSentAsTheVideo()
    {
        await AssertUnsupportedAsync(Videos.Image("still.png", 64, 64, "blue"));
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenThePictureExceedsTheLimits()
    {
        var source = Videos.Pattern("big.mp4", 320, 180, frames: 2);
        await AssertUnsupportedAsync(source, new MediaSettings { MaxSourceSide = 256 });
    }

    [Fact]
    public async Task Run_FailsWithUnsupportedMedia_WhenTheFirstFrameIsNotAnImage()
    {
        var source = Videos.Pattern("ok.mp4", 160, 90, frames: 2);
        var notImage = Videos.PathFor("anchor.png");
        await File.WriteAllTextAsync(notImage, "<svg/>");
        await AssertUnsupportedAsync(source, firstFrame: notImage);
    }
}
