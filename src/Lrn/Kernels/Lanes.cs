// Lane shifts across two vectors for the SIMD kernels' channels-last windows: AVX-512's valignd / valignq, which
// concatenate two vectors and take a vector's worth of lanes from any offset, at every width (AVX-512VL below 512
// bits). Callers check Avx512F.IsSupported; the shift must be a constant where the call is inlined, as the
// instruction's immediate. Overloads by width let Vector512Kernel, Vector256Kernel and Vector128Kernel stay identical
// apart from their aliases.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static class Lanes
{
    /// <summary>Lanes shift .. shift + Count - 1 of the lanes of <paramref name="lower"/> followed by those of <paramref name="upper"/>, 0 &lt;= shift &lt;= Count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Slide<T>(Vector512<T> lower, Vector512<T> upper, [ConstantExpected] byte shift)
    {
        if (shift == 0 || shift == Vector512<T>.Count)
        {
            // The instructions take the shift modulo the lane count.
            return shift == 0 ? lower : upper;
        }

        if (typeof(T) == typeof(float))
        {
            return Avx512F.AlignRight32(upper.AsUInt32(), lower.AsUInt32(), shift).As<uint, T>();
        }

        return Avx512F.AlignRight64(upper.AsUInt64(), lower.AsUInt64(), shift).As<ulong, T>();
    }

    /// <summary>
    /// Lanes Count - back .. 2 Count - back - 1 of <paramref name="lower"/> followed by <paramref name="upper"/>: the
    /// lanes <paramref name="back"/> before those of <paramref name="upper"/>. Count - back is a constant to the JIT
    /// once inlined with a constant back, though not to the compiler.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SlideBack<T>(Vector512<T> lower, Vector512<T> upper, [ConstantExpected] byte back)
    {
#pragma warning disable CA1857 // a constant once inlined
        return Slide(lower, upper, (byte)(Vector512<T>.Count - back));
#pragma warning restore CA1857
    }

    /// <inheritdoc cref="Slide{T}(Vector512{T}, Vector512{T}, byte)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Slide<T>(Vector256<T> lower, Vector256<T> upper, [ConstantExpected] byte shift)
    {
        if (shift == 0 || shift == Vector256<T>.Count)
        {
            // The instructions take the shift modulo the lane count.
            return shift == 0 ? lower : upper;
        }

        if (typeof(T) == typeof(float))
        {
            return Avx512F.VL.AlignRight32(upper.AsUInt32(), lower.AsUInt32(), shift).As<uint, T>();
        }

        return Avx512F.VL.AlignRight64(upper.AsUInt64(), lower.AsUInt64(), shift).As<ulong, T>();
    }

    /// <summary>
    /// Lanes Count - back .. 2 Count - back - 1 of <paramref name="lower"/> followed by <paramref name="upper"/>: the
    /// lanes <paramref name="back"/> before those of <paramref name="upper"/>. Count - back is a constant to the JIT
    /// once inlined with a constant back, though not to the compiler.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SlideBack<T>(Vector256<T> lower, Vector256<T> upper, [ConstantExpected] byte back)
    {
#pragma warning disable CA1857 // a constant once inlined
        return Slide(lower, upper, (byte)(Vector256<T>.Count - back));
#pragma warning restore CA1857
    }

    /// <inheritdoc cref="Slide{T}(Vector512{T}, Vector512{T}, byte)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Slide<T>(Vector128<T> lower, Vector128<T> upper, [ConstantExpected] byte shift)
    {
        if (shift == 0 || shift == Vector128<T>.Count)
        {
            // The instructions take the shift modulo the lane count.
            return shift == 0 ? lower : upper;
        }

        if (typeof(T) == typeof(float))
        {
            return Avx512F.VL.AlignRight32(upper.AsUInt32(), lower.AsUInt32(), shift).As<uint, T>();
        }

        return Avx512F.VL.AlignRight64(upper.AsUInt64(), lower.AsUInt64(), shift).As<ulong, T>();
    }

    /// <summary>
    /// Lanes Count - back .. 2 Count - back - 1 of <paramref name="lower"/> followed by <paramref name="upper"/>: the
    /// lanes <paramref name="back"/> before those of <paramref name="upper"/>. Count - back is a constant to the JIT
    /// once inlined with a constant back, though not to the compiler.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SlideBack<T>(Vector128<T> lower, Vector128<T> upper, [ConstantExpected] byte back)
    {
#pragma warning disable CA1857 // a constant once inlined
        return Slide(lower, upper, (byte)(Vector128<T>.Count - back));
#pragma warning restore CA1857
    }
}
