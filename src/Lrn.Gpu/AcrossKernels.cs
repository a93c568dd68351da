using ILGPU;
using ILGPU.Runtime;

namespace Lrn.Gpu;

/// <summary>
/// Across-channel LRN on the GPU (SPEC.md sections 1 and 4):
/// <code>
/// forward:  s_c = k + a * sum_{j = c-lo .. c+hi, 0 &lt;= j &lt; C} x_j^2,   y_c = x_c * s_c^(-beta)
/// backward: dx_j = dy_j * s_j^(-beta) - 2*a*beta * x_j * sum_{c = j-hi .. j+lo} dy_c * y_c / s_c
/// </code>
/// Two strategies:
/// <list type="bullet">
/// <item><b>direct</b>: one thread per element sums its window straight from memory (each x is read once from DRAM
/// and w times from cache). Any layout, any window. The backward runs in two passes: the terms t_c = dy_c y_c / s_c
/// into a float64 scratch tensor, then dx.</item>
/// <item><b>ring</b>: one thread per (n, spatial position) of a channels-first tensor walks the channels, keeping the
/// last <see cref="RingLength"/> values in a per-thread ring (local memory), so x, dy and dx cross DRAM once each and
/// the backward is one pass. Windows up to <see cref="RingLength"/> channels.</item>
/// </list>
/// Both sum each window afresh, in the order of the reference (no running add/subtract, whose cancellation error grows
/// along the channels), in float32 for float32 data where <see cref="GpuArgs"/> allows it and float64 otherwise; the
/// backward is float64 throughout.
/// </summary>
internal static class AcrossKernels
{
    /// <summary>The ring's length: a power of two; windows longer than this use the direct strategy.</summary>
    public const int RingLength = 32;
    private const int RingMask = RingLength - 1;

    public static void ForwardDirect<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        int e = index;
        int c = (e / a.Inner) % a.Channels;
        int first = Math.Max(0, c - a.Lo);
        int last = Math.Min(a.Channels - 1, c + a.Hi);
        int at0 = e + ((first - c) * a.Inner);
        TOps ops = default;
        if (ops.IsFloat32 && a.Float32Allowed != 0)
        {
            float sum32 = 0;
            for (int j = first, at = at0; j <= last; j++, at += a.Inner)
            {
                float v = ops.ToSingle(x[at]);
                sum32 += v * v;
            }

            if (Fast32(sum32, a, out float p32))
            {
                y[e] = ops.FromSingle(ops.ToSingle(x[e]) * p32);
                return;
            }
        }

