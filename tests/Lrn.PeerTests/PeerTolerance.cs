using System.Globalization;

namespace Lrn.PeerTests;

/// <summary>
/// Every bound the peer tests allow, in one place, with the reasoning; <see cref="Describe"/> prints them into the
/// test output and every failure message.
/// <para>
/// Lrn computes in float64 and rounds once, so the error budget is the peer's. u is the unit roundoff of the type
/// (2^-24 for float32, 2^-53 for float64); n is the window size.
/// </para>
/// <list type="bullet">
/// <item>Forward, libtorch: torch squares, sums n terms through avg_pool, multiplies, adds k, raises to beta and
/// divides, each rounding in the tensor's type. |y_torch - y_lrn| &lt;= <see cref="ForwardUnits"/>(n) * u * |y_lrn|.</item>
/// <item>Forward, ONNX Runtime: its CPU kernel keeps a running window sum in float32, adding the channel that enters
/// and subtracting the one that leaves (Caffe's scheme), so the error of s_c grows with the channels already swept
/// and with the LARGEST s in the column (n, :, h, w), not with s_c. Allowed:
/// u * |y_lrn| * (<see cref="ForwardUnits"/>(n) + <see cref="RunningSumUnits"/> * beta * (C + n) * max_c(s) / s_c).</item>
/// <item>Backward: dx_j is the difference of two terms, so its error is measured against their magnitude
/// m_j = |dy_j| s_j^-beta + 2 a beta |x_j| sum_{c in W*(j)} |dy_c x_c| s_c^(-beta-1) (SPEC.md section 6):
/// |dx_torch - dx_lrn| &lt;= <see cref="BackwardUnits"/>(n) * u * m_j.</item>
/// </list>
/// </summary>
internal static class PeerTolerance
{
    /// <summary>float32 unit roundoff, 2^-24.</summary>
    public static readonly double Float32Unit = Math.Pow(2, -24);

    /// <summary>float64 unit roundoff, 2^-53.</summary>
    public static readonly double Float64Unit = Math.Pow(2, -53);

    /// <summary>Forward bound in units of u, relative to |y|: n rounded additions of squares, then about 8 for the multiply, add, power and division.</summary>
    public static double ForwardUnits(int n) => (2 * n) + 16;

    /// <summary>ONNX Runtime's running sum: units of u per channel swept, relative to max(s) / s_c and scaled by beta.</summary>
    public const double RunningSumUnits = 4;

    /// <summary>Backward bound in units of u, relative to the magnitude of dx's two terms.</summary>
    public static double BackwardUnits(int n) => (4 * n) + 32;

    /// <summary>How many mismatches a failure message lists.</summary>
    public const int MismatchesShown = 8;

    public static double Unit<T>() => typeof(T) == typeof(float) ? Float32Unit : Float64Unit;

    /// <summary>The bounds in words, for the test output.</summary>
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"peer tolerances (PeerTolerance.cs): u = 2^-24 (float32) or 2^-53 (float64); "
        + $"forward vs libtorch |y_peer - y_lrn| <= (2n+16) u |y_lrn|; "
        + $"forward vs ONNX Runtime |y_peer - y_lrn| <= u |y_lrn| ((2n+16) + {RunningSumUnits} beta (C+n) max_c(s)/s_c) (its float32 running window sum); "
        + $"backward vs libtorch autograd |dx_peer - dx_lrn| <= (4n+32) u (|dy_j| s_j^-beta + 2 a beta |x_j| sum_W* |dy_c x_c| s_c^(-beta-1)).");
}
