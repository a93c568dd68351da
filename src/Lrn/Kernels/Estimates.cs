// Reciprocal square roots for the SIMD kernels' float32 arithmetic: the hardware estimate refined by Newton steps
// where the instruction set has one (AVX-512 rsqrt14: 14 bits, one step; AVX/SSE rsqrt: 12 bits, two steps), else
// 1 / sqrt. Each step y' = y (1.5 - 0.5 s y^2) squares the relative error; after the steps the error is a couple of
// float32 ulps, which the float32-arithmetic bound in the tests (Tolerance.Float32ArithmeticUlps) covers.
// Overloads by width let Vector512Kernel, Vector256Kernel and Vector128Kernel stay identical apart from their aliases.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static class Estimates
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ReciprocalSqrt(Vector512<float> s)
    {
        if (Avx512F.IsSupported)
        {
            return NewtonStep(s, Avx512F.ReciprocalSqrt14(s));
        }

        return Vector512<float>.One / Vector512.Sqrt(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ReciprocalSqrt(Vector256<float> s)
    {
        if (Avx.IsSupported)
        {
            return NewtonStep(s, NewtonStep(s, Avx.ReciprocalSqrt(s)));
        }

        return Vector256<float>.One / Vector256.Sqrt(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ReciprocalSqrt(Vector128<float> s)
    {
        if (Sse.IsSupported)
        {
            return NewtonStep(s, NewtonStep(s, Sse.ReciprocalSqrt(s)));
        }

        return Vector128<float>.One / Vector128.Sqrt(s);
    }

    /// <summary>1 / d for d in [1.7, 2.5] (the general power's m + 1): AVX-512's 14-bit estimate and one Newton step, else a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> d)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<float> r = Avx512F.Reciprocal14(d);
            return r * (Vector512.Create(2f) - (d * r));
        }

        return Vector512<float>.One / d;
    }

    /// <summary>1 / d by division: the 12-bit AVX/SSE estimates would need two Newton steps, no cheaper than dividing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reciprocal(Vector256<float> d) => Vector256<float>.One / d;

    /// <inheritdoc cref="Reciprocal(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reciprocal(Vector128<float> d) => Vector128<float>.One / d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> NewtonStep(Vector512<float> s, Vector512<float> y) =>
        y * (Vector512.Create(1.5f) - (Vector512.Create(0.5f) * s * y * y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NewtonStep(Vector256<float> s, Vector256<float> y) =>
        y * (Vector256.Create(1.5f) - (Vector256.Create(0.5f) * s * y * y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> NewtonStep(Vector128<float> s, Vector128<float> y) =>
        y * (Vector128.Create(1.5f) - (Vector128.Create(0.5f) * s * y * y));
}