        y[e] = ops.FromDouble(ops.ToDouble(x[e]) * DevicePower.Pow64(a.K + (a.A * WindowSum64<T, TOps>(x, e, c, a)), a.Beta, a.Mode));
    }

    public static void ForwardRing<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int baseAt = ColumnBase(index, a);
        ArrayView<T> ring = LocalMemory.Allocate<T>(RingLength);

        // Preload channels 0 .. hi-1; step c then loads channel c + hi.
        for (int j = 0; j < a.Hi && j < a.Channels; j++)
        {
            ring[j & RingMask] = x[baseAt + (j * a.Inner)];
        }

        for (int c = 0; c < a.Channels; c++)
        {
            int ahead = c + a.Hi;
            if (ahead < a.Channels)
            {
                ring[ahead & RingMask] = x[baseAt + (ahead * a.Inner)];
            }

            int first = Math.Max(0, c - a.Lo);
            int last = Math.Min(a.Channels - 1, ahead);
            T xc = ring[c & RingMask];
            T yc;
            bool done = false;
            yc = xc;
            if (ops.IsFloat32 && a.Float32Allowed != 0)
            {
                float sum32 = 0;
                for (int j = first; j <= last; j++)
                {
                    float v = ops.ToSingle(ring[j & RingMask]);
                    sum32 += v * v;
                }

                if (Fast32(sum32, a, out float p32))
                {
                    yc = ops.FromSingle(ops.ToSingle(xc) * p32);
                    done = true;
                }
            }

            if (!done)
            {
                double sum = 0;
                for (int j = first; j <= last; j++)
                {
                    double v = ops.ToDouble(ring[j & RingMask]);
                    sum += v * v;
                }

                yc = ops.FromDouble(ops.ToDouble(xc) * DevicePower.Pow64(a.K + (a.A * sum), a.Beta, a.Mode));
            }

            y[baseAt + (c * a.Inner)] = yc;
        }
    }

    /// <summary>Channels per thread of the register-window forward: enough threads for small batches, a halo of w - 1 loads per chunk.</summary>
    public const int ChannelChunk = 32;

    /// <summary>
    /// Forward for float32 channels-first windows of up to <see cref="Slots.Length"/> channels: one thread per
    /// (batch, position, chunk of <see cref="ChannelChunk"/> channels) slides a window of x values held in registers
    /// along its channels, so each x is loaded once (plus a w - 1 halo per chunk) and each y stored once.
    /// </summary>
    public static void ForwardSlots(Index1D index, ArrayView<float> x, ArrayView<float> y, GpuArgs a, SpecializedValue<int> window, SpecializedValue<int> after)
    {
        int columns = a.Outer * a.Inner;
        int item = index;
        int chunk = item / columns;
        int baseAt = ColumnBase(item % columns, a);
        int c0 = chunk * ChannelChunk;
        int c1 = Math.Min(a.Channels, c0 + ChannelChunk);
        int w = window; // a constant in the compiled kernel: the window's adds unroll to exactly w
        var slots = default(Slots);
        for (int j = c0 - a.Lo; j < c0 + a.Hi; j++)
        {
            slots.Push(Channel(x, baseAt, j, a));
        }

        var queue = default(Prefetch);
        for (int k = 0; k < Prefetch.Depth; k++)
        {
            queue.Next(Channel(x, baseAt, c0 + a.Hi + k, a));
        }

        for (int c = c0; c < c1; c++)
        {
            slots.Push(queue.Next(Channel(x, baseAt, c + a.Hi + Prefetch.Depth, a)));
            int at = baseAt + (c * a.Inner);
            float xc = slots.Back(after); // x_c, pushed hi steps ago (hi is a constant in the compiled kernel)
            if (a.Float32Allowed != 0 && Fast32(slots.SumOfSquares(w), a, out float p32))
            {
                y[at] = xc * p32;
            }
            else
            {
                y[at] = (float)(xc * DevicePower.Pow64(a.K + (a.A * WindowSum64<float, SingleOps>(x, at, c, a)), a.Beta, a.Mode));
            }
        }
    }

    /// <summary>Magnitudes below this in the float32 backward (2^-100) send the element to float64: they may have lost bits to underflow.</summary>
    private const float TinyTerm = 7.888609E-31f;

    /// <summary>
    /// Backward for float32 channels-first windows of up to <see cref="Slots.Length"/> channels, in float32 arithmetic:
    /// one thread per (batch, position, chunk of <see cref="ChannelChunk"/> channels) walks channels c, keeping x over
    /// [c - lo, c + hi], t_c = dy_c y_c / s_c and s_c^-beta in registers; dx_j is final once t_(j + lo) is known. An
    /// element whose s, terms or result leave the float32 range (non-finite, or a nonzero magnitude under 2^-100)
    /// is computed again in float64 (<see cref="BackwardElement64"/>).
    /// </summary>
    public static void BackwardSlots(
        Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, GpuArgs a, SpecializedValue<int> window, SpecializedValue<int> before)
    {
        int columns = a.Outer * a.Inner;
        int item = index;
        int chunk = item / columns;
        int baseAt = ColumnBase(item % columns, a);
        int j0 = chunk * ChannelChunk;
        int j1 = Math.Min(a.Channels, j0 + ChannelChunk);
        int w = window, lo = before, hi = w - 1 - lo; // constants in the compiled kernel
        float twoAlphaBeta = (float)(2 * a.A * a.Beta);
        var xs = default(Slots);
        var ts = default(Slots);
        var ps = default(Slots);
        var dys = default(Slots);
        int cStart = j0 - hi;
        for (int q = cStart - lo; q < cStart + hi; q++)
        {
            xs.Push(Channel(x, baseAt, q, a));
        }

        var xQueue = default(Prefetch);
        var dyQueue = default(Prefetch);
        var yQueue = default(Prefetch);
        for (int k = 0; k < Prefetch.Depth; k++)
        {
            xQueue.Next(Channel(x, baseAt, cStart + hi + k, a));
            dyQueue.Next(Channel(dy, baseAt, cStart + k, a));
            yQueue.Next(a.HasY != 0 ? Channel(y, baseAt, cStart + k, a) : 0f);
        }

        for (int c = cStart; c < j1 + lo; c++)
        {
            xs.Push(xQueue.Next(Channel(x, baseAt, c + hi + Prefetch.Depth, a)));
            float dyc = dyQueue.Next(Channel(dy, baseAt, c + Prefetch.Depth, a));
            float yGiven = yQueue.Next(a.HasY != 0 ? Channel(y, baseAt, c + Prefetch.Depth, a) : 0f);
            float t = 0, p = 0;
            if (c >= 0 && c < a.Channels)
            {
                if (a.Float32Allowed != 0 && Fast32(xs.SumOfSquares(w), a, out p))
                {
                    float s = (a.A32 * xs.SumOfSquares(w)) + a.K32;
                    float yc = a.HasY != 0 ? yGiven : xs.Back(hi) * p;
                    t = dyc * yc / s;
                    t = t != 0 && !(Math.Abs(t) >= TinyTerm) ? float.NaN : t; // tiny, inf or NaN: poison, so j goes to float64
                }
                else
                {
                    t = float.NaN;
                }
            }

            ts.Push(t);
            ps.Push(p);
            dys.Push(dyc);
            int j = c - lo;
            if (j >= j0 && j < j1)
            {
                int at = baseAt + (j * a.Inner);
                float first = dys.Back(lo) * ps.Back(lo);
                float result = first - (twoAlphaBeta * xs.Back(w - 1) * ts.Sum(w));
                bool fine = float.IsFinite(result) && (first == 0 || Math.Abs(first) >= TinyTerm);
                dx[at] = fine ? result : (float)BackwardElement64<float, SingleOps>(x, y, dy, at, j, a);
            }
        }
    }

    /// <summary>dx_j in float64 straight from the formula (each s in the mirrored window summed afresh): the float32 backward's fallback.</summary>
    private static double BackwardElement64<T, TOps>(ArrayView<T> x, ArrayView<T> y, ArrayView<T> dy, int at, int j, in GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        double sj = a.K + (a.A * WindowSum64<T, TOps>(x, at, j, a));
        int first = Math.Max(0, j - a.Hi);
        int last = Math.Min(a.Channels - 1, j + a.Lo);
        double terms = 0;
        for (int c = first; c <= last; c++)
        {
            int atC = at + ((c - j) * a.Inner);
            double sc = a.K + (a.A * WindowSum64<T, TOps>(x, atC, c, a));
            double yc = a.HasY != 0 ? ops.ToDouble(y[atC]) : ops.ToDouble(x[atC]) * DevicePower.Pow64(sc, a.Beta, a.Mode);
            terms += ops.ToDouble(dy[atC]) * yc / sc;
        }

        return (ops.ToDouble(dy[at]) * DevicePower.Pow64(sj, a.Beta, a.Mode)) - (2 * a.A * a.Beta * ops.ToDouble(x[at]) * terms);
    }

    /// <summary>The element of channel 0 of column <paramref name="column"/> (an outer index and a position within the channel, o * Inner + i).</summary>
    private static int ColumnBase(int column, in GpuArgs a)
    {
        int o = column / a.Inner;
        return (o * a.Channels * a.Inner) + (column - (o * a.Inner));
    }

    /// <summary>Channel c of the column at baseAt, or 0 outside [0, C) (the zero padding).</summary>
    private static float Channel(ArrayView<float> v, int baseAt, int c, in GpuArgs a) =>
        c >= 0 && c < a.Channels ? v[baseAt + (c * a.Inner)] : 0f;

    /// <summary>The sum of x^2 over channel c's window, in float64 in the reference's order; at is c's element.</summary>
    private static double WindowSum64<T, TOps>(ArrayView<T> x, int at, int c, in GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int first = Math.Max(0, c - a.Lo);
        int last = Math.Min(a.Channels - 1, c + a.Hi);
        double sum = 0;
        for (int j = first, q = at + ((first - c) * a.Inner); j <= last; j++, q += a.Inner)
        {
            double v = ops.ToDouble(x[q]);
            sum += v * v;
        }

        return sum;
    }

    /// <summary>Backward, direct, pass 1: t_c = dy_c * y_c / s_c in float64 (y from x when the caller has none).</summary>
    public static void BackwardTerms<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, ArrayView<T> dy, ArrayView<double> t, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int e = index;
        int c = (e / a.Inner) % a.Channels;
        double s = a.K + (a.A * WindowSum64<T, TOps>(x, e, c, a));
        double yc = a.HasY != 0 ? ops.ToDouble(y[e]) : ops.ToDouble(x[e]) * DevicePower.Pow64(s, a.Beta, a.Mode);
        t[e] = ops.ToDouble(dy[e]) * yc / s;
    }

    /// <summary>Backward, direct, pass 2: dx_j = dy_j s_j^-beta - 2 a beta x_j * sum of t over the mirrored window [j-hi, j+lo].</summary>
    public static void BackwardCombine<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> dy, ArrayView<double> t, ArrayView<T> dx, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int e = index;
        int j = (e / a.Inner) % a.Channels;
        double sum = WindowSum64<T, TOps>(x, e, j, a);
        int mirroredFirst = Math.Max(0, j - a.Hi);
        int mirroredLast = Math.Min(a.Channels - 1, j + a.Lo);
        double terms = 0;
        for (int c = mirroredFirst, at = e + ((mirroredFirst - j) * a.Inner); c <= mirroredLast; c++, at += a.Inner)
        {
            terms += t[at];
        }

        double xj = ops.ToDouble(x[e]);
        double pj = DevicePower.Pow64(a.K + (a.A * sum), a.Beta, a.Mode);
        dx[e] = ops.FromDouble((ops.ToDouble(dy[e]) * pj) - (2 * a.A * a.Beta * xj * terms));
    }

    /// <summary>
    /// Backward, ring, one pass per channels-first column. At step j the thread has x up to channel j + lo + hi in its
    /// ring, computes s, s^-beta and t for channel j + lo (the last channel of j's mirrored window), and combines.
    /// </summary>
    public static void BackwardRing<T, TOps>(Index1D index, ArrayView<T> x, ArrayView<T> y, ArrayView<T> dy, ArrayView<T> dx, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int baseAt = ColumnBase(index, a);
        ArrayView<double> xs = LocalMemory.Allocate<double>(RingLength);
        ArrayView<double> ts = LocalMemory.Allocate<double>(RingLength);
        ArrayView<double> ps = LocalMemory.Allocate<double>(RingLength);
        int reach = a.Lo + a.Hi;

        // Before step 0: x for channels 0 .. lo+hi-1, and t, s^-beta for channels 0 .. lo-1.
        for (int q = 0; q < reach && q < a.Channels; q++)
        {
            xs[q & RingMask] = ops.ToDouble(x[baseAt + (q * a.Inner)]);
        }

        for (int c = 0; c < a.Lo && c < a.Channels; c++)
        {
            Terms<T, TOps>(y, dy, xs, ts, ps, baseAt, c, a);
        }

        double twoAlphaBeta = 2 * a.A * a.Beta;
        for (int j = 0; j < a.Channels; j++)
        {
            int loadAt = j + reach;
            if (loadAt < a.Channels)
            {
                xs[loadAt & RingMask] = ops.ToDouble(x[baseAt + (loadAt * a.Inner)]);
            }

            int newest = j + a.Lo;
            if (newest < a.Channels)
            {
                Terms<T, TOps>(y, dy, xs, ts, ps, baseAt, newest, a);
            }

            int mirroredFirst = Math.Max(0, j - a.Hi);
            int mirroredLast = Math.Min(a.Channels - 1, newest);
            double terms = 0;
            for (int c = mirroredFirst; c <= mirroredLast; c++)
            {
                terms += ts[c & RingMask];
            }

            int at = baseAt + (j * a.Inner);
            dx[at] = ops.FromDouble((ops.ToDouble(dy[at]) * ps[j & RingMask]) - (twoAlphaBeta * xs[j & RingMask] * terms));
        }
    }

    /// <summary>s, s^-beta and t = dy y / s of channel c, from the x ring, into the rings.</summary>
    private static void Terms<T, TOps>(ArrayView<T> y, ArrayView<T> dy, ArrayView<double> xs, ArrayView<double> ts, ArrayView<double> ps, int baseAt, int c, GpuArgs a)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        TOps ops = default;
        int first = Math.Max(0, c - a.Lo);
        int last = Math.Min(a.Channels - 1, c + a.Hi);
        double sum = 0;
        for (int q = first; q <= last; q++)
        {
            double v = xs[q & RingMask];
            sum += v * v;
        }

        double s = a.K + (a.A * sum);
        double p = DevicePower.Pow64(s, a.Beta, a.Mode);
        int at = baseAt + (c * a.Inner);
        double yc = a.HasY != 0 ? ops.ToDouble(y[at]) : xs[c & RingMask] * p;
        ts[c & RingMask] = ops.ToDouble(dy[at]) * yc / s;
        ps[c & RingMask] = p;
    }

    /// <summary>
    /// The float32 path's s^-beta from a float32 window sum, when the sum and s lie where float32 arithmetic keeps the
    /// stated accuracy (<see cref="GpuArgs"/>); false sends the element to float64.
    /// </summary>
    public static bool Fast32(float sum, in GpuArgs a, out float p)
    {
        p = 0;
        if (!(sum <= a.MaxSum32) || (sum < a.MinSum32))
        {
            return false; // NaN, inf, or too large or too small for float32 here
        }

        float s = (a.A32 * sum) + a.K32;
        if (!(s >= a.MinS32 && s <= a.MaxS32))
        {
            return false;
        }

        p = DevicePower.Pow32(s, a.Beta, a.Mode);
        return true;
    }
}
