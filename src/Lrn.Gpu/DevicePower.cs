using ILGPU;
using ILGPU.Algorithms;

namespace Lrn.Gpu;

/// <summary>
/// s^(-beta) inside GPU kernels, in the two precisions the kernels use. Written with operations whose accuracy is known
/// on every ILGPU backend: IEEE-rounded +, *, /, sqrt, bit manipulation, and (float32 general
/// exponents only) the hardware's log2/exp2 approximations. ILGPU's own XMath.Pow is not used: its accuracy on CUDA is
/// not documented.
/// <list type="bullet">
/// <item>float64 (<see cref="Pow64"/>): beta 0.75, 0.5 and 1 by square roots and one division (about 2 ulps); any
/// other beta by exp2(-beta log2 s) with log2 from an atanh series on the mantissa and -beta*exponent split exactly with
/// bit masking, so the error is a few ulps for every s (a plain exp(-beta log s) loses hundreds of ulps when
/// log s is large).</item>
/// <item>float32 (<see cref="Pow32"/>), only for s in the float32 range the caller has checked: beta 0.75, 0.5, 1 by
/// IEEE square roots and division (about 3 ulps); other exponents by the hardware's log2 of the mantissa and exp2 of
/// the fraction (on CUDA lg2.approx and ex2.approx, about 2 ulps each), the integer part of the exponent exact.</item>
/// </list>
/// </summary>
internal static class DevicePower
{
    public const int ModeOne = 0;          // beta = 0: s^0 = 1 (also for s = 0, inf or NaN, as Math.Pow)
    public const int ModeThreeQuarters = 1;
    public const int ModeHalf = 2;
    public const int ModeUnit = 3;
    public const int ModeGeneral = 4;

    public static int ModeOf(double beta) => beta switch
    {
        0 => ModeOne,
        0.75 => ModeThreeQuarters,
        0.5 => ModeHalf,
        1 => ModeUnit,
        _ => ModeGeneral,
    };

    private const double Log2E = 1.4426950408889634074;   // 1 / ln 2
    private const double Ln2 = 0.69314718055994530942;
    private const double Sqrt2 = 1.4142135623730950488;
    private const ulong MantissaMask = 0x000F_FFFF_FFFF_FFFFUL;

    /// <summary>s^(-beta) in float64, as Math.Pow(s, -beta) for s &gt;= 0 (s is never negative here: k, a &gt;= 0).</summary>
    public static double Pow64(double s, double beta, int mode)
    {
        if (mode == ModeOne)
        {
            return 1.0;
        }

        if (mode == ModeThreeQuarters)
        {
            double r = Math.Sqrt(s);
            return 1.0 / (r * Math.Sqrt(r));
        }

        if (mode == ModeHalf)
        {
            return 1.0 / Math.Sqrt(s);
        }

        if (mode == ModeUnit)
        {
            return 1.0 / s;
        }

        // General exponent. Special values first, as Math.Pow(s, -beta) with beta > 0.
        if (s == 0.0)
        {
            return double.PositiveInfinity;
        }

        if (!(s < double.PositiveInfinity))
        {
            return s > 0.0 ? 0.0 : double.NaN;
        }

        // s = m * 2^e with m in [sqrt(1/2), sqrt(2)).
        ulong bits = Interop.FloatAsInt(s);
        int e = (int)((bits >> 52) & 0x7FF);
        if (e == 0)
        {
            bits = Interop.FloatAsInt(s * 18014398509481984.0); // subnormal: scale by 2^54 first
            e = (int)((bits >> 52) & 0x7FF) - 54;
        }

        e -= 1023;
        double m = Interop.IntAsFloat((bits & MantissaMask) | (1023UL << 52));
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }

        // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.172: the series to z^23 is exact to double precision.
        double z = (m - 1.0) / (m + 1.0);
        double z2 = z * z;
        double series = 1.0 / 23.0;
        series = (series * z2) + (1.0 / 21.0);
        series = (series * z2) + (1.0 / 19.0);
        series = (series * z2) + (1.0 / 17.0);
        series = (series * z2) + (1.0 / 15.0);
        series = (series * z2) + (1.0 / 13.0);
        series = (series * z2) + (1.0 / 11.0);
        series = (series * z2) + (1.0 / 9.0);
        series = (series * z2) + (1.0 / 7.0);
        series = (series * z2) + (1.0 / 5.0);
        series = (series * z2) + (1.0 / 3.0);
        series = (series * z2) + 1.0;
        double log2M = 2.0 * z * series * Log2E;

