// s^-0.75 in float64 for the SIMD kernels without the divider: Zen 2 takes 8.6 cycles for each vsqrtpd ymm and 5 for
// a vdivpd ymm, so 1 / (sqrt(s) sqrt(sqrt(s))) costs 22 cycles per four lanes and bounds the float64 forward. Instead,
// the float32 estimate (Estimates.TimesNegativeThreeQuarterPower: one vsqrtps for eight lanes) of s rounded to float32,
// within about 1e-6, refined once in float64. Overloads by width let Vector512Kernel, Vector256Kernel and
// Vector128Kernel stay identical apart from their aliases.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lrn.Kernels;

internal static class Float64Powers
{
    /// <summary>
    /// The largest g^2 (2^-34: |g| &lt;= 2^-17, where the dropped terms stay below 5e-17) that a lane's refinement
    /// takes; for s whose float32 rounding or estimate is not normal (below about 2^-126 or above 2^128, zero,
    /// infinite, negative or NaN) g comes out large or NaN, and the lane takes <see cref="Rooted(Vector512{double})"/>
    /// instead. Checked on g rather than on s: 4 instructions for two vectors instead of 9.
    /// </summary>
    private const double MaxGSquared = 5.8207660913467407E-11; // 2^-34

    /// <summary>
    /// s^-0.75 for two vectors of s, lane by lane. r, the float32 estimate of s^-0.75, carries a relative error of a
    /// few float32 ulps (plus 0.75 of the rounding of s to float32), so g = s^3 r^4 - 1 is within about 4e-6 and
    /// s^-0.75 = r (1 + g)^-1/4 = r (1 - g/4 + 5 g^2/32 - 15 g^3/128 ...): dropping g^3 leaves under 1e-17. g comes from
    /// t = s r, u = t r and t^2 u - 1 in one fused step, about five roundings of 2^-53 in all, which the factor 1/4 and
    /// the last fused step leave at about two float64 ulps: as close as 1 / (sqrt(s) sqrt(sqrt(s))), which lanes whose
    /// g is out of bound (<see cref="MaxGSquared"/>) take instead. Each lane depends on its own s alone, so any pairing of
    /// vectors gives the same bits. In the float64 forward's flat loop (Block.ForwardFloat64Flat, which overlaps the two
    /// halves), for [2,96,16,16] in the caches, one thread, on a Zen 2 EPYC: 0.103 ms with the square roots and the
    /// division, 0.072 with this; beta 1 (one division) takes 0.033 and beta 0 0.027. What it costs is spread over the
    /// conversions (about 7 cycles for eight lanes there and back), the float32 estimate (13 cycles in the loop, 5.7
    /// alone: its vsqrtps shares a pipe with the conversions and the window's additions) and the refinement (8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NegativeThreeQuarterPower(Vector512<double> s0, Vector512<double> s1, out Vector512<double> p0, out Vector512<double> p1) =>
        Refine(s0, s1, Estimate(s0, s1), out p0, out p1);

    /// <summary>The first half of <see cref="NegativeThreeQuarterPower(Vector512{double}, Vector512{double}, out Vector512{double}, out Vector512{double})"/>: the float32 estimate of s^-0.75 for both vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Estimate(Vector512<double> s0, Vector512<double> s1) =>
        Estimates.TimesNegativeThreeQuarterPower(Vector512<float>.One, Vector512.Narrow(s0, s1));

