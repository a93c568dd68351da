using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lrn.Kernels;

/// <summary>
/// Scalar float64 kernel whose cost does not depend on the window size.
/// <para>
/// Strategy: every window sum comes from van Herk / Gil-Werman block sums. The zero-padded channel axis is cut into
/// blocks as long as the window w; within each block a prefix sum P and a suffix sum Q are taken. A window starting at
/// padded position m is either one whole block (P at its end) or the tail of one block plus the head of the next,
/// Q[m] + P[m+w-1]. That is three additions per element whatever w is, and, unlike a running sum that adds the head
/// and subtracts the tail, nothing is ever subtracted: a sum of squares keeps a relative error of a few float64 ulps,
/// cannot drift below zero, and s never falls below k.
/// </para>
/// <para>
/// Work item: up to <see cref="LrnPlan.InnerTile"/> neighbouring spatial positions ("lanes") of one or more channel
/// vectors; rows of the scratch hold one padded channel position for all lanes, so channels-first reads are
/// contiguous. Instruction set: none (scalar); a later kernel vectorizes the same scheme across lanes.
/// Limits: none beyond the plan's; scratch is 3 x (C + lo + hi) x lanes + C x lanes doubles.
/// </para>
/// </summary>
internal sealed unsafe class ScalarKernel : LrnKernel
{
    public override string Name => "scalar";

    public override LrnKernelKind Kind => LrnKernelKind.Scalar;

