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

    /// <summary>
    /// x s^-0.75. With AVX-512: from the 14-bit estimate y of s^-0.5, s^-0.75 = y^1.5 (s y^2)^-0.75 = y sqrt(y) (1 + 0.75 e
    /// + ...) with e = 1 - s y^2, |e| &lt;= 2^-13, so the dropped terms stay below 0.66 e^2 &lt; 2^-26 (a sixth of a float32
    /// ulp): one step instead of a Newton step and a product, as x (y sqrt(y)) (1 + 0.75 e). With AVX's 12-bit estimate
    /// (FMA), the same with the series to e^2. Else x r sqrt(r) with r the refined reciprocal square root. Channels-last forward 0.38-0.41 -> 0.35-0.38 ms; channels-first unchanged, waiting
    /// on memory (AlexNet norm1, one thread, five alternating runs of each build, 2026-11-27).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> TimesNegativeThreeQuarterPower(Vector512<float> x, Vector512<float> s)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<float> y = Avx512F.ReciprocalSqrt14(s);
            Vector512<float> e = Avx512F.FusedMultiplyAddNegated(s * y, y, Vector512<float>.One);
            Vector512<float> scaled = x * (y * Vector512.Sqrt(y));
            return Vector512.FusedMultiplyAdd(scaled, e * Vector512.Create(0.75f), scaled);
        }

        Vector512<float> r = ReciprocalSqrt(s);
        return x * (r * Vector512.Sqrt(r));
    }

    /// <inheritdoc cref="TimesNegativeThreeQuarterPower(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TimesNegativeThreeQuarterPower(Vector256<float> x, Vector256<float> s)
    {
        if (Avx512F.VL.IsSupported)
        {
            Vector256<float> y = Avx512F.VL.ReciprocalSqrt14(s);
            Vector256<float> e = Fma.MultiplyAddNegated(s * y, y, Vector256<float>.One);
            Vector256<float> scaled = x * (y * Vector256.Sqrt(y));
            return Vector256.FusedMultiplyAdd(scaled, e * Vector256.Create(0.75f), scaled);
        }

        if (Fma.IsSupported)
        {
            // The 12-bit estimate (relative error up to 1.5 2^-12): |e| <= 2^-10.4, so the series needs its second
            // term, (1 + 0.75 e + 0.65625 e^2); the third (0.6 e^3) stays below 2^-31. Instead of two Newton steps and
            // x r sqrt(r): AlexNet norm1 forward on a Zen 2 EPYC (AVX2), one thread, 2.47-2.63 -> 2.42-2.46 ms.
            Vector256<float> y = Avx.ReciprocalSqrt(s);
            Vector256<float> e = Fma.MultiplyAddNegated(s * y, y, Vector256<float>.One);
            Vector256<float> series = Fma.MultiplyAdd(e, Vector256.Create(0.65625f), Vector256.Create(0.75f)) * e;
            Vector256<float> scaled = x * (y * Vector256.Sqrt(y));
            return Fma.MultiplyAdd(scaled, series, scaled);
        }

        Vector256<float> r = ReciprocalSqrt(s);
        return x * (r * Vector256.Sqrt(r));
    }

    /// <inheritdoc cref="TimesNegativeThreeQuarterPower(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> TimesNegativeThreeQuarterPower(Vector128<float> x, Vector128<float> s)
    {
        if (Avx512F.VL.IsSupported)
        {
            Vector128<float> y = Avx512F.VL.ReciprocalSqrt14(s);
            Vector128<float> e = Fma.MultiplyAddNegated(s * y, y, Vector128<float>.One);
            Vector128<float> scaled = x * (y * Vector128.Sqrt(y));
            return Vector128.FusedMultiplyAdd(scaled, e * Vector128.Create(0.75f), scaled);
        }

        if (Fma.IsSupported)
        {
            // The 12-bit estimate (relative error up to 1.5 2^-12): |e| <= 2^-10.4, so the series needs its second
            // term, (1 + 0.75 e + 0.65625 e^2); the third (0.6 e^3) stays below 2^-31. Instead of two Newton steps and
            // x r sqrt(r): AlexNet norm1 forward on a Zen 2 EPYC (AVX2), one thread, 2.47-2.63 -> 2.42-2.46 ms.
            Vector128<float> y = Sse.ReciprocalSqrt(s);
            Vector128<float> e = Fma.MultiplyAddNegated(s * y, y, Vector128<float>.One);
            Vector128<float> series = Fma.MultiplyAdd(e, Vector128.Create(0.65625f), Vector128.Create(0.75f)) * e;
            Vector128<float> scaled = x * (y * Vector128.Sqrt(y));
            return Fma.MultiplyAdd(scaled, series, scaled);
        }

        Vector128<float> r = ReciprocalSqrt(s);
        return x * (r * Vector128.Sqrt(r));
    }

    /// <summary>
    /// s^-beta for beta 0.5, 0.75 or 1 (a constant where it is inlined), and 1 / s, for the float32 backward. With
    /// AVX-512, both from the one 14-bit estimate y of s^-0.5 and e = 1 - s y^2 (|e| &lt;= 2^-13): 1 / s = y^2 / (1 - e) =
    /// y^2 (1 + e + ...), s^-0.5 = y (1 + e/2 + ...), s^-0.75 = y sqrt(y) (1 + 0.75 e + ...), the dropped terms below
    /// e^2 &lt;= 2^-26 (a quarter of a float32 rounding); the rounding of y^2 cancels to first order, as e is computed
    /// from it. Else a division and <see cref="ReciprocalSqrt(Vector512{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NegativePowerAndReciprocal(Vector512<float> s, double beta, out Vector512<float> reciprocal)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<float> y = Avx512F.ReciprocalSqrt14(s);
            Vector512<float> yy = y * y;
            Vector512<float> e = Avx512F.FusedMultiplyAddNegated(s, yy, Vector512<float>.One);
            reciprocal = Vector512.FusedMultiplyAdd(yy, e, yy);
            if (beta == 0.5)
            {
                return Vector512.FusedMultiplyAdd(y, e * Vector512.Create(0.5f), y);
            }

            if (beta == 0.75)
            {
                Vector512<float> root = y * Vector512.Sqrt(y);
                return Vector512.FusedMultiplyAdd(root, e * Vector512.Create(0.75f), root);
            }

            return reciprocal;
        }

        reciprocal = Vector512<float>.One / s;
        return beta == 0.5 ? ReciprocalSqrt(s) : beta == 0.75 ? TimesNegativeThreeQuarterPower(Vector512<float>.One, s) : reciprocal;
    }

    /// <inheritdoc cref="NegativePowerAndReciprocal(Vector512{float}, double, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NegativePowerAndReciprocal(Vector256<float> s, double beta, out Vector256<float> reciprocal)
    {
        if (Avx512F.VL.IsSupported)
        {
            Vector256<float> y = Avx512F.VL.ReciprocalSqrt14(s);
            Vector256<float> yy = y * y;
            Vector256<float> e = Fma.MultiplyAddNegated(s, yy, Vector256<float>.One);
            reciprocal = Vector256.FusedMultiplyAdd(yy, e, yy);
            if (beta == 0.5)
            {
                return Vector256.FusedMultiplyAdd(y, e * Vector256.Create(0.5f), y);
            }

            if (beta == 0.75)
            {
                Vector256<float> root = y * Vector256.Sqrt(y);
                return Vector256.FusedMultiplyAdd(root, e * Vector256.Create(0.75f), root);
            }

            return reciprocal;
        }

        reciprocal = Vector256<float>.One / s;
        return beta == 0.5 ? ReciprocalSqrt(s) : beta == 0.75 ? TimesNegativeThreeQuarterPower(Vector256<float>.One, s) : reciprocal;
    }

    /// <inheritdoc cref="NegativePowerAndReciprocal(Vector512{float}, double, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NegativePowerAndReciprocal(Vector128<float> s, double beta, out Vector128<float> reciprocal)
    {
        if (Avx512F.VL.IsSupported)
        {
            Vector128<float> y = Avx512F.VL.ReciprocalSqrt14(s);
            Vector128<float> yy = y * y;
            Vector128<float> e = Fma.MultiplyAddNegated(s, yy, Vector128<float>.One);
            reciprocal = Vector128.FusedMultiplyAdd(yy, e, yy);
            if (beta == 0.5)
            {
                return Vector128.FusedMultiplyAdd(y, e * Vector128.Create(0.5f), y);
            }

            if (beta == 0.75)
            {
                Vector128<float> root = y * Vector128.Sqrt(y);
                return Vector128.FusedMultiplyAdd(root, e * Vector128.Create(0.75f), root);
            }

            return reciprocal;
        }

        reciprocal = Vector128<float>.One / s;
        return beta == 0.5 ? ReciprocalSqrt(s) : beta == 0.75 ? TimesNegativeThreeQuarterPower(Vector128<float>.One, s) : reciprocal;
    }

    /// <summary>1 / d for a normal d with a normal reciprocal (the general power's m + 1, the float32 backward's s): AVX-512's 14-bit estimate and one Newton step (about one rounding), else a division.</summary>
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
