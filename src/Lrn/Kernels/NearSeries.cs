// s^-beta near k for the SIMD kernels' float32 power (Vector512Kernel's Block.NearNegativePower and its twins in
// Vector256Kernel and Vector128Kernel): the binomial series of (k + t)^-beta, derived once per call with the plan.
namespace Lrn.Kernels;

/// <summary>
/// The series k^-beta (1 + t/k)^-beta to degree 6 in t = s - k, for k &lt;= s &lt;= k (1 + <see cref="Width"/>): k as
/// float32 arithmetic has it (s = fma(a, S, k) &gt;= k), the largest s the series serves (negative infinity where it
/// serves none: no float32 arithmetic, k = 0, or k so far from 1 that a coefficient leaves float32's normal range), and
/// coefficient i, k^-beta binomial(-beta, i) k^-i, rounded to float32. Part of <see cref="LrnPlan"/>, derived once
/// per call, not once per work item.
/// </summary>
internal readonly struct NearSeries
{
    /// <summary>How far above k, as a fraction of k, the series serves.</summary>
    public const double Width = 1.0 / 16;

    public readonly float K;
    public readonly float Limit;
    public readonly float C0;
    public readonly float C1;
    public readonly float C2;
    public readonly float C3;
    public readonly float C4;
    public readonly float C5;
    public readonly float C6;

    private NearSeries(float k, float limit, ReadOnlySpan<float> c)
    {
        K = k;
        Limit = limit;
        (C0, C1, C2, C3, C4, C5, C6) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
    }

    public static NearSeries For(double k, double beta, bool float32Allowed)
    {
        double nearK = (float)k;
        Span<float> coefficients = stackalloc float[7];
        if (!(nearK > 0 && float32Allowed))
        {
            return new NearSeries((float)nearK, float.NegativeInfinity, coefficients);
        }

        double c = Math.Pow(nearK, -beta);
        for (int i = 0; i < coefficients.Length; i++)
        {
            coefficients[i] = (float)c;
            c *= (-beta - i) / ((i + 1) * nearK);
        }

        double limit = nearK * (1 + Width);
        float nearLimit = (float)limit > limit ? MathF.BitDecrement((float)limit) : (float)limit;
        bool normal = float.IsNormal(nearLimit);
        foreach (float coefficient in coefficients)
        {
            normal &= float.IsNormal(coefficient); // k far from 1 takes its coefficients out of float32's range
        }

        return new NearSeries((float)nearK, normal ? nearLimit : float.NegativeInfinity, coefficients);
    }
}
