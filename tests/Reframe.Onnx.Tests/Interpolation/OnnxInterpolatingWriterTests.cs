using Microsoft.ML.OnnxRuntime;
using Reframe.Core.Requests;
using Reframe.Onnx.Interpolation;
using Reframe.Onnx.Runtime;
using Reframe.Onnx.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Onnx.Tests.Interpolation;

/// <summary>
/// The network path with the test models whose output is (1 - t) frame 0 + t frame 1, and which fail unless the frame
/// is padded to their multiple: the exact pixels prove layout, padding (and its crop), time values and frame order.
/// </summary>
public sealed class OnnxInterpolatingWriterTests
{
    // 72x40 fits neither 32 nor 64: the writer must pad to 96x64 / 128x64 and crop back.
    private const int Width = 72;
    private const int Height = 40;

    /// <summary>Frame k: every byte distinct along x, y and channel, and different per frame, so a shifted crop or swapped channel shows.</summary>
    private static byte[] Pattern(int k)
    {
        var frame = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    frame[(y * Width + x) * 3 + c] = (byte)((x * 3 + y * 7 + c * 80 + k * 50) % 256);
                }
            }
        }
        return frame;
    }

    private static OnnxFrameInterpolator Open(string model, InterpolatorModel which, int padMultiple, PixelRange range = PixelRange.Unit) =>
        OnnxFrameInterpolator.Open(new InterpolatorModelSettings { Model = which, ModelPath = model, PadMultiple = padMultiple, Range = range },
            new OnnxRuntimeSettings { Device = OnnxDevice.Cpu });

    private static void AssertBlend(byte[] a, byte[] b, double t, byte[] actual, string what)
    {
        for (var i = 0; i < actual.Length; i++)
        {
            var expected = (1 - t) * a[i] + t * b[i];
            Assert.True(Math.Abs(actual[i] - expected) <= 0.51, $"{what}: byte {i} is {actual[i]}, expected {expected:0.00}");
        }
    }

    [Theory]
    [InlineData("concat7", PixelRange.Unit)]
    [InlineData("nhwc_time", PixelRange.Unit)]
    [InlineData("concat7", PixelRange.Signed)]
    public async Task Writer_EmitsEachFrame_ThenTheFramesTowardsTheNext_InOrder(string which, PixelRange range)
    {
        using var network = which == "concat7"
            ? Open(OnnxTestModels.BlendConcat7, InterpolatorModel.Rife, 32, range)
            : Open(OnnxTestModels.BlendNhwcTime, InterpolatorModel.Film, 64, range);
        var sink = new CollectingWriter(Width, Height);
        var frames = new[] { Pattern(0), Pattern(1), Pattern(2) };
        await using (var writer = network.Create(sink, factor: 3, maxOutputFrames: 7, network.ModelPath))
        {
            foreach (var frame in frames)
            {
                await writer.WriteFrameAsync(frame, CancellationToken.None);
            }
            await writer.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(7, sink.Frames.Count);
        Assert.Equal(frames[0], sink.Frames[0]);
        AssertBlend(frames[0], frames[1], 1 / 3.0, sink.Frames[1], "frame 1 (t = 1/3)");
        AssertBlend(frames[0], frames[1], 2 / 3.0, sink.Frames[2], "frame 2 (t = 2/3)");
        Assert.Equal(frames[1], sink.Frames[3]);
        AssertBlend(frames[1], frames[2], 1 / 3.0, sink.Frames[4], "frame 4");
        AssertBlend(frames[1], frames[2], 2 / 3.0, sink.Frames[5], "frame 5");
        Assert.Equal(frames[2], sink.Frames[6]);
    }

    [Fact]
    public async Task Writer_StopsAtTheOutputCount()
    {
        using var network = Open(OnnxTestModels.BlendConcat7, InterpolatorModel.Rife, 32);
        var sink = new CollectingWriter(Width, Height);
        var writer = network.Create(sink, factor: 2, maxOutputFrames: 4, network.ModelPath);
        foreach (var k in Enumerable.Range(0, 4))
        {
            await writer.WriteFrameAsync(Pattern(k), CancellationToken.None);
        }
        // f0, f0-f1, f1, f1-f2: the fourth frame written is the last, and nothing after it is computed or written.
        Assert.Equal(4, sink.Frames.Count);
        Assert.Equal(Pattern(1), sink.Frames[2]);
        AssertBlend(Pattern(1), Pattern(2), 0.5, sink.Frames[3], "the last frame written");
    }

    [Fact]
    public async Task WithoutPadding_TheTestModelCannotRun_SoPaddingIsWhatMakesItWork()
    {
        // Pad multiple 1 (an export that pads inside): the start-up dry run on 64x64 passes, a 72x40 frame does not.
        using var network = Open(OnnxTestModels.BlendConcat7, InterpolatorModel.Rife, 1);
        var writer = network.Create(new CollectingWriter(Width, Height), factor: 2, maxOutputFrames: 3, network.ModelPath);
        await writer.WriteFrameAsync(Pattern(0), CancellationToken.None);
        await Assert.ThrowsAsync<OnnxRuntimeException>(async () => await writer.WriteFrameAsync(Pattern(1), CancellationToken.None));
    }

    [Fact]
    public void Open_ReadsTheConventionFromTheFile()
    {
        using var rife = Open(OnnxTestModels.BlendConcat7, InterpolatorModel.Rife, 32);
        using var film = Open(OnnxTestModels.BlendNhwcTime, InterpolatorModel.Film, 64);
        Assert.Equal((InterpolatorInputKind.Concatenated, TensorLayout.Nchw, "rife"), (rife.Kind, rife.Layout, rife.Name));
        Assert.Equal((InterpolatorInputKind.Separate, TensorLayout.Nhwc, "film"), (film.Kind, film.Layout, film.Name));
    }

    [Fact]
    public void Open_RefusesAModelOfNoSupportedConvention_SayingWhichAreSupported()
    {
        var e = Assert.Throws<OnnxModelException>(() => Open(OnnxTestModels.SafetyRedDarkNchw, InterpolatorModel.Rife, 32));
        Assert.Contains("REFRAME_RIFE_MODEL", e.Message, StringComparison.Ordinal);
        Assert.Contains("supported exports take", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RefusesABrokenFile()
    {
        using var temp = new TempDirectory();
        var broken = temp.File("rife.onnx");
        File.WriteAllText(broken, "this is not protobuf");
        var e = Assert.Throws<OnnxModelException>(() => Open(broken, InterpolatorModel.Film, 64));
        Assert.Contains("REFRAME_FILM_MODEL", e.Message, StringComparison.Ordinal);
        Assert.Contains(broken, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_DefaultToThePadMultipleOfEachNetwork_AndReadTheConventions()
    {
        Dictionary<string, string> values = new(StringComparer.Ordinal)
        {
            ["REFRAME_RIFE_MODEL"] = "/m/rife.onnx", ["REFRAME_FILM_MODEL"] = "/m/film.onnx",
            ["REFRAME_FILM_PIXEL_RANGE"] = "signed", ["REFRAME_FILM_CHANNELS"] = "bgr", ["REFRAME_FILM_PAD_MULTIPLE"] = "128",
        };
        var rife = InterpolatorModelSettings.FromConfiguration(InterpolatorModel.Rife, k => values.GetValueOrDefault(k))!;
        var film = InterpolatorModelSettings.FromConfiguration(InterpolatorModel.Film, k => values.GetValueOrDefault(k))!;
        Assert.Equal((32, PixelRange.Unit, false), (rife.PadMultiple, rife.Range, rife.Bgr));
        Assert.Equal((128, PixelRange.Signed, true), (film.PadMultiple, film.Range, film.Bgr));
        Assert.Null(InterpolatorModelSettings.FromConfiguration(InterpolatorModel.Rife, _ => null));
        values["REFRAME_RIFE_PAD_MULTIPLE"] = "0";
        Assert.Contains("REFRAME_RIFE_PAD_MULTIPLE", Assert.Throws<OnnxModelException>(() =>
            InterpolatorModelSettings.FromConfiguration(InterpolatorModel.Rife, k => values.GetValueOrDefault(k))).Message, StringComparison.Ordinal);
    }
}
