using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Reframe.Wan.Modules.Cpu;

/// <summary>
/// The few vector operations the CPU kernels need, over one register width. The kernels are generic over it, so the
/// JIT compiles one specialised copy per width (Vector512 on AVX-512 CPUs, Vector256 on AVX2, Vector128 on Arm NEON)
/// with every call inlined; .NET's own <c>ISimdVector</c> would do this but is not public.
/// </summary>
internal interface ISimdFloats<TSelf>
    where TSelf : struct, ISimdFloats<TSelf>
{
    static abstract int Count { get; }

    static abstract TSelf Load(ref float source);

    static abstract void Store(TSelf value, ref float destination);

    static abstract TSelf Splat(float value);

    /// <summary>a * b + c, fused (one rounding) where the hardware has it.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Multiply(TSelf a, TSelf b);

    static abstract TSelf Divide(TSelf a, TSelf b);

    static abstract TSelf Add(TSelf a, TSelf b);

    static abstract TSelf Max(TSelf a, TSelf b);

    static abstract TSelf Sqrt(TSelf a);

    /// <summary>e^(-a).</summary>
    static abstract TSelf ExpNegated(TSelf a);
}

internal struct Floats512 : ISimdFloats<Floats512>
{
    private Vector512<float> _v;

    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Load(ref float source) => new() { _v = Vector512.LoadUnsafe(ref source) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Floats512 value, ref float destination) => value._v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Splat(float value) => new() { _v = Vector512.Create(value) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 MultiplyAdd(Floats512 a, Floats512 b, Floats512 c) => new() { _v = Vector512.FusedMultiplyAdd(a._v, b._v, c._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Multiply(Floats512 a, Floats512 b) => new() { _v = a._v * b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Divide(Floats512 a, Floats512 b) => new() { _v = a._v / b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Add(Floats512 a, Floats512 b) => new() { _v = a._v + b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Max(Floats512 a, Floats512 b) => new() { _v = Vector512.Max(a._v, b._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 Sqrt(Floats512 a) => new() { _v = Vector512.Sqrt(a._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats512 ExpNegated(Floats512 a) => new() { _v = Vector512.Exp(-a._v) };
}

internal struct Floats256 : ISimdFloats<Floats256>
{
    private Vector256<float> _v;

    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Load(ref float source) => new() { _v = Vector256.LoadUnsafe(ref source) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Floats256 value, ref float destination) => value._v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Splat(float value) => new() { _v = Vector256.Create(value) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 MultiplyAdd(Floats256 a, Floats256 b, Floats256 c) => new() { _v = Vector256.FusedMultiplyAdd(a._v, b._v, c._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Multiply(Floats256 a, Floats256 b) => new() { _v = a._v * b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Divide(Floats256 a, Floats256 b) => new() { _v = a._v / b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Add(Floats256 a, Floats256 b) => new() { _v = a._v + b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Max(Floats256 a, Floats256 b) => new() { _v = Vector256.Max(a._v, b._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 Sqrt(Floats256 a) => new() { _v = Vector256.Sqrt(a._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats256 ExpNegated(Floats256 a) => new() { _v = Vector256.Exp(-a._v) };
}

internal struct Floats128 : ISimdFloats<Floats128>
{
    private Vector128<float> _v;

    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Load(ref float source) => new() { _v = Vector128.LoadUnsafe(ref source) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Floats128 value, ref float destination) => value._v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Splat(float value) => new() { _v = Vector128.Create(value) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 MultiplyAdd(Floats128 a, Floats128 b, Floats128 c) => new() { _v = Vector128.FusedMultiplyAdd(a._v, b._v, c._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Multiply(Floats128 a, Floats128 b) => new() { _v = a._v * b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Divide(Floats128 a, Floats128 b) => new() { _v = a._v / b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Add(Floats128 a, Floats128 b) => new() { _v = a._v + b._v };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Max(Floats128 a, Floats128 b) => new() { _v = Vector128.Max(a._v, b._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 Sqrt(Floats128 a) => new() { _v = Vector128.Sqrt(a._v) };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Floats128 ExpNegated(Floats128 a) => new() { _v = Vector128.Exp(-a._v) };
}
