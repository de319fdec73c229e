using Reframe.Media.Ffmpeg;

namespace Reframe.Media.Tests.Ffmpeg;

/// <summary>The process runner on the real ffmpeg: errors carry what ran, cancellation and timeouts stop the process.</summary>
public sealed class FfmpegProcessTests
{
    private static readonly string[] EndlessEncode =
        ["-hide_banner", "-nostdin", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "null", "-"];

    [Fact]
    public void StderrTail_KeepsOnlyTheLastCharacters()
    {
        var tail = new StderrTail(10);
        tail.Append("0123456789".AsSpan());
        tail.Append("abc".AsSpan());
        Assert.Equal("3456789abc", tail.ToString());
        tail.Append(new string('x', 50).AsSpan());
        Assert.Equal(new string('x', 10), tail.ToString());
    }

    [Fact]
    public async Task WaitForSuccess_ThrowsWithArgvExitCodeAndStderrTail_WhenFfmpegFails()
    {
        var runner = new FfmpegRunner(new MediaSettings());
        await using var process = runner.StartFfmpeg(["-hide_banner", "-i", "file:/nonexistent/input.mp4", "-f", "null", "-"], redirectStandardInput: false);

        var e = await Assert.ThrowsAsync<FfmpegException>(() => process.WaitForSuccessAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal("ffmpeg", e.Arguments[0]);
        Assert.Contains("file:/nonexistent/input.mp4", e.Arguments);
        Assert.NotNull(e.ExitCode);
        Assert.NotEqual(0, e.ExitCode);
        Assert.Contains("No such file", e.StderrTail, StringComparison.Ordinal);
        Assert.Contains("argv: ffmpeg -hide_banner", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSuccess_StopsTheProcess_WhenCancelled()
    {
        var runner = new FfmpegRunner(new MediaSettings());
        await using var process = runner.StartFfmpeg(EndlessEncode, redirectStandardInput: false);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => process.WaitForSuccessAsync(null, cts.Token));

        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task WaitForSuccess_StopsTheProcessAndSaysSo_WhenItTimesOut()
    {
        var runner = new FfmpegRunner(new MediaSettings());
        await using var process = runner.StartFfmpeg(EndlessEncode, redirectStandardInput: false);

        var e = await Assert.ThrowsAsync<FfmpegException>(() => process.WaitForSuccessAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task RunFfmpeg_RefusesUnboundedOutput_WhenStdoutExceedsTheCap()
    {
        var runner = new FfmpegRunner(new MediaSettings());

        var e = await Assert.ThrowsAsync<FfmpegException>(() => runner.RunFfmpegAsync(
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "rawvideo", "pipe:1"], 1 << 20, CancellationToken.None));

        Assert.Contains("larger than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ExplainsWhatToInstall_WhenTheExecutableIsMissing()
    {
        var runner = new FfmpegRunner(new MediaSettings { FfmpegPath = "/nonexistent/ffmpeg" });

        var e = await Assert.ThrowsAsync<FfmpegException>(() => runner.RunFfmpegAsync(["-version"], 1024, CancellationToken.None));

        Assert.Contains("is ffmpeg installed", e.Message, StringComparison.Ordinal);
        Assert.Null(e.ExitCode);
    }
}
