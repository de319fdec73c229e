using Reframe.TestSupport;

namespace Reframe.Cli.Tests.Commands;

/// <summary><c>reframe run</c> as a user runs it: a real process, real ffmpeg, the classic engine, no server.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _directory = TempPaths.NewDirectory("reframe-run-");

    [Fact]
    public async Task Run_WritesTheReframedMp4AndSummarises_WhenGivenTheApiOptions()
    {
        var output = Path.Combine(_directory, "out.mp4");

        var (code, stdout, stderr) = await CliProcess.RunAsync("run", "--input", SmallClips.Small4x3, "--output", output,
            "--aspect-ratio", "9:16", "--resolution", "480p", "--video-write-mode", "fast");

        Assert.True(code == 0, stderr);
        Assert.Equal((480, 832, 8), SmallClips.Probe(output));
        Assert.Contains("480x832, 8 frames at 8 fps", stdout, StringComparison.Ordinal);
        Assert.Contains("engine classic", stdout, StringComparison.Ordinal);
        Assert.Contains("generating", stderr, StringComparison.Ordinal); // the progress goes to stderr
    }

    [Fact]
    public async Task Run_ExitsWithTaskFailedAndNamesTheWaysOut_WhenTheClipIsTooLong()
    {
        var longClip = SmallClips.Make("long-64x36-30fps.mp4", "testsrc2=size=64x36:rate=30", 10);

        var (code, _, stderr) = await CliProcess.RunAsync("run", "--input", longClip, "--output", Path.Combine(_directory, "x.mp4"));

        Assert.Equal(3, code);
        Assert.Contains("too_many_frames", stderr, StringComparison.Ordinal);
        // The ways out, named as the flags the user types.
        Assert.Contains("--enable-auto-downsample", stderr, StringComparison.Ordinal);
        Assert.Contains("--temporal-downsample-factor", stderr, StringComparison.Ordinal);
        Assert.Contains("--match-input-num-frames", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "x.mp4")));
    }

    [Fact]
    public async Task Run_ExitsWithUsageBeforeWorking_WhenAnOptionIsOutOfRangeOrTheInputIsMissing()
    {
        var (rangeCode, _, rangeErr) = await CliProcess.RunAsync("run", "--input", SmallClips.Small4x3, "--output", Path.Combine(_directory, "y.mp4"), "--num-frames", "999");
        var (missingCode, _, missingErr) = await CliProcess.RunAsync("run", "--input", Path.Combine(_directory, "nope.mp4"), "--output", Path.Combine(_directory, "z.mp4"));

        Assert.Equal(1, rangeCode);
        Assert.Contains("--num-frames", rangeErr, StringComparison.Ordinal);
        Assert.Equal(1, missingCode);
        Assert.Contains("does not exist", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunHelp_ListsEveryRequestFieldAsAFlag()
    {
        var (code, stdout, _) = await CliProcess.RunAsync("run", "--help");

        Assert.Equal(0, code);
        foreach (var flag in new[] { "--aspect-ratio", "--resolution", "--zoom-factor", "--trim-borders", "--num-frames", "--frames-per-second",
            "--temporal-downsample-factor", "--enable-auto-downsample", "--auto-downsample-min-fps", "--num-interpolated-frames",
            "--interpolator-model", "--video-quality", "--video-write-mode", "--first-frame", "--last-frame", "--seed" })
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }
    }

    public void Dispose() => TempPaths.TryDelete(_directory);
}
