namespace Reframe.TestSupport;

/// <summary>
/// The tiny ONNX models under <c>tests/Reframe.TestSupport/OnnxModels</c> (written by its <c>make_models.py</c>, which
/// says what each computes), so tests run real ONNX Runtime on models whose answers they can work out by hand.
/// </summary>
public static class OnnxTestModels
{
    /// <summary>[1,3,32,32] -> [mean(red), 1 - mean(red)]: class 1 flags frames whose red channel is dark.</summary>
    public static string SafetyRedDarkNchw => Path("safety_red_dark_nchw.onnx");

    /// <summary>The same with a [1,32,32,3] input.</summary>
    public static string SafetyRedDarkNhwc => Path("safety_red_dark_nhwc.onnx");

    /// <summary>[1,7,H,W] (frame 0, frame 1, t plane) -> (1 - t) frame 0 + t frame 1; H and W must be multiples of 32.</summary>
    public static string BlendConcat7 => Path("interp_blend_concat7.onnx");

    /// <summary>x0, x1 [1,H,W,3], time [1,1] -> (1 - time) x0 + time x1; H and W must be multiples of 64.</summary>
    public static string BlendNhwcTime => Path("interp_blend_nhwc_time.onnx");

    private static string Path(string name) =>
        System.IO.Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Reframe.TestSupport", "OnnxModels", name);
}
