using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Engines.Classic;
using Reframe.Media;
using Reframe.Media.Interpolation;
using Reframe.Media.Pipeline;
using Reframe.Onnx.Interpolation;
using Reframe.Onnx.Runtime;
using Reframe.Onnx.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Onnx.Tests.Interpolation;

/// <summary>
/// The real pipeline (ffmpeg decode, classic engine, paste-back, encoder) with an ONNX network in the interpolation
/// slot: the network's frames reach the file, and without a model the classical interpolation runs and says why.
/// </summary>
public sealed class RunnerWithNetworkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private async Task<(ReframeOutcome Outcome, string Output)> RunAsync(GenerationOptions options, IReadOnlyList<INetworkInterpolator> networks,
        MediaSettings media)
    {
        var source = TestVideos.Create(_temp.Path, new TestVideoSpec(160, 120, Frames: 9, Fps: 8));
        var output = _temp.File($"out-{Guid.NewGuid():N}.mp4");
        var runner = new ReframeRunner(new ClassicEngine(), media, null, networks);
        var job = new ReframeJob(options, source, null, null, output, _temp.Path, Seed: 1);
        return (await runner.RunAsync(job, new Progress<TaskProgress>(), CancellationToken.None), output);
    }

    private static GenerationOptions Request(InterpolatorModel model) => new()
    {
        VideoUrl = "file.mp4",
        AspectRatio = AspectRatio.Landscape16x9,
        VideoWriteMode = VideoWriteMode.Fast,
        VideoQuality = VideoQuality.Maximum,
        NumInterpolatedFrames = 1,
        InterpolatorModel = model,
    };

    [Fact]
    public async Task InstalledNetwork_MakesTheInBetweenFrames_AndIsReported()
    {
        using var rife = OnnxFrameInterpolator.Open(
            new InterpolatorModelSettings { Model = InterpolatorModel.Rife, ModelPath = OnnxTestModels.BlendConcat7 }, new OnnxRuntimeSettings());
        var media = new MediaSettings { InterpolatorWeights = new Dictionary<InterpolatorModel, string> { [InterpolatorModel.Rife] = OnnxTestModels.BlendConcat7 } };
        var (outcome, output) = await RunAsync(Request(InterpolatorModel.Rife), [rife], media);

        Assert.Equal(("rife", (string?)null), (outcome.Interpolator, outcome.InterpolatorReason));
        Assert.Equal((17, 16.0), (outcome.NumFrames, outcome.FramesPerSecond));
        var frames = DecodeRgb(output, outcome.Width, outcome.Height);
        Assert.Equal(17, frames.Count);
        // Every odd frame is the average of its neighbours (the test network's answer at t = 1/2), up to the encoder's
        // rounding; and it is a new frame, not a copy of either neighbour (testsrc2 moves).
        for (var i = 1; i < 17; i += 2)
        {
            var average = frames[i - 1].Zip(frames[i + 1], (a, b) => (byte)((a + b + 1) / 2)).ToArray();
            Assert.InRange(MeanAbsDiff(frames[i], average), 0, 2.5);
            Assert.True(MeanAbsDiff(frames[i], frames[i - 1]) > 2 * MeanAbsDiff(frames[i], average), $"frame {i} looks like a copy of frame {i - 1}");
        }
    }

    [Fact]
    public async Task WithoutTheModel_ClassicalInterpolationRuns_AndTheReasonIsReported()
    {
        var (outcome, _) = await RunAsync(Request(InterpolatorModel.Film), [], new MediaSettings());
        Assert.Equal(InterpolationStep.MinterpolateName, outcome.Interpolator);
        Assert.Equal("no film model is installed on this server; ffmpeg's motion-compensated minterpolate ran instead", outcome.InterpolatorReason);
        Assert.Equal(17, outcome.NumFrames);
    }

    private static List<byte[]> DecodeRgb(string path, int width, int height)
    {
        var raw = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".rgb");
        FfmpegTools.Run(["-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", raw]);
        var bytes = File.ReadAllBytes(raw);
        var size = width * height * 3;
        return Enumerable.Range(0, bytes.Length / size).Select(i => bytes.AsSpan(i * size, size).ToArray()).ToList();
    }

    private static double MeanAbsDiff(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    public void Dispose() => _temp.Dispose();
}
