using Reframe.Onnx.Runtime;
using Reframe.Onnx.Safety;

namespace Reframe.Onnx.Tests.Safety;

public sealed class SafetyModelSettingsTests
{
    private static SafetyModelSettings? Read(params (string Key, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return SafetyModelSettings.FromConfiguration(key => map.GetValueOrDefault(key));
    }

    [Fact]
    public void NoModel_MeansNoChecker() => Assert.Null(Read((SafetyModelSettings.ThresholdKey, "0.7")));

    [Fact]
    public void EverySetting_IsRead()
    {
        var s = Read(("REFRAME_SAFETY_MODEL", "/models/nsfw.onnx"), ("REFRAME_SAFETY_THRESHOLD", "0.8"), ("REFRAME_SAFETY_FLAGGED_CLASSES", "3, 4"),
            ("REFRAME_SAFETY_OUTPUT", "logits"), ("REFRAME_SAFETY_LAYOUT", "nhwc"), ("REFRAME_SAFETY_INPUT_SIZE", "299x224"),
            ("REFRAME_SAFETY_MEAN", "0.485,0.456,0.406"), ("REFRAME_SAFETY_STD", "0.5"), ("REFRAME_SAFETY_SAMPLE_FRAMES", "12"))!;
        Assert.Equal(("/models/nsfw.onnx", 0.8, SafetyOutputKind.Logits, TensorLayout.Nhwc, (299, 224), 12),
            (s.ModelPath, s.Threshold, s.Output, s.Layout, s.InputSize, s.SampleFrames));
        Assert.Equal([3, 4], s.FlaggedClasses);
        Assert.Equal([0.485f, 0.456f, 0.406f], s.Mean);
        Assert.Equal([0.5f, 0.5f, 0.5f], s.Std);
    }

    [Fact]
    public void Defaults_AreProbabilitiesOfClassOneAtOneHalf_LayoutAndSizeFromTheModel()
    {
        var s = Read(("REFRAME_SAFETY_MODEL", "m.onnx"))!;
        Assert.Equal((0.5, SafetyOutputKind.Probabilities, (TensorLayout?)null, ((int, int)?)null, 8), (s.Threshold, s.Output, s.Layout, s.InputSize, s.SampleFrames));
        Assert.Equal([1], s.FlaggedClasses);
    }

    [Theory]
    [InlineData("REFRAME_SAFETY_THRESHOLD", "high")]
    [InlineData("REFRAME_SAFETY_FLAGGED_CLASSES", "-1")]
    [InlineData("REFRAME_SAFETY_OUTPUT", "softmax")]
    [InlineData("REFRAME_SAFETY_LAYOUT", "chw")]
    [InlineData("REFRAME_SAFETY_INPUT_SIZE", "1x2x3")]
    [InlineData("REFRAME_SAFETY_STD", "0")]
    [InlineData("REFRAME_SAFETY_MEAN", "0.1,0.2")]
    [InlineData("REFRAME_SAFETY_SAMPLE_FRAMES", "0")]
    public void AMalformedValue_IsRefused_NamingTheVariable(string key, string value) =>
        Assert.Contains(key, Assert.Throws<OnnxModelException>(() => Read(("REFRAME_SAFETY_MODEL", "m.onnx"), (key, value))).Message, StringComparison.Ordinal);
}
