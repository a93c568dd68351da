using ILGPU;
using ILGPU.Runtime;

namespace Lrn.Gpu;

/// <summary>
/// Within-channel LRN on the GPU (SPEC.md section 3): the window is the box [p - lo, p + hi] on every spatial axis
/// (up to three), clipped to the tensor, in p's own channel:
/// <code>
/// forward:  s_p = k + a * sum_{q in N(p)} x_q^2,   y_p = x_p * s_p^(-beta)
/// backward: dx_j = dy_j * s_j^(-beta) - 2*a*beta * x_j * sum_{p in N*(j)} dy_p * y_p / s_p
/// </code>
/// One thread per element sums its box directly (n^d reads, from cache after the first), in the reference's order; the
/// backward runs in two passes through a float64 scratch tensor of the terms dy_p y_p / s_p. Cost grows with n^d:
/// fine for the n = 3 to 9 that models use, slow for very large boxes.
/// </summary>
internal static class WithinKernels
{
    public static void Forward<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int e = index;
        Locate(e, a, out int origin, out int stride, out int p0, out int p1, out int p2);
        if (ops.IsFloat32 && a.Float32Allowed != 0)
        {
            float sum32 = 0;
            for (int q0 = Math.Max(0, p0 - a.Lo); q0 <= Math.Min(a.D0 - 1, p0 + a.Hi); q0++)
            {
                for (int q1 = Math.Max(0, p1 - a.Lo); q1 <= Math.Min(a.D1 - 1, p1 + a.Hi); q1++)
                {
                    int row = origin + ((((q0 * a.D1) + q1) * a.D2) * stride);
                    for (int q2 = Math.Max(0, p2 - a.Lo); q2 <= Math.Min(a.D2 - 1, p2 + a.Hi); q2++)
                    {
                        float v = ops.ToSingle(x[row + (q2 * stride)]);
                        sum32 += v * v;
                    }
                }
            }

            if (AcrossKernels.Fast32(sum32, a, out float p32))
            {
                y[e] = ops.FromSingle(ops.ToSingle(x[e]) * p32);
                return;
            }
        }