    /// <summary>
    /// The second half of <see cref="NegativeThreeQuarterPower(Vector512{double}, Vector512{double}, out Vector512{double}, out Vector512{double})"/>:
    /// the refinement of <paramref name="estimate"/> (from <see cref="Estimate(Vector512{double}, Vector512{double})"/> of the same s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Refine(Vector512<double> s0, Vector512<double> s1, Vector512<float> estimate, out Vector512<double> p0, out Vector512<double> p1)
    {
        (Vector512<double> r0, Vector512<double> r1) = Vector512.Widen(estimate);
        p0 = Refined(s0, r0, out Vector512<double> g0);
        p1 = Refined(s1, r1, out Vector512<double> g1);
        Vector512<double> bound = Vector512.Create(MaxGSquared);
        if (!Vector512.LessThanOrEqualAll(Vector512.FusedMultiplyAdd(g0, g0, g1 * g1), bound))
        {
            p0 = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(g0 * g0, bound), p0, Rooted(s0));
            p1 = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(g1 * g1, bound), p1, Rooted(s1));
        }
    }

    /// <summary>r (1 - g/4 + 5 g^2/32) with g = s^3 r^4 - 1, from r within about 1e-6 of s^-0.75.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Refined(Vector512<double> s, Vector512<double> r, out Vector512<double> g)
    {
        Vector512<double> t = s * r;
        Vector512<double> u = t * r;
        g = Vector512.FusedMultiplyAdd(t * t, u, Vector512.Create(-1.0));
        Vector512<double> c = Vector512.FusedMultiplyAdd(g, Vector512.Create(0.15625), Vector512.Create(-0.25));
        return Vector512.FusedMultiplyAdd(r * g, c, r);
    }

    /// <summary>s^-0.75 as <see cref="Power.Negative"/> takes it: 1 / (sqrt(s) sqrt(sqrt(s))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Rooted(Vector512<double> s)
    {
        Vector512<double> root = Vector512.Sqrt(s);
        return Vector512<double>.One / (root * Vector512.Sqrt(root));
    }

    /// <inheritdoc cref="NegativeThreeQuarterPower(Vector512{double}, Vector512{double}, out Vector512{double}, out Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NegativeThreeQuarterPower(Vector256<double> s0, Vector256<double> s1, out Vector256<double> p0, out Vector256<double> p1) =>
        Refine(s0, s1, Estimate(s0, s1), out p0, out p1);

    /// <summary>The first half of <see cref="NegativeThreeQuarterPower(Vector256{double}, Vector256{double}, out Vector256{double}, out Vector256{double})"/>: the float32 estimate of s^-0.75 for both vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Estimate(Vector256<double> s0, Vector256<double> s1) =>
        Estimates.TimesNegativeThreeQuarterPower(Vector256<float>.One, Vector256.Narrow(s0, s1));

    /// <summary>
    /// The second half of <see cref="NegativeThreeQuarterPower(Vector256{double}, Vector256{double}, out Vector256{double}, out Vector256{double})"/>:
    /// the refinement of <paramref name="estimate"/> (from <see cref="Estimate(Vector256{double}, Vector256{double})"/> of the same s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Refine(Vector256<double> s0, Vector256<double> s1, Vector256<float> estimate, out Vector256<double> p0, out Vector256<double> p1)
    {
        (Vector256<double> r0, Vector256<double> r1) = Vector256.Widen(estimate);
        p0 = Refined(s0, r0, out Vector256<double> g0);
        p1 = Refined(s1, r1, out Vector256<double> g1);
        Vector256<double> bound = Vector256.Create(MaxGSquared);
        if (!Vector256.LessThanOrEqualAll(Vector256.FusedMultiplyAdd(g0, g0, g1 * g1), bound))
        {
            p0 = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(g0 * g0, bound), p0, Rooted(s0));
            p1 = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(g1 * g1, bound), p1, Rooted(s1));
        }
    }

    /// <summary>See the Vector512 overload: r (1 - g/4 + 5 g^2/32) with g = s^3 r^4 - 1, from r within about 1e-6 of s^-0.75.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Refined(Vector256<double> s, Vector256<double> r, out Vector256<double> g)
    {
        Vector256<double> t = s * r;
        Vector256<double> u = t * r;
        g = Vector256.FusedMultiplyAdd(t * t, u, Vector256.Create(-1.0));
        Vector256<double> c = Vector256.FusedMultiplyAdd(g, Vector256.Create(0.15625), Vector256.Create(-0.25));
        return Vector256.FusedMultiplyAdd(r * g, c, r);
    }

    /// <summary>See the Vector512 overload: s^-0.75 as <see cref="Power.Negative"/> takes it: 1 / (sqrt(s) sqrt(sqrt(s))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Rooted(Vector256<double> s)
    {
        Vector256<double> root = Vector256.Sqrt(s);
        return Vector256<double>.One / (root * Vector256.Sqrt(root));
    }

    /// <inheritdoc cref="NegativeThreeQuarterPower(Vector512{double}, Vector512{double}, out Vector512{double}, out Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NegativeThreeQuarterPower(Vector128<double> s0, Vector128<double> s1, out Vector128<double> p0, out Vector128<double> p1) =>
        Refine(s0, s1, Estimate(s0, s1), out p0, out p1);

    /// <summary>The first half of <see cref="NegativeThreeQuarterPower(Vector128{double}, Vector128{double}, out Vector128{double}, out Vector128{double})"/>: the float32 estimate of s^-0.75 for both vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Estimate(Vector128<double> s0, Vector128<double> s1) =>
        Estimates.TimesNegativeThreeQuarterPower(Vector128<float>.One, Vector128.Narrow(s0, s1));

    /// <summary>
    /// The second half of <see cref="NegativeThreeQuarterPower(Vector128{double}, Vector128{double}, out Vector128{double}, out Vector128{double})"/>:
    /// the refinement of <paramref name="estimate"/> (from <see cref="Estimate(Vector128{double}, Vector128{double})"/> of the same s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Refine(Vector128<double> s0, Vector128<double> s1, Vector128<float> estimate, out Vector128<double> p0, out Vector128<double> p1)
    {
        (Vector128<double> r0, Vector128<double> r1) = Vector128.Widen(estimate);
        p0 = Refined(s0, r0, out Vector128<double> g0);
        p1 = Refined(s1, r1, out Vector128<double> g1);
        Vector128<double> bound = Vector128.Create(MaxGSquared);
        if (!Vector128.LessThanOrEqualAll(Vector128.FusedMultiplyAdd(g0, g0, g1 * g1), bound))
        {
            p0 = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(g0 * g0, bound), p0, Rooted(s0));
            p1 = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(g1 * g1, bound), p1, Rooted(s1));
        }
    }

    /// <summary>See the Vector512 overload: r (1 - g/4 + 5 g^2/32) with g = s^3 r^4 - 1, from r within about 1e-6 of s^-0.75.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Refined(Vector128<double> s, Vector128<double> r, out Vector128<double> g)
    {
        Vector128<double> t = s * r;
        Vector128<double> u = t * r;
        g = Vector128.FusedMultiplyAdd(t * t, u, Vector128.Create(-1.0));
        Vector128<double> c = Vector128.FusedMultiplyAdd(g, Vector128.Create(0.15625), Vector128.Create(-0.25));
        return Vector128.FusedMultiplyAdd(r * g, c, r);
    }

    /// <summary>See the Vector512 overload: s^-0.75 as <see cref="Power.Negative"/> takes it: 1 / (sqrt(s) sqrt(sqrt(s))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Rooted(Vector128<double> s)
    {
        Vector128<double> root = Vector128.Sqrt(s);
        return Vector128<double>.One / (root * Vector128.Sqrt(root));
    }
}
