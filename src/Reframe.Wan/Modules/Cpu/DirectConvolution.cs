using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules.Cpu;

/// <summary>
/// A float32 convolution with stride 1 computed directly on the CPU, for the few-channel convolutions libtorch is
/// slowest at: its CPU conv3d reaches 2 to 9 GFLOP/s with 3 to 16 channels (the tiny VAE's widths; oneDNN's kernels
/// are built for wide channel blocks), this kernel 25 to 50 on the same two cores. Each output row is computed in
/// registers: 4 output channels x 4 vectors of columns, every input vector loaded once per tap and used for 4 FMAs,
/// the weights broadcast from a packed copy. Zero padding is never materialised: rows outside the frame are skipped,
/// the two edge columns are summed by a scalar loop, and absent frames (a causal conv's zero history) cost nothing.
/// Input frames may come from two tensors (a causal conv's cached frames and the chunk), so no concatenated copy
/// is made either. Being plain FMAs in a fixed order, it is also free of the oneDNN kernel bug (see
/// <see cref="ConvolutionKernels"/>).
/// </summary>
internal static unsafe class DirectConvolution
{
    /// <summary>
    /// Conv3d over the frames <c>zeroFront</c> zero frames, then <paramref name="history"/>'s, then
    /// <paramref name="x"/>'s, then <c>padding[0]</c> zero frames; <paramref name="padding"/> is (T, H, W), T applied
    /// on both ends as conv3d does. Tensors <c>[B, C, T, H, W]</c>, float32, on the CPU; weight <c>[Co, Ci, kt, kh, kw]</c>.
    /// </summary>
    public static Tensor Conv3d(Tensor x, Tensor weight, Tensor? bias, long[] padding, Tensor? history = null, long zeroFront = 0)
    {
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[3], width = x.shape[4];
        using var scope = NewDisposeScope();
        x = PlanesContiguous(x);
        history = history is null ? null : PlanesContiguous(history);
        long historyFrames = history?.shape[2] ?? 0;
        long front = zeroFront + padding[0];
        long framesIn = front + historyFrames + x.shape[2] + padding[0];

        // One entry per (batch item, input frame): where channel 0's plane starts and how far apart channels are.
        var planes = GC.AllocateArray<long>(checked((int)(batch * framesIn)), pinned: true);
        var channelStrides = GC.AllocateArray<long>(planes.Length, pinned: true);
        for (long b = 0; b < batch; b++)
        {
            Describe(planes, channelStrides, b * framesIn + front, history, b);
            Describe(planes, channelStrides, b * framesIn + front + historyFrames, x, b);
        }

        long co = weight.shape[0], kt = weight.shape[2], kh = weight.shape[3], kw = weight.shape[4];
        var job = new Job
        {
            Ci = (int)channels,
            Co = (int)co,
            Kt = (int)kt,
            Kh = (int)kh,
            Kw = (int)kw,
            Ph = padding[1],
            Pw = padding[2],
            H = height,
            W = width,
            FramesIn = framesIn,
            To = framesIn - kt + 1,
            Ho = height + 2 * padding[1] - kh + 1,
            Wo = width + 2 * padding[2] - kw + 1,
            StageWidth = width + 2 * padding[2],
        };
        if (job.To < 1 || job.Ho < 1 || job.Wo < 1 || kt > 64)
        {
            throw new ArgumentException($"the kernel {kt}x{kh}x{kw} is larger than the padded input");
        }

        var packed = PackWeights(weight, bias, out var packedBias);
        var y = empty([batch, co, job.To, job.Ho, job.Wo], ScalarType.Float32, x.device);
        job.Planes = Address(planes);
        job.ChannelStrides = Address(channelStrides);
        job.Weights = Address(packed);
        job.Bias = Address(packedBias);
        job.Output = (nint)DataPointer(y);
        Run(job, batch);
        GC.KeepAlive(planes);
        GC.KeepAlive(channelStrides);
        GC.KeepAlive(packed);
        GC.KeepAlive(packedBias);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Conv2d <c>[N, C, H, W]</c> as a one-frame conv3d.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long[] padding)
    {
        using var scope = NewDisposeScope();
        var y = Conv3d(x.unsqueeze(2), weight.unsqueeze(2), bias, [0, padding[0], padding[1]]);
        return y.squeeze(2).MoveToOuterDisposeScope();
    }

