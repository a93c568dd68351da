// log2 and exp2 of float32 lanes from 16-entry tables, for the SIMD kernels' float32 general power
// (Vector512Kernel.GeneralNegativePower and its twins) where AVX-512 can look a lane's entry up in a register
// (vpermps; vpermt2ps for 256 bits): a shorter polynomial on a narrower interval than the series the power uses
// without them. The 128-bit forms run the 256-bit ones on a doubled vector. Overloads by width let Vector512Kernel,
// Vector256Kernel and Vector128Kernel stay identical apart from their aliases.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static class PowerTables
{
    // For i = 0..15, the sixteenth [1 + i/16, 1 + (i + 1)/16) of the mantissa interval [1, 2): c_i = 1 / (1 + (i +
    // 0.5)/16) rounded to float32, -log2 c_i (of that float32) rounded to float32, and 2^(i/16) rounded to float32,
    // written out so that the JIT sees constants (static readonly fields made the kernels' loops, compiled before this
    // class was initialized, call the runtime for the class's statics and keep every vector on the stack).
    // PowerTablesTests checks them against these definitions.
    private static Vector512<float> Centers512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0.969696999f, 0.914285719f, 0.864864886f, 0.820512831f, 0.780487776f, 0.744186044f, 0.711111128f, 0.680851042f,
            0.653061211f, 0.627451003f, 0.603773594f, 0.581818163f, 0.561403513f, 0.542372882f, 0.524590135f, 0.507936537f);
    }

    private static Vector512<float> Logs512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0.0443940759f, 0.129283011f, 0.209453329f, 0.285402209f, 0.357552052f, 0.426264763f, 0.491853058f, 0.554588914f,
            0.614709854f, 0.67242527f, 0.727920413f, 0.781359732f, 0.832889974f, 0.882643044f, 0.930737436f, 0.977279842f);
    }

    private static Vector512<float> Powers512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(1f, 1.04427373f, 1.09050775f, 1.13878858f, 1.18920708f, 1.24185777f, 1.29683959f, 1.35425556f,
            1.41421354f, 1.47682619f, 1.54221082f, 1.61049032f, 1.68179286f, 1.75625217f, 1.8340081f, 1.91520655f);
    }

    private static Vector256<float> CentersLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0.969696999f, 0.914285719f, 0.864864886f, 0.820512831f, 0.780487776f, 0.744186044f, 0.711111128f, 0.680851042f);
    }

    private static Vector256<float> CentersHigh
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0.653061211f, 0.627451003f, 0.603773594f, 0.581818163f, 0.561403513f, 0.542372882f, 0.524590135f, 0.507936537f);
    }

    private static Vector256<float> LogsLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0.0443940759f, 0.129283011f, 0.209453329f, 0.285402209f, 0.357552052f, 0.426264763f, 0.491853058f, 0.554588914f);
    }

    private static Vector256<float> LogsHigh
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0.614709854f, 0.67242527f, 0.727920413f, 0.781359732f, 0.832889974f, 0.882643044f, 0.930737436f, 0.977279842f);
    }

    private static Vector256<float> PowersLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(1f, 1.04427373f, 1.09050775f, 1.13878858f, 1.18920708f, 1.24185777f, 1.29683959f, 1.35425556f);
    }

    private static Vector256<float> PowersHigh
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(1.41421354f, 1.47682619f, 1.54221082f, 1.61049032f, 1.68179286f, 1.75625217f, 1.8340081f, 1.91520655f);
    }

    /// <summary>Entry i of the tables above, for the tests.</summary>
    internal static (float Center, float Log, float Power) Entry(int i) => (Centers512[i], Logs512[i], Powers512[i]);

    /// <summary>Whether the tables can be used at this width (the argument only picks the overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Supported(Vector512<float> _) => Avx512F.IsSupported;

    /// <inheritdoc cref="Supported(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Supported(Vector256<float> _) => Avx512F.VL.IsSupported;

    /// <inheritdoc cref="Supported(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Supported(Vector128<float> _) => Avx512F.VL.IsSupported;

    /// <summary>
    /// log2 m for s = m 2^e, m in [1, 2), e an integer (as float32), for a normal positive s: with i the top four bits
    /// of m's fraction and r = m c_i - 1 (|r| &lt; 1/32, one rounding of fused multiply-add), log2 m = -log2 c_i +
    /// log2(1 + r), the latter from its Taylor series to r^5 (the next term is below 2^-32). About 2^-24.5 absolute:
    /// the table's rounding and r's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log2(Vector512<float> s, out Vector512<float> e)
    {
        // Interval [1, 2) (control 0): getexp is then exactly the exponent of m 2^e.
        Vector512<float> m = Avx512F.GetMantissa(s, 0);
        e = Avx512F.GetExponent(s);
        Vector512<int> i = Vector512.ShiftRightLogical(m.AsInt32(), 19); // the lookups read the low four bits
        Vector512<float> r = Vector512.FusedMultiplyAdd(m, Avx512F.PermuteVar16x32(Centers512, i), Vector512.Create(-1f));
        return Vector512.FusedMultiplyAdd(r, Log2OnePlus(r), Avx512F.PermuteVar16x32(Logs512, i));
    }

    /// <summary>
    /// 2^(hi + rest) for an exact hi and a small rest, when the result is a normal float32: j = hi + rest rounded to
    /// sixteenths, f = (hi - j) + rest (|f| &lt;= 1/32 and hi - j exact), 2^f from its Taylor series to f^4 (the next
    /// term is below 2^-34), times 2^(j - floor j) from the table, times 2^floor(j) by scalef.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp2(Vector512<float> hi, Vector512<float> rest)
    {
        // Round to a multiple of 2^-4 (control: 4 fraction bits, round to nearest even, no exception).
        Vector512<float> j = Avx512F.RoundScale(hi + rest, (4 << 4) | 0x08);
        Vector512<float> f = (hi - j) + rest;
        Vector512<int> i = Vector512.ConvertToInt32Native(j * Vector512.Create(16f)); // exact; the lookup reads j's sixteenths mod 16
        return Avx512F.Scale(Exp2Small(f) * Avx512F.PermuteVar16x32(Powers512, i), j);
    }

    /// <inheritdoc cref="Log2(Vector512{float}, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log2(Vector256<float> s, out Vector256<float> e)
    {
        Vector256<float> m = Avx512F.VL.GetMantissa(s, 0);
        e = Avx512F.VL.GetExponent(s);
        Vector256<int> i = Vector256.ShiftRightLogical(m.AsInt32(), 19);
        Vector256<float> r = Vector256.FusedMultiplyAdd(m, Avx512F.VL.PermuteVar8x32x2(CentersLow, i, CentersHigh), Vector256.Create(-1f));
        return Vector256.FusedMultiplyAdd(r, Log2OnePlus(r), Avx512F.VL.PermuteVar8x32x2(LogsLow, i, LogsHigh));
    }

    /// <inheritdoc cref="Exp2(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp2(Vector256<float> hi, Vector256<float> rest)
    {
        Vector256<float> j = Avx512F.VL.RoundScale(hi + rest, (4 << 4) | 0x08);
        Vector256<float> f = (hi - j) + rest;
        Vector256<int> i = Vector256.ConvertToInt32Native(j * Vector256.Create(16f));
        return Avx512F.VL.Scale(Exp2Small(f) * Avx512F.VL.PermuteVar8x32x2(PowersLow, i, PowersHigh), j);
    }

    /// <inheritdoc cref="Log2(Vector512{float}, out Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log2(Vector128<float> s, out Vector128<float> e)
    {
        Vector256<float> log = Log2(Vector256.Create(s, s), out Vector256<float> wideE);
        e = wideE.GetLower();
        return log.GetLower();
    }

    /// <inheritdoc cref="Exp2(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp2(Vector128<float> hi, Vector128<float> rest) =>
        Exp2(Vector256.Create(hi, hi), Vector256.Create(rest, rest)).GetLower();

    /// <summary>log2(1 + r) / r to r^4: 1/ln 2 (1 - r/2 + r^2/3 - r^3/4 + r^4/5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log2OnePlus(Vector512<float> r)
    {
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(0.288539008f), r, Vector512.Create(-0.360673760f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.480898347f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(-0.721347520f));
        return Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.44269504f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log2OnePlus(Vector256<float> r)
    {
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(0.288539008f), r, Vector256.Create(-0.360673760f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.480898347f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(-0.721347520f));
        return Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.44269504f));
    }

    /// <summary>2^f to f^4: 1 + f ln 2 + (f ln 2)^2/2 + (f ln 2)^3/6 + (f ln 2)^4/24.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp2Small(Vector512<float> f)
    {
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(0.00961812911f), f, Vector512.Create(0.0555041087f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(0.240226507f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(0.693147181f));
        return Vector512.FusedMultiplyAdd(p, f, Vector512<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp2Small(Vector256<float> f)
    {
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(0.00961812911f), f, Vector256.Create(0.0555041087f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(0.240226507f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(0.693147181f));
        return Vector256.FusedMultiplyAdd(p, f, Vector256<float>.One);
    }
}
