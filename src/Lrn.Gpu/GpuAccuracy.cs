namespace Lrn.Gpu;

/// <summary>
/// The GPU kernels' accuracy against Lrn's float64 reference, stated once (the tests and <c>lrn gpu-check</c> use these).
/// <list type="bullet">
/// <item>float32 forward: a window sum of w float32 squares carries about w roundings; k + a*S two more; s^-beta scales
/// that by beta and adds its own (square roots and a division for beta 0.75, 0.5, 1: about 3 ulps; the hardware's
/// log2 and exp2 for other exponents: about 6); x * s^-beta and the reference's rounding one each:
/// <see cref="Float32ForwardUlps"/> = 8 + beta (w + 2) ulps. Elements outside the float32 range go to float64 and are
/// within 1 ulp.</item>
/// <item>float64 forward: the window sum in the reference's order, the power to a few ulps: <see cref="Float64ForwardUlps"/>.</item>
/// <item>float64 backward: float64 arithmetic, error relative to the magnitude of dx's two terms,
/// |dy_j| s_j^-beta + 2 a beta |x_j| sum |dy_c y_c / s_c|: <see cref="GradientRelative"/>.</item>
/// <item>float32 backward: the ring kernel (channels-first windows up to 16) computes in float32: s as above, the terms
/// dy y / s carry (1 + beta)(w + 2) + 5 roundings, their sum w more, the combination a few:
/// ((1 + beta)(w + 2) + w + 12) float32 roundings of that magnitude. Elements the float32 range cannot hold are
/// computed in float64; the other kernels compute in float64 (within 4 roundings).</item>
/// </list>
/// </summary>
public static class GpuAccuracy
{
    /// <summary>float32 forward: ulps from the float64 reference rounded to float32, for a window of w elements and exponent beta.</summary>
    public static long Float32ForwardUlps(int w, double beta) => 8 + (long)Math.Ceiling(beta * (w + 2));

    /// <summary>float64 forward: ulps from the reference for a window of w elements and exponent beta.</summary>
    public static long Float64ForwardUlps(int w, double beta) => 8 + (long)Math.Ceiling(4 * w * Math.Max(beta, 1));

    /// <summary>Backward: allowed |gpu - reference| divided by the magnitude of dx's two terms (singlePrecision: float32 data).</summary>
    public static double GradientRelative(bool singlePrecision, int w, double beta) => singlePrecision
        ? (((1 + beta) * (w + 2)) + w + 12) * Math.Pow(2, -24)
        : (16 + (8 * w)) * Math.Pow(2, -52);
}