        double s = Scale<T, TOps>(x, origin, stride, p0, p1, p2, a);
        y[e] = ops.FromDouble(ops.ToDouble(x[e]) * DevicePower.Pow64(s, a.Beta, a.Mode));
    }

    /// <summary>Rows per thread of the row-window forward.</summary>
    public const int RowChunk = 32;

    /// <summary>
    /// Forward for float32 channels-first tensors with two spatial axes and boxes up to <see cref="Slots.Length"/> on a
    /// side: one thread per (plane, column, chunk of <see cref="RowChunk"/> rows) slides down its column keeping the
    /// box's row sums (x^2 summed across the box's columns) in registers, so each output costs one row sum of n loads
    /// instead of n^2.
    /// </summary>
    public static void ForwardRows(Index1D index, ArrayView<float> x, ArrayView<float> y, GpuArgs a, SpecializedValue<int> boxSide)
    {
        int rowChunks = (a.D1 + RowChunk - 1) / RowChunk;
        int item = index;
        int col = item % a.D2;
        int rest = item / a.D2;
        int chunk = rest % rowChunks;
        int origin = (rest / rowChunks) * a.Positions;
        int r0 = chunk * RowChunk;
        int r1 = Math.Min(a.D1, r0 + RowChunk);
        int firstCol = Math.Max(0, col - a.Lo);
        int lastCol = Math.Min(a.D2 - 1, col + a.Hi);
        int side = boxSide; // a constant in the compiled kernel
        var rows = default(Slots);
        for (int r = r0 - a.Lo; r < r0 + a.Hi; r++)
        {
            rows.Push(r >= 0 && r < a.D1 ? RowSum(x, origin + (r * a.D2), firstCol, lastCol) : 0f);
        }

        for (int r = r0; r < r1; r++)
        {
            int ahead = r + a.Hi;
            rows.Push(ahead < a.D1 ? RowSum(x, origin + (ahead * a.D2), firstCol, lastCol) : 0f);
            int at = origin + (r * a.D2) + col;
            float xp = x[at];
            if (a.Float32Allowed != 0 && AcrossKernels.Fast32(rows.Sum(side), a, out float p32))
            {
                y[at] = xp * p32;
            }
            else
            {
                double s = Scale<float, SingleOps>(x, origin, 1, 0, r, col, a);
                y[at] = (float)(xp * DevicePower.Pow64(s, a.Beta, a.Mode));
            }
        }
    }

    private static float RowSum(ArrayView<float> x, int rowAt, int firstCol, int lastCol)
    {
        float sum = 0;
        for (int q = firstCol; q <= lastCol; q++)
        {
            float v = x[rowAt + q];
            sum += v * v;
        }

        return sum;
    }

    /// <summary>Backward pass 1: t_p = dy_p * y_p / s_p in float64.</summary>
    public static void BackwardTerms<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, ArrayView<T> dy, ArrayView<double> t, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int e = index;
        Locate(e, a, out int origin, out int stride, out int p0, out int p1, out int p2);
        double s = Scale<T, TOps>(x, origin, stride, p0, p1, p2, a);
        double yp = a.HasY != 0 ? ops.ToDouble(y[e]) : ops.ToDouble(x[e]) * DevicePower.Pow64(s, a.Beta, a.Mode);
        t[e] = ops.ToDouble(dy[e]) * yp / s;
    }

    /// <summary>Backward pass 2: dx_j = dy_j s_j^-beta - 2 a beta x_j * sum of t over the mirrored box [j - hi, j + lo].</summary>
    public static void BackwardCombine<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> dy, ArrayView<double> t, ArrayView<T> dx, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int e = index;
        Locate(e, a, out int origin, out int stride, out int p0, out int p1, out int p2);
        double s = Scale<T, TOps>(x, origin, stride, p0, p1, p2, a);
        double terms = 0;
        for (int q0 = Math.Max(0, p0 - a.Hi); q0 <= Math.Min(a.D0 - 1, p0 + a.Lo); q0++)
        {
            for (int q1 = Math.Max(0, p1 - a.Hi); q1 <= Math.Min(a.D1 - 1, p1 + a.Lo); q1++)
            {
                int row = origin + ((((q0 * a.D1) + q1) * a.D2) * stride);
                for (int q2 = Math.Max(0, p2 - a.Hi); q2 <= Math.Min(a.D2 - 1, p2 + a.Lo); q2++)
                {
                    terms += t[row + (q2 * stride)];
                }
            }
        }

        double xj = ops.ToDouble(x[e]);
        dx[e] = ops.FromDouble((ops.ToDouble(dy[e]) * DevicePower.Pow64(s, a.Beta, a.Mode)) - (2 * a.A * a.Beta * xj * terms));
    }

    /// <summary>s_p = k + a * (sum of x^2 over the box), in float64 in the reference's order.</summary>
    private static double Scale<T, TOps>(ArrayView<T> x, int origin, int stride, int p0, int p1, int p2, in GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        double sum = 0;
        for (int q0 = Math.Max(0, p0 - a.Lo); q0 <= Math.Min(a.D0 - 1, p0 + a.Hi); q0++)
        {
            for (int q1 = Math.Max(0, p1 - a.Lo); q1 <= Math.Min(a.D1 - 1, p1 + a.Hi); q1++)
            {
                int row = origin + ((((q0 * a.D1) + q1) * a.D2) * stride);
                for (int q2 = Math.Max(0, p2 - a.Lo); q2 <= Math.Min(a.D2 - 1, p2 + a.Hi); q2++)
                {
                    double v = ops.ToDouble(x[row + (q2 * stride)]);
                    sum += v * v;
                }
            }
        }

        return a.K + (a.A * sum);
    }

    /// <summary>
    /// Element e's spatial coordinates (p0, p1, p2), the index of its plane's position 0 (origin) and the distance
    /// between neighbouring positions (1 channels-first, C channels-last).
    /// </summary>
    private static void Locate(int e, in GpuArgs a, out int origin, out int stride, out int p0, out int p1, out int p2)
    {
        int p;
        if (a.ChannelsLast != 0)
        {
            int c = e % a.Channels;
            int bp = e / a.Channels;
            p = bp % a.Positions;
            origin = ((bp - p) * a.Channels) + c;
            stride = a.Channels;
        }
        else
        {
            p = e % a.Positions;
            origin = e - p;
            stride = 1;
        }

        p2 = p % a.D2;
        int rest = p / a.D2;
        p1 = rest % a.D1;
        p0 = rest / a.D1;
    }
}
