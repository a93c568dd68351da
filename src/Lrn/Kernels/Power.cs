using System.Runtime.CompilerServices;

namespace Lrn.Kernels;

/// <summary>s^(-beta) in float64, with the common exponents of AlexNet-era networks done by square roots.</summary>
internal static class Power
{
    /// <summary>
    /// s^(-beta). For beta 0.5, 0.75 and 1 the result comes from correctly rounded square roots and one division
    /// (within about 2 float64 ulps, far below a float32 ulp) and costs a fraction of <see cref="Math.Pow"/>;
    /// other exponents use <see cref="Math.Pow"/>. Special values follow Math.Pow: s = 0 gives +inf (beta &gt; 0), NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Negative(double s, double beta)
    {
        if (beta == 0.75)
        {
            // sqrt(s) * sqrt(sqrt(s)) rather than sqrt(s * sqrt(s)): the product s^1.5 would overflow for s above ~1e205.
            double root = Math.Sqrt(s);
            return 1.0 / (root * Math.Sqrt(root));
        }

        if (beta == 0.5)
        {
            return 1.0 / Math.Sqrt(s);
        }

        if (beta == 1.0)
        {
            return 1.0 / s;
        }

        return Math.Pow(s, -beta);
    }
}
