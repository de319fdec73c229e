using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules.Cpu;

/// <summary>
/// The VAE's channel RMS norm (<c>x / max(||x||_channels, 1e-12) * gamma'</c>, gamma' = sqrt(C) * gamma), optionally
/// followed by SiLU (<c>y / (1 + e^-y)</c>, libtorch's formula), in one pass over a float32 CPU tensor. libtorch runs
/// the same as six kernels (square, sum, sqrt, clamp, divide, multiply, then silu), each allocating a full-size
/// temporary; with 4 to 16 channels the sum over the strided channel dimension is its slowest part. Here each
/// vector of positions reads its C channel values, sums their squares in registers, and writes the C results.
/// </summary>
internal static unsafe class RmsNormSilu
{
    /// <summary>
    /// Whether <paramref name="x"/> suits the kernel: float32 on the CPU, <c>[B, C, T, H, W]</c> or <c>[B, C, H, W]</c>
    /// with each H x W plane contiguous (any order of B, C and T, as the VAE's permuted views have).
    /// </summary>
    public static bool Takes(Tensor x) =>
        x.device.type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32 && x.dim() is 4 or 5
        && x.stride(-1) == 1 && x.stride(-2) == x.shape[^1];

    /// <summary><paramref name="x"/> as <see cref="Takes"/> allows; <paramref name="scaledGamma"/> C values. The result is contiguous.</summary>
    public static Tensor Run(Tensor x, Tensor scaledGamma, bool silu)
    {
        bool video = x.dim() == 5;
        long batch = x.shape[0], channels = x.shape[1], frames = video ? x.shape[2] : 1;
        var y = empty(x.shape, ScalarType.Float32, x.device);
        var gamma = GC.AllocateArray<float>(checked((int)channels), pinned: true);
        using (var g = scaledGamma.to_type(ScalarType.Float32).contiguous())
        {
            MemoryMarshal.Cast<byte, float>(g.bytes).CopyTo(gamma);
        }

        var job = new Job
        {
            Input = (nint)DirectConvolution.DataPointer(x),
            Output = (nint)DirectConvolution.DataPointer(y),
            Gamma = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(gamma)),
            Channels = channels,
            Frames = frames,
            Positions = x.shape[^1] * x.shape[^2],
            BatchStride = x.stride(0),
            ChannelStride = x.stride(1),
            FrameStride = video ? x.stride(2) : 0,
            Silu = silu,
        };
        switch (CpuKernels.Width)
        {
            case SimdWidth.Bits512:
                Run<Floats512>(job, batch);
                break;
            case SimdWidth.Bits256:
                Run<Floats256>(job, batch);
                break;
            default:
                Run<Floats128>(job, batch);
                break;
        }

        GC.KeepAlive(gamma);
        return y;
    }

    private static void Run<TV>(Job job, long batch)
        where TV : struct, ISimdFloats<TV>
    {
        // Work items: (batch item, frame, block of 16 vectors of positions); the block's last vector is shifted back to
        // end at the last position (recomputed outputs are identical), and fewer positions than one vector go scalar.
        long lanes = TV.Count, block = 16 * lanes;
        long blocks = (job.Positions + block - 1) / block;
        CpuKernels.For(batch * job.Frames * blocks, (start, end) =>
        {
            for (long item = start; item < end; item++)
            {
                long plane = item / blocks, from = item % blocks * block, to = Math.Min(from + block, job.Positions);
                long b = plane / job.Frames, t = plane % job.Frames;
                float* input = (float*)job.Input + b * job.BatchStride + t * job.FrameStride;
                float* output = (float*)job.Output + (b * job.Channels * job.Frames + t) * job.Positions;
                if (job.Positions < lanes)
                {
                    for (long p = from; p < to; p++)
                    {
                        Point(job, input + p, output + p);
                    }

                    continue;
                }

                for (long p = from; p < to; p += lanes)
                {
                    long at = Math.Min(p, job.Positions - lanes);
                    Vector<TV>(job, input + at, output + at);
                }
            }
        });
    }

    /// <summary>One vector of positions: input channels <c>ChannelStride</c> apart, output channels <c>Frames * Positions</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vector<TV>(in Job job, float* input, float* output)
        where TV : struct, ISimdFloats<TV>
    {
        long outputStride = job.Frames * job.Positions;
        float* gamma = (float*)job.Gamma;
        TV squares = TV.Splat(0f);
        for (long c = 0; c < job.Channels; c++)
        {
            TV v = TV.Load(ref input[c * job.ChannelStride]);
            squares = TV.MultiplyAdd(v, v, squares);
        }

        // One division per position instead of one per channel: x * (1/n) differs from x / n by at most one rounding.
        TV scale = TV.Divide(TV.Splat(1f), TV.Max(TV.Sqrt(squares), TV.Splat(1e-12f)));
        TV one = TV.Splat(1f);
        for (long c = 0; c < job.Channels; c++)
        {
            TV v = TV.Multiply(TV.Multiply(TV.Load(ref input[c * job.ChannelStride]), scale), TV.Splat(gamma[c]));
            if (job.Silu)
            {
                v = TV.Divide(v, TV.Add(one, TV.ExpNegated(v)));
            }

            TV.Store(v, ref output[c * outputStride]);
        }
    }

    private static void Point(in Job job, float* input, float* output)
    {
        long outputStride = job.Frames * job.Positions;
        float squares = 0f;
        for (long c = 0; c < job.Channels; c++)
        {
            squares = MathF.FusedMultiplyAdd(input[c * job.ChannelStride], input[c * job.ChannelStride], squares);
        }

        float scale = 1f / MathF.Max(MathF.Sqrt(squares), 1e-12f);
        for (long c = 0; c < job.Channels; c++)
        {
            float v = input[c * job.ChannelStride] * scale * ((float*)job.Gamma)[c];
            output[c * outputStride] = job.Silu ? v / (1f + MathF.Exp(-v)) : v;
        }
    }

    private struct Job
    {
        public nint Input;
        public nint Output;
        public nint Gamma;
        public long Channels;
        public long Frames;
        public long Positions;
        public long BatchStride;
        public long ChannelStride;
        public long FrameStride;
        public bool Silu;
    }
}
