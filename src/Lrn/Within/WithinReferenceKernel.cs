using System.Numerics;
using Lrn.Kernels;

namespace Lrn.Within;

/// <summary>
/// The within-channel reference: SPEC.md section 3's formulas written out, one thread, no SIMD, float64 throughout.
/// <code>
/// forward:  s_p = k + a * sum_{q in N(p)} x_q^2,   y_p = x_p * s_p^(-beta)
/// backward: dx_j = dy_j * s_j^(-beta) - 2*a*beta * x_j * sum_{p in N*(j)} dy_p * y_p / s_p
/// </code>
/// N(p) is the box [p_i - lo, p_i + hi] on every spatial axis i, clipped to the tensor (zero padding), in p's channel;
/// N*(j), the mirrored box [j_i - hi, j_i + lo], holds the positions whose window contains j (the same box, as lo = hi).
/// Each box is summed directly, so the cost grows with n^d: this is the oracle and the benchmark baseline, not the fast
/// path. The scales of a whole (batch, channel) plane are computed before any of its y is written, so in-place works.
/// </summary>
internal static unsafe class WithinReferenceKernel
{
    public const string Name = "reference";

    public static void Forward<T>(WithinPlan plan, T* x, T* y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new double[plan.Positions];
        var box = new Box(plan);
        for (long b = 0; b < plan.Batch; b++)
        {
            for (int c = 0; c < plan.Channels; c++)
            {
                Scales(plan, box, x, b, c, s);
                for (long p = 0; p < plan.Positions; p++)
                {
                    long at = plan.Index(b, c, p);
                    y[at] = Num.FromDouble<T>(Num.ToDouble(x[at]) * Math.Pow(s[p], -plan.Beta));
                }
            }
        }
    }

    public static void Backward<T>(WithinPlan plan, T* x, T* y, T* dy, T* dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new double[plan.Positions];
        var box = new Box(plan);
        for (long b = 0; b < plan.Batch; b++)
        {
            for (int c = 0; c < plan.Channels; c++)
            {
                Scales(plan, box, x, b, c, s);
                for (long j = 0; j < plan.Positions; j++)
                {
                    // The mirrored window N*(j): the positions p whose window N(p) contains j.
                    double sum = 0;
                    box.Start(j, plan.Hi, plan.Lo);
                    do
                    {
                        long p = box.Current;
                        long atP = plan.Index(b, c, p);
                        double yp = y != null ? Num.ToDouble(y[atP]) : Num.ToDouble(x[atP]) * Math.Pow(s[p], -plan.Beta);
                        sum += Num.ToDouble(dy[atP]) * yp / s[p];
                    }
                    while (box.MoveNext());

                    long at = plan.Index(b, c, j);
                    double xj = Num.ToDouble(x[at]);
                    double dyj = Num.ToDouble(dy[at]);
                    dx[at] = Num.FromDouble<T>(dyj * Math.Pow(s[j], -plan.Beta) - 2 * plan.A * plan.Beta * xj * sum);
                }
            }
        }
    }

    /// <summary>s_p for every position of the (b, c) plane.</summary>
    private static void Scales<T>(WithinPlan plan, Box box, T* x, long b, int c, double[] s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long p = 0; p < plan.Positions; p++)
        {
            double sum = 0;
            box.Start(p, plan.Lo, plan.Hi);
            do
            {
                double xq = Num.ToDouble(x[plan.Index(b, c, box.Current)]);
                sum += xq * xq;
            }
            while (box.MoveNext());

            s[p] = plan.K + plan.A * sum;
        }
    }

    /// <summary>
    /// Walks the positions of a box [p_i - before, p_i + after] on every spatial axis i, clipped to the tensor, in row-major
    /// order (an odometer over the axes). The box always holds its centre, so it is never empty.
    /// </summary>
    private sealed class Box(WithinPlan plan)
    {
        private readonly int[] _dims = plan.Dims;
        private readonly int[] _first = new int[plan.SpatialAxes];
        private readonly int[] _last = new int[plan.SpatialAxes];
        private readonly int[] _at = new int[plan.SpatialAxes];

        /// <summary>The linear spatial index of the current position.</summary>
        public long Current { get; private set; }

        public void Start(long centre, int before, int after)
        {
            for (int axis = _dims.Length - 1; axis >= 0; axis--)
            {
                int i = (int)(centre % _dims[axis]);
                centre /= _dims[axis];
                _first[axis] = Math.Max(0, i - before);
                _last[axis] = (int)Math.Min(_dims[axis] - 1L, (long)i + after);
                _at[axis] = _first[axis];
            }

            Current = Linear();
        }

        public bool MoveNext()
        {
            for (int axis = _dims.Length - 1; axis >= 0; axis--)
            {
                if (_at[axis] < _last[axis])
                {
                    _at[axis]++;
                    Current = Linear();
                    return true;
                }

                _at[axis] = _first[axis];
            }

            return false;
        }

        private long Linear()
        {
            long p = 0;
            for (int axis = 0; axis < _dims.Length; axis++)
            {
                p = (p * _dims[axis]) + _at[axis];
            }

            return p;
        }
    }
}