    public override void Forward<T>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism) =>
        WorkItems.Run(new ForwardItem<T>(plan, x, y), plan.ItemCount, (int)ScratchLength(plan), maxDegreeOfParallelism);

    public override void Backward<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism) =>
        WorkItems.Run(new BackwardItem<T>(plan, x, y, dy, dx), plan.ItemCount, (int)ScratchLength(plan), maxDegreeOfParallelism);

    /// <summary>
    /// Scratch doubles <see cref="ForwardLanes"/> and <see cref="BackwardLanes"/> need for up to <paramref name="lanes"/>
    /// lanes: their rows are as long as the lanes they are given (the SIMD kernels give fewer than a block's, so their
    /// scratch does not grow with the plan's <see cref="LrnPlan.Lanes"/>).
    /// </summary>
    internal static long ScratchDoubles(in LrnPlan plan, int lanes) => ((3L * plan.PaddedLength) + plan.Channels) * lanes;

    /// <inheritdoc/>
    public override long ScratchLength(in LrnPlan plan) => ScratchDoubles(plan, plan.Lanes);

    /// <summary>
    /// y for the channel vectors of outer index <paramref name="o"/> at inner positions [i0, i0 + lanes), lanes &lt;= plan.Lanes.
    /// The SIMD kernels call it for the lanes left over after their vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardLanes<T>(in LrnPlan plan, T* x, T* y, long o, long i0, int lanes, Span<double> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sums = new BlockSums(scratch, plan.PaddedLength, plan.Width, lanes);
        long vector = (o * plan.Channels * plan.Inner) + i0;
        LoadSquares(plan, x + vector, sums.Z, lanes);
        sums.Prepare(lanes);
        for (int c = 0; c < plan.Channels; c++)
        {
            T* xRow = x + vector + (c * plan.Inner);
            T* yRow = y + vector + (c * plan.Inner);
            for (int l = 0; l < lanes; l++)
            {
                double s = plan.K + (plan.A * sums.Window(c, l));
                yRow[l] = Num.FromDouble<T>(Num.ToDouble(xRow[l]) * Power.Negative(s, plan.Beta));
            }
        }
    }

    private readonly struct ForwardItem<T>(LrnPlan plan, T* x, T* y) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            for (long o = o0; o < o1; o++)
            {
                ForwardLanes(plan, x, y, o, i0, (int)(i1 - i0), scratch);
            }
        }
    }

    /// <summary>dx for the channel vectors of outer index <paramref name="o"/> at inner positions [i0, i0 + lanes); y may be null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardLanes<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, long o, long i0, int lanes, Span<double> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = lanes;
        var sums = new BlockSums(scratch, plan.PaddedLength, plan.Width, stride);
        Span<double> term1 = scratch.Slice(3 * plan.PaddedLength * stride, plan.Channels * stride);
        double twoABeta = 2 * plan.A * plan.Beta;
        long vector = (o * plan.Channels * plan.Inner) + i0;
        LoadSquares(plan, x + vector, sums.Z, lanes);
        sums.Prepare(lanes);

        // Pass 1: s_c from the window sums; keep dy_c * s_c^-beta, and put t_c = dy_c * y_c / s_c into Z, padded
        // for the mirrored window [j-hi, j+lo] (hi zeros before, lo after). Z is free once Prepare has run, and
        // Window reads only P and Q.
        Span<double> t = sums.Z;
        t[..(plan.Hi * stride)].Clear();
        t[((plan.Hi + plan.Channels) * stride)..].Clear();
        for (int c = 0; c < plan.Channels; c++)
        {
            long row = vector + (c * plan.Inner);
            for (int l = 0; l < lanes; l++)
            {
                double s = plan.K + (plan.A * sums.Window(c, l));
                double p = Power.Negative(s, plan.Beta);
                double xc = Num.ToDouble(x[row + l]);
                double dyc = Num.ToDouble(dy[row + l]);
                double yc = y != null ? Num.ToDouble(y[row + l]) : xc * p;
                term1[(c * stride) + l] = dyc * p;
                t[((plan.Hi + c) * stride) + l] = dyc * yc / s;
            }
        }

        // Pass 2: the mirrored window sums of t, then dx_j = dy_j s_j^-beta - 2 a beta x_j sum.
        sums.Prepare(lanes);
        for (int j = 0; j < plan.Channels; j++)
        {
            long row = vector + (j * plan.Inner);
            for (int l = 0; l < lanes; l++)
            {
                double xj = Num.ToDouble(x[row + l]);
                dx[row + l] = Num.FromDouble<T>(term1[(j * stride) + l] - (twoABeta * xj * sums.Window(j, l)));
            }
        }
    }

    private readonly struct BackwardItem<T>(LrnPlan plan, T* x, T* y, T* dy, T* dx) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            for (long o = o0; o < o1; o++)
            {
                BackwardLanes(plan, x, y, dy, dx, o, i0, (int)(i1 - i0), scratch);
            }
        }
    }

    /// <summary>Z = the squares of one tile of channel vectors (rows of <paramref name="lanes"/>), with lo zero rows before and hi after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadSquares<T>(in LrnPlan plan, T* tile, Span<double> z, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = lanes;
        z[..(plan.Lo * stride)].Clear();
        z[((plan.Lo + plan.Channels) * stride)..].Clear();
        for (int c = 0; c < plan.Channels; c++)
        {
            T* row = tile + (c * plan.Inner);
            Span<double> zRow = z.Slice((plan.Lo + c) * stride, lanes);
            for (int l = 0; l < lanes; l++)
            {
                double v = Num.ToDouble(row[l]);
                zRow[l] = v * v;
            }
        }
    }

    /// <summary>
    /// Van Herk / Gil-Werman sliding sums over rows of a padded array Z (one column per lane): after
    /// <see cref="Prepare"/>, <see cref="Window"/> gives Z[m] + ... + Z[m+w-1] for any m &lt;= length - w.
    /// </summary>
    private readonly ref struct BlockSums
    {
        private readonly Span<double> _prefix;
        private readonly Span<double> _suffix;
        private readonly int _length;
        private readonly int _width;
        private readonly int _stride;

        public BlockSums(Span<double> scratch, int length, int width, int stride)
        {
            int size = length * stride;
            Z = scratch[..size];
            _prefix = scratch.Slice(size, size);
            _suffix = scratch.Slice(2 * size, size);
            _length = length;
            _width = width;
            _stride = stride;
        }

        /// <summary>The values to be summed, <c>length</c> rows of <c>stride</c> lanes.</summary>
        public Span<double> Z { get; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Prepare(int lanes)
        {
            for (int m = 0; m < _length; m++)
            {
                Span<double> z = Z.Slice(m * _stride, lanes);
                Span<double> p = _prefix.Slice(m * _stride, lanes);
                if (m % _width == 0)
                {
                    z.CopyTo(p);
                }
                else
                {
                    ReadOnlySpan<double> previous = _prefix.Slice((m - 1) * _stride, lanes);
                    for (int l = 0; l < lanes; l++)
                    {
                        p[l] = previous[l] + z[l];
                    }
                }
            }

            for (int m = _length - 1; m >= 0; m--)
            {
                Span<double> z = Z.Slice(m * _stride, lanes);
                Span<double> q = _suffix.Slice(m * _stride, lanes);
                if (m == _length - 1 || (m + 1) % _width == 0)
                {
                    z.CopyTo(q);
                }
                else
                {
                    ReadOnlySpan<double> next = _suffix.Slice((m + 1) * _stride, lanes);
                    for (int l = 0; l < lanes; l++)
                    {
                        q[l] = next[l] + z[l];
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Window(int m, int lane)
        {
            double head = _prefix[((m + _width - 1) * _stride) + lane];
            return m % _width == 0 ? head : _suffix[(m * _stride) + lane] + head;
        }
    }
}
