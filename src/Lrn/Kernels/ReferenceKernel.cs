using System.Numerics;

namespace Lrn.Kernels;

/// <summary>
/// The reference: SPEC.md's formulas written out, one thread, no SIMD, float64 throughout.
/// <code>
/// forward:  s_c = k + a * sum_{j = c-lo .. c+hi, 0 &lt;= j &lt; C} x_j^2,   y_c = x_c * s_c^(-beta)
/// backward: dx_j = dy_j * s_j^(-beta) - 2*a*beta * x_j * sum_{c = j-hi .. j+lo, 0 &lt;= c &lt; C} dy_c * y_c / s_c
/// </code>
/// Each window is summed directly, so the cost grows with the window: this is the oracle and the benchmark
/// baseline, not the fast path. The scales of one channel vector are all computed before any y is written,
/// so in-place (y == x) works.
/// </summary>
internal sealed unsafe class ReferenceKernel : LrnKernel
{
    public override string Name => "reference";

    public override LrnKernelKind Kind => LrnKernelKind.Reference;

    /// <inheritdoc/>
    public override long ScratchLength(in LrnPlan plan) => plan.Channels;

    public override void Forward<T>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism)
    {
        var s = new double[plan.Channels];
        for (long o = 0; o < plan.Outer; o++)
        {
            for (long i = 0; i < plan.Inner; i++)
            {
                Scales(plan, x, o, i, s);
                for (int c = 0; c < plan.Channels; c++)
                {
                    long at = Index(plan, o, c, i);
                    y[at] = Num.FromDouble<T>(Num.ToDouble(x[at]) * Math.Pow(s[c], -plan.Beta));
                }
            }
        }
    }

    public override void Backward<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
    {
        int channels = plan.Channels;
        var s = new double[channels];
        for (long o = 0; o < plan.Outer; o++)
        {
            for (long i = 0; i < plan.Inner; i++)
            {
                Scales(plan, x, o, i, s);
                for (int j = 0; j < channels; j++)
                {
                    // The mirrored window W*(j) = [j-hi, j+lo]: the channels c whose window contains j.
                    double sum = 0;
                    for (int c = Math.Max(0, j - plan.Hi); c <= Math.Min(channels - 1, j + plan.Lo); c++)
                    {
                        long atC = Index(plan, o, c, i);
                        double yc = y != null ? Num.ToDouble(y[atC]) : Num.ToDouble(x[atC]) * Math.Pow(s[c], -plan.Beta);
                        sum += Num.ToDouble(dy[atC]) * yc / s[c];
                    }

                    long at = Index(plan, o, j, i);
                    double xj = Num.ToDouble(x[at]);
                    double dyj = Num.ToDouble(dy[at]);
                    dx[at] = Num.FromDouble<T>(dyj * Math.Pow(s[j], -plan.Beta) - 2 * plan.A * plan.Beta * xj * sum);
                }
            }
        }
    }

    /// <summary>s_c for every channel of the vector at (o, i).</summary>
    private static void Scales<T>(in LrnPlan plan, T* x, long o, long i, double[] s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = plan.Channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int j = Math.Max(0, c - plan.Lo); j <= Math.Min(channels - 1, c + plan.Hi); j++)
            {
                double xj = Num.ToDouble(x[Index(plan, o, j, i)]);
                sum += xj * xj;
            }

            s[c] = plan.K + plan.A * sum;
        }
    }

    private static long Index(in LrnPlan plan, long o, int c, long i) => ((o * plan.Channels) + c) * plan.Inner + i;
}
