// Exponent and mantissa of float32 lanes, and scaling by powers of two, for the SIMD kernels' float32 general power
// (Vector512Kernel.GeneralNegativePower and its twins, where PowerTables does not apply): AVX-512's getexp, getmant and scalef where the instruction
// set has them (one instruction each, and the VL forms for 256 and 128 bits), else integer arithmetic on the bits.
// Both give the same values for the normal, positive lanes the power takes. Overloads by width let Vector512Kernel,
// Vector256Kernel and Vector128Kernel stay identical apart from their aliases.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static class Exponents
{
    /// <summary>
    /// s = m 2^e with m in [0.75, 1.5) and e an integer (as float32), for a normal positive s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split(Vector512<float> s, out Vector512<float> m, out Vector512<float> e)
    {
        if (Avx512F.IsSupported)
        {
            // Interval [0.75, 1.5), sign of the source (control 0b0011); getexp is floor(log2 s), one less than the
            // exponent of m 2^e where m came out below 1.
            m = Avx512F.GetMantissa(s, 0b0011);
            e = Avx512F.GetExponent(s) + (Vector512.LessThan(m, Vector512<float>.One) & Vector512<float>.One);
            return;
        }

        Vector512<int> bits = s.AsInt32();
        m = ((bits & Vector512.Create(0x007F_FFFF)) | Vector512.Create(0x3F80_0000)).AsSingle();
        Vector512<int> exponent = Vector512.ShiftRightLogical(bits, 23) - Vector512.Create(127);
        Vector512<float> big = Vector512.GreaterThanOrEqual(m, Vector512.Create(1.5f));
        m = Vector512.ConditionalSelect(big, m * Vector512.Create(0.5f), m);
        e = Vector512.ConvertToSingle(exponent - big.AsInt32()); // big lanes are all ones: -1
    }

    /// <summary>p 2^j for an integer j (as float32) with 2^j a normal float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scale(Vector512<float> p, Vector512<float> j) =>
        Avx512F.IsSupported
            ? Avx512F.Scale(p, j)
            : p * Vector512.ShiftLeft(Vector512.ConvertToInt32Native(j) + Vector512.Create(127), 23).AsSingle();

    /// <inheritdoc cref="Split(Vector512{float}, out Vector512{float}, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split(Vector256<float> s, out Vector256<float> m, out Vector256<float> e)
    {
        if (Avx512F.VL.IsSupported)
        {
            // Interval [0.75, 1.5), sign of the source (control 0b0011); getexp is floor(log2 s), one less than the
            // exponent of m 2^e where m came out below 1.
            m = Avx512F.VL.GetMantissa(s, 0b0011);
            e = Avx512F.VL.GetExponent(s) + (Vector256.LessThan(m, Vector256<float>.One) & Vector256<float>.One);
            return;
        }

        Vector256<int> bits = s.AsInt32();
        m = ((bits & Vector256.Create(0x007F_FFFF)) | Vector256.Create(0x3F80_0000)).AsSingle();
        Vector256<int> exponent = Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(127);
        Vector256<float> big = Vector256.GreaterThanOrEqual(m, Vector256.Create(1.5f));
        m = Vector256.ConditionalSelect(big, m * Vector256.Create(0.5f), m);
        e = Vector256.ConvertToSingle(exponent - big.AsInt32()); // big lanes are all ones: -1
    }

    /// <inheritdoc cref="Scale(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Scale(Vector256<float> p, Vector256<float> j) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.Scale(p, j)
            : p * Vector256.ShiftLeft(Vector256.ConvertToInt32Native(j) + Vector256.Create(127), 23).AsSingle();

    /// <inheritdoc cref="Split(Vector512{float}, out Vector512{float}, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split(Vector128<float> s, out Vector128<float> m, out Vector128<float> e)
    {
        if (Avx512F.VL.IsSupported)
        {
            // Interval [0.75, 1.5), sign of the source (control 0b0011); getexp is floor(log2 s), one less than the
            // exponent of m 2^e where m came out below 1.
            m = Avx512F.VL.GetMantissa(s, 0b0011);
            e = Avx512F.VL.GetExponent(s) + (Vector128.LessThan(m, Vector128<float>.One) & Vector128<float>.One);
            return;
        }

        Vector128<int> bits = s.AsInt32();
        m = ((bits & Vector128.Create(0x007F_FFFF)) | Vector128.Create(0x3F80_0000)).AsSingle();
        Vector128<int> exponent = Vector128.ShiftRightLogical(bits, 23) - Vector128.Create(127);
        Vector128<float> big = Vector128.GreaterThanOrEqual(m, Vector128.Create(1.5f));
        m = Vector128.ConditionalSelect(big, m * Vector128.Create(0.5f), m);
        e = Vector128.ConvertToSingle(exponent - big.AsInt32()); // big lanes are all ones: -1
    }

    /// <inheritdoc cref="Scale(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Scale(Vector128<float> p, Vector128<float> j) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.Scale(p, j)
            : p * Vector128.ShiftLeft(Vector128.ConvertToInt32Native(j) + Vector128.Create(127), 23).AsSingle();
}
