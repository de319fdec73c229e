using Reframe.Onnx.Runtime;
using Reframe.Onnx.Safety;
using Reframe.Onnx.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Onnx.Tests.Safety;

/// <summary>Real ONNX Runtime on the test classifiers, whose score is 1 - mean(red) (class 1).</summary>
public sealed class OnnxImageClassifierTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static OnnxImageClassifier Open(string model, Func<SafetyModelSettings, SafetyModelSettings>? tweak = null) =>
        OnnxImageClassifier.Open((tweak ?? (s => s))(new SafetyModelSettings { ModelPath = model }), new OnnxRuntimeSettings { Device = OnnxDevice.Cpu });

    private static byte[] Solid(int size, byte r, byte g, byte b)
    {
        var frame = new byte[size * size * 3];
        for (var i = 0; i < frame.Length; i += 3)
        {
            (frame[i], frame[i + 1], frame[i + 2]) = (r, g, b);
        }
        return frame;
    }

    [Theory]
    [InlineData("nchw", TensorLayout.Nchw)]
    [InlineData("nhwc", TensorLayout.Nhwc)]
    public void Open_ReadsLayoutAndSizeFromTheModel(string which, TensorLayout layout)
    {
        using var classifier = Open(which == "nchw" ? OnnxTestModels.SafetyRedDarkNchw : OnnxTestModels.SafetyRedDarkNhwc);
        Assert.Equal((layout, 32, 32, "cpu"), (classifier.Layout, classifier.Width, classifier.Height, classifier.Device));
    }

    [Theory]
    [InlineData("nchw")]
    [InlineData("nhwc")]
    public void Score_CountsOnlyTheRedChannel_InEitherLayout(string which)
    {
        using var classifier = Open(which == "nchw" ? OnnxTestModels.SafetyRedDarkNchw : OnnxTestModels.SafetyRedDarkNhwc);
        // Pure red: the red channel is bright, nothing flagged. Fed in the wrong layout, the model's "red" would be a mix
        // of the three channels (a third bright) and score about 0.67.
        Assert.Equal(0.0, classifier.Score(Solid(32, 255, 0, 0)), 3);
        // Cyan is bright but has no red: fully flagged.
        Assert.Equal(1.0, classifier.Score(Solid(32, 0, 255, 255)), 3);
        Assert.Equal(1 - 64 / 255.0, classifier.Score(Solid(32, 64, 64, 64)), 3);
    }

    [Fact]
    public void Score_AppliesTheConfiguredNormalisation()
    {
        // mean 0.5, std 0.5: red 255 -> 1, so 1 - 1 = 0; red 0 -> -1, so 1 - (-1) = 2.
        using var classifier = Open(OnnxTestModels.SafetyRedDarkNchw, s => s with { Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f] });
        Assert.Equal(0.0, classifier.Score(Solid(32, 255, 0, 0)), 3);
        Assert.Equal(2.0, classifier.Score(Solid(32, 0, 0, 0)), 3);
    }

    [Fact]
    public void FlaggedScore_AddsTheFlaggedClasses_AfterASoftmaxForLogits()
    {
        float[] probabilities = [0.1f, 0.2f, 0.3f, 0.4f];
        Assert.Equal(0.7, OnnxImageClassifier.FlaggedScore(probabilities, [2, 3], SafetyOutputKind.Probabilities), 5);
        float[] logits = [0f, MathF.Log(3f)];
        Assert.Equal(0.75, OnnxImageClassifier.FlaggedScore(logits, [1], SafetyOutputKind.Logits), 5);
    }

    [Fact]
    public void Open_RefusesABrokenModelFile_NamingIt()
    {
        var broken = _temp.File("broken.onnx");
        File.WriteAllBytes(broken, [.. File.ReadAllBytes(OnnxTestModels.SafetyRedDarkNchw).Take(100)]);
        var e = Assert.Throws<OnnxModelException>(() => Open(broken));
        Assert.Contains(broken, e.Message, StringComparison.Ordinal);
        Assert.Contains(SafetyModelSettings.ModelKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RefusesAMissingFile() =>
        Assert.Contains("does not exist", Assert.Throws<OnnxModelException>(() => Open(_temp.File("none.onnx"))).Message, StringComparison.Ordinal);

    [Fact]
    public void Open_RefusesAModelThatIsNotAnImageClassifier()
    {
        var e = Assert.Throws<OnnxModelException>(() => Open(OnnxTestModels.BlendNhwcTime));
        Assert.Contains("not a usable image classifier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RefusesFlaggedClassesTheOutputDoesNotHave()
    {
        var e = Assert.Throws<OnnxModelException>(() => Open(OnnxTestModels.SafetyRedDarkNchw, s => s with { FlaggedClasses = [5] }));
        Assert.Contains(SafetyModelSettings.FlaggedClassesKey, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
