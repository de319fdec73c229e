namespace Reframe.Wan.Engine;

/// <summary>
/// What a task costs the real Wan2.2-VACE-Fun-A14B, from the FLOP count of ../shared/wan/ARCHITECTURE.md section 8:
/// transformer FLOPs per forward (GEMM and attention core apart, since they run at different rates), times forwards
/// per step, steps and windows, plus the VAE. Times use sustained rates, not measurements: <see cref="Rates.H100"/>
/// is the specification's H100 estimate (bf16 GEMM 700 TFLOP/s, flash attention 450 TFLOP/s).
/// </summary>
public static class WanCostModel
{
    private const double Dim = 5120, Ffn = 13824, TextTokens = 512;
    private const int Blocks = 48; // 40 main + 8 VACE
    private const int ProjectedHints = 9; // VACE before_proj + 8 after_proj

    /// <summary>VAE FLOPs per pixel-frame: 0.164 PFLOP encode and 0.275 PFLOP decode for 81 x 480 x 832.</summary>
    private const double VaeEncodePerPixel = 0.164e15 / (81.0 * 480 * 832), VaeDecodePerPixel = 0.275e15 / (81.0 * 480 * 832);

    /// <summary>Sustained rates in FLOP/s.</summary>
    public sealed record Rates(double Gemm, double Attention, double Convolution)
    {
        /// <summary>The specification's H100 estimate; convolutions taken at half the GEMM rate (cuDNN implicit GEMM on small tiles).</summary>
        public static Rates H100 { get; } = new(700e12, 450e12, 350e12);
    }

    /// <summary>Transformer tokens for a clip: (1 + (F - 1) / 4) x H/16 x W/16.</summary>
    public static long Tokens(int frames, int width, int height) => (1 + (frames - 1) / 4L) * (height / 16) * (width / 16);

    /// <summary>One expert forward (batch 1): GEMM FLOPs and attention-core FLOPs.</summary>
    public static (double Gemm, double Attention) ForwardFlops(long tokens)
    {
        double l = tokens, d = Dim;
        double gemmPerBlock = 8 * l * d * d + 4 * l * d * d + 4 * TextTokens * d * d + 4 * l * d * Ffn;
        double attentionPerBlock = 4 * l * l * d + 4 * l * TextTokens * d;
        double gemm = Blocks * gemmPerBlock + ProjectedHints * 2 * l * d * d + 2.2e11;
        return (gemm, Blocks * attentionPerBlock);
    }

    /// <summary>Seconds for one task of <paramref name="frames"/> at a canvas, window by window, on the given rates.</summary>
    public static double TaskSeconds(int frames, int width, int height, int steps, bool guidance, Rates rates,
        int windowFrames = 81, int windowOverlap = 16)
    {
        ArgumentNullException.ThrowIfNull(rates);
        double seconds = 0;
        foreach (var window in Pipelines.SlidingWindows.Plan(frames, windowFrames, windowOverlap))
        {
            var (gemm, attention) = ForwardFlops(Tokens(window.Length, width, height));
            double perForward = gemm / rates.Gemm + attention / rates.Attention;
            seconds += steps * (guidance ? 2 : 1) * perForward;
            double pixels = (double)window.Length * width * height;
            seconds += (VaeEncodePerPixel + VaeDecodePerPixel) * pixels / rates.Convolution; // one encode (the reactive one is cached) and one decode
        }

        return seconds;
    }
}
