using Reframe.Core.Engines;
using Reframe.Media;
using Reframe.Onnx.Runtime;
using Reframe.Onnx.Safety;
using Reframe.Onnx.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Onnx.Tests.Safety;

/// <summary>The checker on real files: frames sampled by ffmpeg, classified by ONNX Runtime (the test model flags a dark red channel).</summary>
public sealed class OnnxSafetyCheckerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly OnnxSafetyChecker _checker;
    private readonly OnnxImageClassifier _classifier;

    public OnnxSafetyCheckerTests()
    {
        var settings = new SafetyModelSettings { ModelPath = OnnxTestModels.SafetyRedDarkNchw, Threshold = 0.5, SampleFrames = 8 };
        _classifier = OnnxImageClassifier.Open(settings, new OnnxRuntimeSettings());
        _checker = new OnnxSafetyChecker(_classifier, settings, new MediaSettings());
    }

    [Fact]
    public async Task CheckVideo_FlagsADarkClip_OnEverySampledFrame()
    {
        // 9 frames at 8 fps for 8 samples: the last sample falls in the last frame, which a seek by time alone would miss.
        var verdict = await _checker.CheckVideoAsync(SolidClips.Create(_temp.Path, 0x202020, 96, 64, 9, fps: 8), CancellationToken.None);
        Assert.True(verdict.Flagged);
        Assert.Equal((8, 0), (verdict.FramesChecked, verdict.FlaggedFrame));
        Assert.InRange(verdict.HighestScore, 0.85, 0.9);
    }

    [Fact]
    public async Task CheckVideo_PassesABrightClip()
    {
        var verdict = await _checker.CheckVideoAsync(SolidClips.Create(_temp.Path, 0xE0E0E0, 96, 64, 17), CancellationToken.None);
        Assert.False(verdict.Flagged);
        Assert.Equal(8, verdict.FramesChecked);
        Assert.InRange(verdict.HighestScore, 0.1, 0.15);
    }

    [Fact]
    public async Task CheckVideo_SamplesTheWholeClip_SoADarkEndIsFound()
    {
        // One second bright, one second dark: only samples from the second half are flagged.
        var path = _temp.File("bright-then-dark.mp4");
        FfmpegTools.Run(["-f", "lavfi", "-i", "color=c=0xE0E0E0:s=96x64:r=16:d=1", "-f", "lavfi", "-i", "color=c=0x101010:s=96x64:r=16:d=1",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]);
        var verdict = await _checker.CheckVideoAsync(path, CancellationToken.None);
        Assert.True(verdict.Flagged);
        Assert.Equal(4, verdict.FlaggedFrame); // samples at frames 2, 6, 10, ...: the fifth (frame 18) is the first dark one
    }

    [Fact]
    public async Task CheckImage_JudgesAStill()
    {
        Assert.True((await _checker.CheckImageAsync(SolidClips.Image(_temp.Path, 0x000000, 40, 30), CancellationToken.None)).Flagged);
        Assert.False((await _checker.CheckImageAsync(SolidClips.Image(_temp.Path, 0xFF0000, 40, 30), CancellationToken.None)).Flagged);
    }

    [Fact]
    public async Task CheckVideo_NotAVideo_IsUnsupportedMedia()
    {
        var text = _temp.File("notes.mp4");
        await File.WriteAllTextAsync(text, "not a video at all");
        var e = await Assert.ThrowsAsync<ReframeFailure>(() => _checker.CheckVideoAsync(text, CancellationToken.None));
        Assert.Equal(TaskErrorNames.UnsupportedMedia, e.Name);
    }

    public void Dispose()
    {
        _classifier.Dispose();
        _temp.Dispose();
    }
}
