namespace Lrn.Tests;

/// <summary>
/// Every accuracy bound the tests use, in one place.
/// <para>
/// Forward: the fast kernels compute in float64 and round once, so a float32 result is within
/// <see cref="Float32ForwardUlps"/> of the float64 reference rounded to float32. In double, both the reference's
/// sequential window sum and the fast kernel's block sums carry up to about w float64 ulps of relative error in s,
/// which s^-beta scales by beta, plus a few ulps for the power: <see cref="Float64ForwardUlps"/>.
/// </para>
/// <para>
/// Backward: dx_j is a difference of two terms, so its error is bounded relative to their magnitude
/// |dy_j| s_j^-beta + 2 a beta |x_j| sum |dy_c y_c / s_c| (see <see cref="GradientRelative"/>), not relative to dx_j.
/// </para>
/// </summary>
internal static class Tolerance
{
    /// <summary>float32 forward of a kernel that computes in float64 (scalar, and every float64 path): ulps from the reference.</summary>
    public const int Float32ForwardUlps = 1;

    /// <summary>
    /// float32 forward of a kernel that computes in float32 (the SIMD kernels' channels-first forward), window of w
    /// channels, exponent beta. A sum of w positive float32 terms carries at most about w float32 roundings of relative
    /// error; k + a*S adds two; s^-beta scales the total by beta and adds its own (refined reciprocal square roots: about
    /// 3 ulps); x * s^-beta and the reference's own rounding add one: 5 + beta (w + 2) ulps.
    /// </summary>
    public static long Float32ArithmeticUlps(int w, double beta) => 5 + (long)Math.Ceiling(beta * (w + 2));

    /// <summary>The float32 forward bound for a kernel: float32 arithmetic for the SIMD kernels, float64 arithmetic otherwise.</summary>
    public static long Float32ForwardUlpsFor(LrnKernelKind kernel, int w, double beta) =>
        kernel is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128 ? Float32ArithmeticUlps(w, beta) : Float32ForwardUlps;

    /// <summary>float64 forward: ulps between a fast kernel and the reference, for a window of w channels and exponent beta.</summary>
    public static long Float64ForwardUlps(int w, double beta) => 8 + (long)Math.Ceiling(4 * w * Math.Max(beta, 1));

    /// <summary>Backward: allowed |fast - reference| divided by the magnitude of the two terms.</summary>
    public static double GradientRelative<T>(int w) => typeof(T) == typeof(float)
        ? 4 * Math.Pow(2, -24)
        : (16 + (8 * w)) * Math.Pow(2, -52);

    /// <summary>
    /// Backward of a kernel that computes in float32 (the SIMD kernels' backward, channels-last up to 16 channels,
    /// exponents up to 1.2), relative to the two terms' magnitude, in units of 2^-24 (one float32 rounding): s carries
    /// w + 2 (w squares and sums, a and the fused k + a S), s^-beta beta times that and about 4 of its own (the refined
    /// estimate), dy s^-beta one more; 1/s from the same estimate w + 2 and 2; t = (dy s^-beta)(x / s) (or dy (y / s),
    /// y given) the errors of both and 2; a sum of w values of t w - 1 relative to the sum of |t|; 2 a beta x times it
    /// 3; the difference and the reference's rounding 2: 13 + w + (beta + 1)(w + 2). Other exponents take s^-beta from
    /// tables (about 3 float32 ulps, 6 roundings) or a series near k, and 1/s from its own estimate: 6 more.
    /// </summary>
    public static double Float32ArithmeticGradientRelative(int w, double beta) =>
        (13 + w + ((beta + 1) * (w + 2)) + (beta is 0.5 or 0.75 or 1 ? 0 : 6)) * Math.Pow(2, -24);

    /// <summary>The backward bound for a kernel and type: float32 arithmetic for the SIMD kernels' float32 data, else <see cref="GradientRelative"/>.</summary>
    public static double GradientRelativeFor<T>(LrnKernelKind kernel, int w, double beta) =>
        typeof(T) == typeof(float) && kernel is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128
            ? Float32ArithmeticGradientRelative(w, beta)
            : GradientRelative<T>(w);

    /// <summary>Central finite differences in double with step h = <see cref="FiniteDifferenceStep"/> * max(1, |x|): error relative to the terms' magnitude.</summary>
    public const double FiniteDifferenceRelative = 1e-6;

    public const double FiniteDifferenceStep = 1e-5;

    /// <summary>The CLI's result against the formula (the bound for <c>lrn apply</c>).</summary>
    public const double CliRelative = 1e-6;
}