        // -beta * log2 s = hi + rest, with hi = -betaHi * e exact: betaHi keeps beta's top 41 significant bits, so its
        // product with e (|e| < 2^11) fits a double's 53. The rest, -betaLo * e - beta * log2 m, is small and carries
        // only its own rounding. (No fused multiply-add: ILGPU emits Math.FusedMultiplyAdd as an external call that
        // CUDA's PTX JIT cannot resolve.)
        double betaHi = Interop.IntAsFloat(Interop.FloatAsInt(beta) & ~0xFFFUL);
        double betaLo = beta - betaHi;
        double hi = -betaHi * e;
        double rest = (-betaLo * e) - (beta * log2M);
        double j = Math.Floor(hi + rest);
        double g = (hi - j) + rest; // hi - j is exact; g in about [0, 1)
        return ScaleByPowerOfTwo(Exp2Fraction(g), j);
    }

    /// <summary>2^g for |g| &lt;= about 1, by the Taylor series of e^(g ln 2) to degree 18.</summary>
    private static double Exp2Fraction(double g)
    {
        double r = g * Ln2;
        double p = 1.0 / 6402373705728000.0; // 1/18!
        p = (p * r) + (1.0 / 355687428096000.0);
        p = (p * r) + (1.0 / 20922789888000.0);
        p = (p * r) + (1.0 / 1307674368000.0);
        p = (p * r) + (1.0 / 87178291200.0);
        p = (p * r) + (1.0 / 6227020800.0);
        p = (p * r) + (1.0 / 479001600.0);
        p = (p * r) + (1.0 / 39916800.0);
        p = (p * r) + (1.0 / 3628800.0);
        p = (p * r) + (1.0 / 362880.0);
        p = (p * r) + (1.0 / 40320.0);
        p = (p * r) + (1.0 / 5040.0);
        p = (p * r) + (1.0 / 720.0);
        p = (p * r) + (1.0 / 120.0);
        p = (p * r) + (1.0 / 24.0);
        p = (p * r) + (1.0 / 6.0);
        p = (p * r) + 0.5;
        p = (p * r) + 1.0;
        return (p * r) + 1.0;
    }

    /// <summary>v * 2^j for an integral j of any size, in steps that stay representable (overflow to inf, underflow to 0 as exact arithmetic would).</summary>
    private static double ScaleByPowerOfTwo(double v, double j)
    {
        for (int step = 0; step < 4 && j > 1000; step++)
        {
            v *= 1.0715086071862673e301; // 2^1000
            j -= 1000;
        }

        for (int step = 0; step < 4 && j < -1000; step++)
        {
            v *= 9.332636185032189e-302; // 2^-1000
            j += 1000;
        }

        if (j > 1000)
        {
            return v * double.PositiveInfinity;
        }

        if (j < -1000)
        {
            return v * 0.0;
        }

        return v * Interop.IntAsFloat((ulong)((long)j + 1023) << 52);
    }

    /// <summary>
    /// s^(-beta) in float32 for s in [2^-<see cref="GpuArgs.Float32Reach"/>, 2^<see cref="GpuArgs.Float32Reach"/>]
    /// (the caller checks), where the result and every intermediate are normal float32 numbers.
    /// </summary>
    public static float Pow32(float s, double beta, int mode)
    {
        if (mode == ModeOne)
        {
            return 1.0f;
        }

        if (mode == ModeThreeQuarters)
        {
            float q = 1.0f / MathF.Sqrt(s);
            return q * MathF.Sqrt(q);
        }

        if (mode == ModeHalf)
        {
            return 1.0f / MathF.Sqrt(s);
        }

        if (mode == ModeUnit)
        {
            return 1.0f / s;
        }

        // s = m * 2^e, m in [1, 2): log2 s = e + log2 m; -beta log2 s = -beta e (exact in double) - beta log2 m.
        uint bits = Interop.FloatAsInt(s);
        int e = (int)((bits >> 23) & 0xFF) - 127;
        float m = Interop.IntAsFloat((bits & 0x007F_FFFFu) | (127u << 23));
        double t = (-beta * e) - (beta * XMath.Log2(m));
        double j = Math.Floor(t);
        float r = XMath.Exp2((float)(t - j)); // fraction in [0, 1)
        return r * Interop.IntAsFloat((uint)((int)j + 127) << 23);
    }
}
