// Lane shifts across two vectors for the SIMD kernels' channels-last windows: AVX-512's valignd / valignq, which
// concatenate two vectors and take a vector's worth of lanes from any offset, at every width (AVX-512VL below 512
// bits); without AVX-512, AVX2's vperm2f128 and vpalignr (256 bits) or SSSE3's palignr (128). Callers check
// Supported for their width; the shift must be a constant where the call is inlined, as the instructions' immediate.
// Overloads by width let Vector512Kernel, Vector256Kernel and Vector128Kernel stay identical apart from their aliases.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static class Lanes
{
    /// <summary>Whether <see cref="Slide{T}(Vector512{T}, Vector512{T}, byte)"/> runs at this width: AVX-512.</summary>
    public static bool Supported(Vector512<float> width) => Avx512F.IsSupported;

    /// <summary>Whether <see cref="Slide{T}(Vector256{T}, Vector256{T}, byte)"/> runs at this width: AVX-512VL or AVX2.</summary>
    public static bool Supported(Vector256<float> width) => Avx512F.VL.IsSupported || Avx2.IsSupported;

    /// <summary>Whether <see cref="Slide{T}(Vector128{T}, Vector128{T}, byte)"/> runs at this width: AVX-512VL or SSSE3.</summary>
    public static bool Supported(Vector128<float> width) => Avx512F.VL.IsSupported || Ssse3.IsSupported;

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

        if (Avx512F.VL.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Avx512F.VL.AlignRight32(upper.AsUInt32(), lower.AsUInt32(), shift).As<uint, T>();
            }

            return Avx512F.VL.AlignRight64(upper.AsUInt64(), lower.AsUInt64(), shift).As<ulong, T>();
        }

        // AVX2: the middle 16 bytes (lower's upper half, upper's lower half), then vpalignr, which shifts within each
        // half: lower and middle for shifts under half a vector, middle and upper over it.
        int bytes = shift * Unsafe.SizeOf<T>();
        Vector256<byte> middle = Avx2.Permute2x128(lower.AsByte(), upper.AsByte(), 0x21);
#pragma warning disable CA1857 // a constant once inlined
        return bytes == 16 ? middle.As<byte, T>()
            : bytes < 16 ? Avx2.AlignRight(middle, lower.AsByte(), (byte)bytes).As<byte, T>()
            : Avx2.AlignRight(upper.AsByte(), middle, (byte)(bytes - 16)).As<byte, T>();
#pragma warning restore CA1857
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

        if (Avx512F.VL.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Avx512F.VL.AlignRight32(upper.AsUInt32(), lower.AsUInt32(), shift).As<uint, T>();
            }

            return Avx512F.VL.AlignRight64(upper.AsUInt64(), lower.AsUInt64(), shift).As<ulong, T>();
        }

#pragma warning disable CA1857 // a constant once inlined
        return Ssse3.AlignRight(upper.AsByte(), lower.AsByte(), (byte)(shift * Unsafe.SizeOf<T>())).As<byte, T>();
#pragma warning restore CA1857
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