    /// <summary>The address of a CPU tensor's first element (its storage plus the view's offset).</summary>
    internal static float* DataPointer(Tensor t) => (float*)t.storage<float>().data_ptr() + t.storage_offset();

    private static Tensor PlanesContiguous(Tensor t) =>
        t.dtype == ScalarType.Float32 && t.stride(4) == 1 && t.stride(3) == t.shape[4] ? t : t.contiguous().to_type(ScalarType.Float32);

    private static void Describe(long[] planes, long[] channelStrides, long first, Tensor? source, long b)
    {
        if (source is null)
        {
            return;
        }

        float* origin = DataPointer(source);
        for (long f = 0; f < source.shape[2]; f++)
        {
            planes[first + f] = (long)(origin + b * source.stride(0) + f * source.stride(2));
            channelStrides[first + f] = source.stride(1);
        }
    }

    /// <summary>Weights as [Co/4][Ci][kt][kh][kw][4] (the 4 output channels a register block needs, side by side), zero-filled to a multiple of 4.</summary>
    private static float[] PackWeights(Tensor weight, Tensor? bias, out float[] packedBias)
    {
        long co = weight.shape[0], ci = weight.shape[1], taps = weight.shape[2] * weight.shape[3] * weight.shape[4];
        long groups = (co + 3) / 4;
        var packed = GC.AllocateArray<float>(checked((int)(groups * 4 * ci * taps)), pinned: true);
        using var w = weight.to_type(ScalarType.Float32).contiguous();
        var source = MemoryMarshal.Cast<byte, float>(w.bytes);
        for (long o = 0; o < co; o++)
        {
            for (long c = 0; c < ci; c++)
            {
                for (long k = 0; k < taps; k++)
                {
                    packed[(((o / 4) * ci + c) * taps + k) * 4 + o % 4] = source[(int)((o * ci + c) * taps + k)];
                }
            }
        }

        packedBias = GC.AllocateArray<float>((int)(groups * 4), pinned: true);
        if (bias is not null)
        {
            using var b = bias.to_type(ScalarType.Float32).contiguous();
            MemoryMarshal.Cast<byte, float>(b.bytes).CopyTo(packedBias);
        }

        return packed;
    }

    private static nint Address<T>(T[] pinned) where T : unmanaged => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private static void Run(Job job, long batch)
    {
        long rows = batch * job.To * job.Ho;
        switch (CpuKernels.Width)
        {
            case SimdWidth.Bits512:
                CpuKernels.For(rows, (start, end) => Rows<Floats512>(job, start, end));
                break;
            case SimdWidth.Bits256:
                CpuKernels.For(rows, (start, end) => Rows<Floats256>(job, start, end));
                break;
            default:
                CpuKernels.For(rows, (start, end) => Rows<Floats128>(job, start, end));
                break;
        }
    }

    /// <summary>
    /// Output rows [start, end) in order. The input rows they read are staged, zero-padded left and right, in a small
    /// buffer of this thread's (kt x Ci x kh rows: a ring of the last kh input rows of every frame and channel), so the
    /// blocks below read every column without edge cases, and each input row is copied once per output frame while
    /// it is in cache anyway.
    /// </summary>
    private static void Rows<TV>(Job job, long start, long end)
        where TV : struct, ISimdFloats<TV>
    {
        long stageFloats = (long)job.Kt * job.Ci * job.Kh * job.StageWidth;
        var stage = (float*)NativeMemory.AlignedAlloc((nuint)(stageFloats * sizeof(float)), 64);
        try
        {
            NativeMemory.Clear(stage, (nuint)(stageFloats * sizeof(float))); // the padding columns stay zero
            long frameKey = -1, staged = -1;                                 // (b, t) staged for, last input row staged
            Span<long> slots = stackalloc long[job.Kh];
            for (long r = start; r < end; r++)
            {
                long oh = r % job.Ho, bt = r / job.Ho, t = bt % job.To, b = bt / job.To;
                if (bt != frameKey)
                {
                    frameKey = bt;
                    staged = -1;
                }

                int first = (int)Math.Max(0, job.Ph - oh), last = (int)Math.Min(job.Kh, job.H + job.Ph - oh); // kernel rows inside the frame
                for (long ih = Math.Max(staged + 1, oh + first - job.Ph); ih <= oh + last - 1 - job.Ph; ih++)
                {
                    StageRow(job, stage, b, t, ih);
                    staged = ih;
                }

                for (int dh = 0; dh < job.Kh; dh++)
                {
                    slots[dh] = (oh + dh - job.Ph + job.Kh) % job.Kh * job.StageWidth; // negative rows are never read
                }

                Row<TV>(job, stage, slots, new RowSpan(first, last), b, t, oh);
            }
        }
        finally
        {
            NativeMemory.AlignedFree(stage);
        }
    }

