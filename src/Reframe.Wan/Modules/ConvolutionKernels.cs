using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>How <see cref="Convolutions"/> runs a convolution of a given dtype on the CPU.</summary>
public enum ConvolutionRoute
{
    /// <summary>libtorch's kernel as it is (oneDNN on x86).</summary>
    Direct,

    /// <summary>
    /// Around the oneDNN kernels that libtorch 2.10 computes wrong on some AVX-512 CPUs: bf16 is computed in float32
    /// and rounded once; float32 with more than 16 input channels that are not a multiple of 16 gets its input
    /// channels zero-padded to the next multiple of 16 (exact).
    /// </summary>
    Guarded,
}

/// <summary>
/// Decides, once per process and dtype, whether this CPU's convolution kernels can be trusted, by running a canary:
/// the shapes known to break (pytorch issue 163347: on AMD Zen 5 with avx512_bf16, bf16 convolutions with output
/// channels not a multiple of 16, or more than 16 input channels not a multiple of 16; float32 with more than 16
/// input channels not a multiple of 16 and a batch of 2 or more) against a float64 reference. Machines without the
/// bug keep the direct kernels. <c>REFRAME_WAN_CONV_GUARD</c> = <c>auto</c> (default) | <c>on</c> | <c>off</c>
/// overrides the canary.
/// </summary>
public static class ConvolutionKernels
{
    public const string GuardKey = "REFRAME_WAN_CONV_GUARD";

    /// <summary>A correct float32 convolution lands within ~3e-7 of float64 here; a broken kernel at 0.3 and above.</summary>
    public const double Float32Bound = 1e-4;

    /// <summary>A correct bf16 convolution (inputs rounded to bf16, output rounded once) lands within ~2e-3; broken ones at 0.3+.</summary>
    public const double BFloat16Bound = 2e-2;

    private static readonly object Gate = new();
    private static readonly Dictionary<ScalarType, ConvolutionRoute> Routes = [];
    private static readonly List<string> Findings = [];
    private static Func<Tensor, Tensor, Tensor?, long[], long[], Tensor>? _kernelForCanary;

    /// <summary>Receives the one line that says which route each dtype took (the engine logs it).</summary>
    public static event Action<string>? Decided;

    /// <summary>The route for <paramref name="dtype"/>, deciding it on first use.</summary>
    public static ConvolutionRoute RouteFor(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
        {
            return ConvolutionRoute.Direct;
        }

        lock (Gate)
        {
            if (Routes.TryGetValue(dtype, out var route))
            {
                return route;
            }

            string setting = (Environment.GetEnvironmentVariable(GuardKey) ?? "auto").Trim().ToLowerInvariant();
            string finding;
            (route, finding) = setting switch
            {
                "on" => (ConvolutionRoute.Guarded, $"{GuardKey}=on"),
                "off" => (ConvolutionRoute.Direct, $"{GuardKey}=off"),
                _ => Canary(dtype),
            };
            Routes[dtype] = route;
            string line = $"convolutions in {dtype}: {route} ({finding})";
            Findings.Add(line);
            Decided?.Invoke(line);
            return route;
        }
    }

    /// <summary>What was decided so far, one line per dtype.</summary>
    public static IReadOnlyList<string> Describe()
    {
        lock (Gate)
        {
            return Findings.ToList();
        }
    }

    /// <summary>Tests: forces a route (null forgets it, so the next use decides again).</summary>
    internal static void Force(ScalarType dtype, ConvolutionRoute? route)
    {
        lock (Gate)
        {
            if (route is { } r)
            {
                Routes[dtype] = r;
            }
            else
            {
                Routes.Remove(dtype);
            }
        }
    }

    /// <summary>Tests: runs the canary with another kernel in place of libtorch's (to prove a wrong one is caught).</summary>
    internal static (ConvolutionRoute Route, string Finding) CanaryWith(ScalarType dtype, Func<Tensor, Tensor, Tensor?, long[], long[], Tensor> kernel)
    {
        lock (Gate)
        {
            _kernelForCanary = kernel;
            try
            {
                return Canary(dtype);
            }
            finally
            {
                _kernelForCanary = null;
            }
        }
    }

    /// <summary>The worst relative error of the known-bad shapes against float64; guarded when any is past the bound.</summary>
    private static (ConvolutionRoute Route, string Finding) Canary(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var kernel = _kernelForCanary ?? ((x, w, b, s, p) => w.dim() == 5
            ? nn.functional.conv3d(x, w, b, s, p)
            : nn.functional.conv2d(x, w, b, s, p));
        // (batch, in, out, spatial dims): float32 breaks with > 16 inputs not a multiple of 16 and batch >= 2; bf16 also
        // with outputs not a multiple of 16 (the VAE head's 96 -> 3) and the patch embedding's 36 inputs.
        var shapes = dtype == ScalarType.Float32
            ? new[] { (2, 20, 20, 2), (2, 40, 24, 3), (2, 24, 16, 2) }
            : new[] { (2, 20, 20, 2), (1, 96, 3, 2), (2, 36, 16, 3), (1, 16, 10, 2) };
        double worst = 0;
        using var generator = new Generator(20261205);
        foreach (var (batch, inputs, outputs, dims) in shapes)
        {
            long[] spatial = dims == 2 ? [12, 14] : [3, 10, 12];
            long[] kernelShape = dims == 2 ? [3, 3] : [3, 3, 3];
            var x = randn([batch, inputs, .. spatial], generator: generator, dtype: ScalarType.Float64).to(dtype);
            var w = (randn([outputs, inputs, .. kernelShape], generator: generator, dtype: ScalarType.Float64)
                     / Math.Sqrt(inputs * kernelShape.Aggregate(1L, (a, b) => a * b))).to(dtype);
            var b = randn([outputs], generator: generator, dtype: ScalarType.Float64).to(dtype);
            long[] stride = dims == 2 ? [1, 1] : [1, 1, 1];
            long[] padding = dims == 2 ? [1, 1] : [0, 1, 1];
            var reference = kernel(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64), stride, padding);
            var actual = kernel(x, w, b, stride, padding).to(ScalarType.Float64);
            double error = ((actual - reference).norm() / reference.norm()).item<double>();
            worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error);
        }

        double bound = dtype == ScalarType.Float32 ? Float32Bound : BFloat16Bound;
        return worst <= bound
            ? (ConvolutionRoute.Direct, $"canary: worst rel-L2 {worst:E1} of the known-bad shapes against float64, within {bound:E0}: the kernels are fine here")
            : (ConvolutionRoute.Guarded, $"canary: worst rel-L2 {worst:E1} of the known-bad shapes against float64, past {bound:E0}: this CPU's kernels are wrong for them");
    }
}