    /// <summary>Copies input row <paramref name="ih"/> of every frame and channel output frame t reads into its ring slot.</summary>
    private static void StageRow(in Job job, float* stage, long b, long t, long ih)
    {
        long slot = ih % job.Kh;
        for (int dt = 0; dt < job.Kt; dt++)
        {
            long frame = b * job.FramesIn + t + dt;
            float* plane = (float*)((long*)job.Planes)[frame];
            if (plane is null)
            {
                continue; // zero frames are skipped by the blocks, never read
            }

            long channelStride = ((long*)job.ChannelStrides)[frame];
            for (int c = 0; c < job.Ci; c++)
            {
                float* destination = stage + ((dt * job.Ci + c) * job.Kh + slot) * job.StageWidth + job.Pw;
                Buffer.MemoryCopy(plane + c * channelStride + ih * job.W, destination, job.W * sizeof(float), job.W * sizeof(float));
            }
        }
    }

    /// <summary>One output row (every output channel, every column) of batch item b, output frame t.</summary>
    private static void Row<TV>(in Job job, float* stage, ReadOnlySpan<long> slots, RowSpan rows, long b, long t, long oh)
        where TV : struct, ISimdFloats<TV>
    {
        int lanes = TV.Count;
        int groups = (job.Co + 3) / 4;
        long* slotOffsets = stackalloc long[slots.Length];
        slots.CopyTo(new Span<long>(slotOffsets, slots.Length));
        var frames = new FrameMask(job, b, t);
        if (job.Wo < lanes)
        {
            for (long ow = 0; ow < job.Wo; ow++)
            {
                for (int group = 0; group < groups; group++)
                {
                    Point(job, stage, slotOffsets, rows, frames, b, t, oh, group, ow);
                }
            }

            return;
        }

        // Column blocks outside, output-channel groups inside: one block's inputs stay in L1 while every group reads
        // them. Blocks of 4 vectors, then single vectors; the last is shifted left to end at the last column,
        // recomputing a few columns rather than leaving a tail (each output is written whole, so twice is harmless).
        long ow0 = 0;
        for (; ow0 + 4 * lanes <= job.Wo; ow0 += 4 * lanes)
        {
            for (int group = 0; group < groups; group++)
            {
                Block4<TV>(job, stage, slotOffsets, rows, frames, b, t, oh, group, ow0);
            }
        }

        for (; ow0 < job.Wo; ow0 += lanes)
        {
            long at = Math.Min(ow0, job.Wo - lanes);
            for (int group = 0; group < groups; group++)
            {
                Block1<TV>(job, stage, slotOffsets, rows, frames, b, t, oh, group, at);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<TV>(in Job job, float* stage, long* slots, RowSpan rows, FrameMask frames, long b, long t, long oh, int group, long ow)
        where TV : struct, ISimdFloats<TV>
    {
        int lanes = TV.Count;
        float* bias = (float*)job.Bias + group * 4;
        TV a00 = TV.Splat(bias[0]), a01 = a00, a02 = a00, a03 = a00;
        TV a10 = TV.Splat(bias[1]), a11 = a10, a12 = a10, a13 = a10;
        TV a20 = TV.Splat(bias[2]), a21 = a20, a22 = a20, a23 = a20;
        TV a30 = TV.Splat(bias[3]), a31 = a30, a32 = a30, a33 = a30;
        int kt = job.Kt, kh = job.Kh, kw = job.Kw, ci = job.Ci;
        long stageWidth = job.StageWidth;
        float* weights = (float*)job.Weights + (long)group * ci * kt * kh * kw * 4;
        for (int dt = 0; dt < kt; dt++)
        {
            if (!frames.Has(dt))
            {
                continue; // a zero frame adds nothing
            }

            for (int c = 0; c < ci; c++)
            {
                float* channel = stage + (long)(dt * ci + c) * kh * stageWidth + ow;
                float* taps = weights + ((long)c * kt + dt) * kh * kw * 4;
                for (int dh = rows.First; dh < rows.End; dh++)
                {
                    float* input = channel + slots[dh];
                    float* tap = taps + dh * kw * 4;
                    for (int dw = 0; dw < kw; dw++, input++, tap += 4)
                    {
                        TV v0 = TV.Load(ref input[0]), v1 = TV.Load(ref input[lanes]), v2 = TV.Load(ref input[2 * lanes]), v3 = TV.Load(ref input[3 * lanes]);
                        TV w0 = TV.Splat(tap[0]), w1 = TV.Splat(tap[1]), w2 = TV.Splat(tap[2]), w3 = TV.Splat(tap[3]);
                        a00 = TV.MultiplyAdd(v0, w0, a00); a01 = TV.MultiplyAdd(v1, w0, a01); a02 = TV.MultiplyAdd(v2, w0, a02); a03 = TV.MultiplyAdd(v3, w0, a03);
                        a10 = TV.MultiplyAdd(v0, w1, a10); a11 = TV.MultiplyAdd(v1, w1, a11); a12 = TV.MultiplyAdd(v2, w1, a12); a13 = TV.MultiplyAdd(v3, w1, a13);
                        a20 = TV.MultiplyAdd(v0, w2, a20); a21 = TV.MultiplyAdd(v1, w2, a21); a22 = TV.MultiplyAdd(v2, w2, a22); a23 = TV.MultiplyAdd(v3, w2, a23);
                        a30 = TV.MultiplyAdd(v0, w3, a30); a31 = TV.MultiplyAdd(v1, w3, a31); a32 = TV.MultiplyAdd(v2, w3, a32); a33 = TV.MultiplyAdd(v3, w3, a33);
                    }
                }
            }
        }

        float* output = OutputAt(job, b, group * 4, t, oh, ow);
        long outputChannel = job.To * job.Ho * job.Wo;
        int valid = Math.Min(4, job.Co - group * 4);
        Store4(a00, a01, a02, a03, output, lanes);
        if (valid > 1)
        {
            Store4(a10, a11, a12, a13, output + outputChannel, lanes);
        }

        if (valid > 2)
        {
            Store4(a20, a21, a22, a23, output + 2 * outputChannel, lanes);
        }

        if (valid > 3)
        {
            Store4(a30, a31, a32, a33, output + 3 * outputChannel, lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1<TV>(in Job job, float* stage, long* slots, RowSpan rows, FrameMask frames, long b, long t, long oh, int group, long ow)
        where TV : struct, ISimdFloats<TV>
    {
        float* bias = (float*)job.Bias + group * 4;
        TV a0 = TV.Splat(bias[0]), a1 = TV.Splat(bias[1]), a2 = TV.Splat(bias[2]), a3 = TV.Splat(bias[3]);
        int kt = job.Kt, kh = job.Kh, kw = job.Kw, ci = job.Ci;
        long stageWidth = job.StageWidth;
        float* weights = (float*)job.Weights + (long)group * ci * kt * kh * kw * 4;
        for (int dt = 0; dt < kt; dt++)
        {
            if (!frames.Has(dt))
            {
                continue;
            }

            for (int c = 0; c < ci; c++)
            {
                float* channel = stage + (long)(dt * ci + c) * kh * stageWidth + ow;
                float* taps = weights + ((long)c * kt + dt) * kh * kw * 4;
                for (int dh = rows.First; dh < rows.End; dh++)
                {
                    float* input = channel + slots[dh];
                    float* tap = taps + dh * kw * 4;
                    for (int dw = 0; dw < kw; dw++, input++, tap += 4)
                    {
                        TV v = TV.Load(ref input[0]);
                        a0 = TV.MultiplyAdd(v, TV.Splat(tap[0]), a0);
                        a1 = TV.MultiplyAdd(v, TV.Splat(tap[1]), a1);
                        a2 = TV.MultiplyAdd(v, TV.Splat(tap[2]), a2);
                        a3 = TV.MultiplyAdd(v, TV.Splat(tap[3]), a3);
                    }
                }
            }
        }

        float* output = OutputAt(job, b, group * 4, t, oh, ow);
        long outputChannel = job.To * job.Ho * job.Wo;
        int valid = Math.Min(4, job.Co - group * 4);
        TV.Store(a0, ref output[0]);
        if (valid > 1)
        {
            TV.Store(a1, ref output[outputChannel]);
        }

        if (valid > 2)
        {
            TV.Store(a2, ref output[2 * outputChannel]);
        }

        if (valid > 3)
        {
            TV.Store(a3, ref output[3 * outputChannel]);
        }
    }

    /// <summary>One output column of a 4-channel group, for rows narrower than one vector.</summary>
    private static void Point(in Job job, float* stage, long* slots, RowSpan rows, FrameMask frames, long b, long t, long oh, int group, long ow)
    {
        float* output = OutputAt(job, b, group * 4, t, oh, ow);
        long outputChannel = job.To * job.Ho * job.Wo;
        float* weights = (float*)job.Weights + (long)group * job.Ci * job.Kt * job.Kh * job.Kw * 4;
        for (int j = 0; j < 4 && group * 4 + j < job.Co; j++)
        {
            float sum = ((float*)job.Bias)[group * 4 + j];
            for (int dt = 0; dt < job.Kt; dt++)
            {
                if (!frames.Has(dt))
                {
                    continue;
                }

                for (int c = 0; c < job.Ci; c++)
                {
                    float* channel = stage + (long)(dt * job.Ci + c) * job.Kh * job.StageWidth + ow;
                    float* taps = weights + ((long)c * job.Kt + dt) * job.Kh * job.Kw * 4;
                    for (int dh = rows.First; dh < rows.End; dh++)
                    {
                        for (int dw = 0; dw < job.Kw; dw++)
                        {
                            sum = MathF.FusedMultiplyAdd(channel[slots[dh] + dw], taps[(dh * job.Kw + dw) * 4 + j], sum);
                        }
                    }
                }
            }

            output[j * outputChannel] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TV>(TV a0, TV a1, TV a2, TV a3, float* output, int lanes)
        where TV : struct, ISimdFloats<TV>
    {
        TV.Store(a0, ref output[0]);
        TV.Store(a1, ref output[lanes]);
        TV.Store(a2, ref output[2 * lanes]);
        TV.Store(a3, ref output[3 * lanes]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* OutputAt(in Job job, long b, long channel, long t, long oh, long ow) =>
        (float*)job.Output + (((b * job.Co + channel) * job.To + t) * job.Ho + oh) * job.Wo + ow;

    /// <summary>The kernel rows [First, End) that land inside the frame for one output row.</summary>
    private readonly record struct RowSpan(int First, int End);

    /// <summary>Which of the kt input frames of one output frame exist (bit dt set), the rest being zero frames.</summary>
    private readonly struct FrameMask
    {
        private readonly ulong _bits;

        public FrameMask(in Job job, long b, long t)
        {
            for (int dt = 0; dt < job.Kt && dt < 64; dt++)
            {
                if (((long*)job.Planes)[b * job.FramesIn + t + dt] != 0)
                {
                    _bits |= 1UL << dt;
                }
            }
        }

        public bool Has(int dt) => (_bits >> dt & 1) != 0;
    }

    /// <summary>Everything a row needs, as plain numbers and addresses (captured by the parallel loop).</summary>
    private struct Job
    {
        public nint Planes;
        public nint ChannelStrides;
        public nint Weights;
        public nint Bias;
        public nint Output;
        public int Ci;
        public int Co;
        public int Kt;
        public int Kh;
        public int Kw;
        public long Ph;
        public long Pw;
        public long H;
        public long W;
        public long StageWidth;
        public long FramesIn;
        public long To;
        public long Ho;
        public long Wo;
    }
}
