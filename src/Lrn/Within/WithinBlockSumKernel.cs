using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Within;

/// <summary>
/// Within-channel LRN whose cost does not depend on the window size n.
/// <para>
/// Strategy: the window N(p) is a box, so its sum of squares is separable: sum along the last spatial axis, then sum
/// those sums along the next axis, and so on. Each one-axis pass uses van Herk / Gil-Werman block sums, as the
/// across-channel <see cref="ScalarKernel"/> does: the zero-padded line is cut into blocks as long as the window w, a
/// prefix sum P and a suffix sum Q are taken within each block, and the window starting at padded position m is P at
/// m+w-1 (m starts a block) or Q[m] + P[m+w-1]. Three additions per element and axis whatever n is, and nothing is ever
/// subtracted: sums of squares keep a relative error of a few float64 ulps per axis, cannot go negative, and s never
/// falls below k. All arithmetic (squares, sums, powers) is float64 whatever the storage type.
/// </para>
/// <para>
/// Work item: one batch index and a block of up to <see cref="WithinPlan.ChannelTile"/> channels, in either layout. Its
/// squares go to a float64 plane [D1, ..., Dd, channels] in scratch: the channels are the innermost axis, so along every
/// spatial axis at least that many independent lines lie side by side, and each pass runs down rows of contiguous lanes
/// (up to <see cref="LineTile"/> at a time, copied into a zero-padded tile). With fewer than
/// <see cref="ContiguousLanes"/> channels the innermost spatial axis gathers <see cref="LineTile"/> lines into the
/// tile instead.
/// </para>
/// <para>
/// Instruction set: <see cref="Vector{T}"/> of double (the machine's preferred width) for the tile rows and for the
/// powers: for beta 0.5, 0.75 or 1 square roots and a division, as <see cref="Power.Negative"/> does them, so the bits
/// are the same; for other exponents the SIMD kernels' Float64Power (within a few ulps of Math.Pow; Math.Pow lane by
/// lane for vectors it declines); scalar tails through <see cref="Power.Negative"/>. Loads and stores of the tensor are
/// scalar (a channels-first item transposes its channels into the plane).
/// Limits: an item's scratch must fit in one .NET array: (planes x positions x channels) + 2 x LineTile x (longest
/// axis + its reach) doubles, with 1 plane forward and 2 backward.
/// </para>
/// </summary>
internal static unsafe class WithinBlockSumKernel
{
    public const string Name = "block-sum";

    /// <summary>Lanes of a tile row: lines summed together along an axis. Not tuned yet: 64 doubles, and a 55-long axis's tile pair is 60 KiB.</summary>
    public const int LineTile = 64;

    /// <summary>
    /// The fewest contiguous lines worth a row copy; with fewer (an innermost axis of an item with few channels), lines
    /// are gathered one element at a time. Not tuned yet.
    /// </summary>
    public const int ContiguousLanes = 8;

    public static void Forward<T>(WithinPlan plan, T* x, T* y, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WorkItems.Run(new ForwardItem<T>(plan, x, y), plan.ItemCount, (int)ScratchLength(plan, planes: 1), maxDegreeOfParallelism);

    public static void Backward<T>(WithinPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WorkItems.Run(new BackwardItem<T>(plan, x, y, dy, dx), plan.ItemCount, (int)ScratchLength(plan, planes: 2), maxDegreeOfParallelism);

    /// <summary>The doubles of scratch one item needs; the caller checks it against the largest .NET array before anything is written.</summary>
    public static long ScratchLength(WithinPlan plan, int planes)
    {
        long padded = 0;
        for (int axis = 0; axis < plan.SpatialAxes; axis++)
        {
            padded = Math.Max(padded, (long)plan.Dims[axis] + plan.ClippedLo[axis] + plan.ClippedHi[axis]);
        }

        return (planes * plan.Positions * plan.Lanes) + (2 * padded * LineTile);
    }

    private readonly struct ForwardItem<T>(WithinPlan plan, T* x, T* y) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            var walk = new Walk(plan, item);
            int capacity = (int)(plan.Positions * plan.Lanes);
            Span<double> s = scratch[..walk.PlaneLength];
            Span<double> tiles = scratch[capacity..];

            walk.LoadSquares(x, s);
            BoxSums(plan, s, walk.Lanes, plan.ClippedLo, plan.ClippedHi, tiles);
            Powers(s, plan.K, plan.A, plan.Beta);

            // y = x * s^-beta. Every x of the item was read into the plane before the first y is written: in place works.
            for (int o = 0; o < walk.OuterCount; o++)
            {
                T* xo = x + walk.Origin + (o * walk.OuterStride);
                T* yo = y + walk.Origin + (o * walk.OuterStride);
                int so = o * walk.OuterPlaneStride;
                for (int i = 0; i < walk.InnerCount; i++)
                {
                    yo[i] = Num.FromDouble<T>(Num.ToDouble(xo[i]) * s[so + (i * walk.InnerPlaneStride)]);
                }
            }
        }
    }

    private readonly struct BackwardItem<T>(WithinPlan plan, T* x, T* y, T* dy, T* dx) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            var walk = new Walk(plan, item);
            int capacity = (int)(plan.Positions * plan.Lanes);
            Span<double> s = scratch[..walk.PlaneLength];
            Span<double> w = scratch.Slice(capacity, walk.PlaneLength);
            Span<double> tiles = scratch[(2 * capacity)..];

            walk.LoadSquares(x, s);
            BoxSums(plan, s, walk.Lanes, plan.ClippedLo, plan.ClippedHi, tiles);

            // Pass 1, on whole vectors: w = s_p^-beta, and 1 / s_p in place of the sums. Pass 2, element by element:
            // t_p = dy_p * y_p / s_p into s (y recomputed as x_p s_p^-beta when not given), and dy_p * s_p^-beta into w.
            // The divisions stay in the vector pass. Never s_p^-beta / s_p = s_p^(-beta-1): for s above ~1e176 it
            // underflows to 0 where the reference's dy_p (x_p s_p^-beta) / s_p does not.
            bool yGiven = y != null;
            PowersAndQuotients(s, w, plan.K, plan.A, plan.Beta, reciprocalOnly: true);
            for (int o = 0; o < walk.OuterCount; o++)
            {
                long xo = walk.Origin + (o * walk.OuterStride);
                int so = o * walk.OuterPlaneStride;
                for (int i = 0; i < walk.InnerCount; i++)
                {
                    int at = so + (i * walk.InnerPlaneStride);
                    double dyp = Num.ToDouble(dy[xo + i]);
                    double yp = yGiven ? Num.ToDouble(y[xo + i]) : Num.ToDouble(x[xo + i]) * w[at];
                    s[at] = dyp * yp * s[at];
                    w[at] *= dyp;
                }
            }

            // Pass 3: the sums of t over the mirrored window N*(j) (hi before, lo after), then
            // dx_j = dy_j s_j^-beta - 2 a beta x_j sum.
            BoxSums(plan, s, walk.Lanes, plan.ClippedHi, plan.ClippedLo, tiles);
            double twoABeta = 2 * plan.A * plan.Beta;
            for (int o = 0; o < walk.OuterCount; o++)
            {
                long xo = walk.Origin + (o * walk.OuterStride);
                int so = o * walk.OuterPlaneStride;
                for (int i = 0; i < walk.InnerCount; i++)
                {
                    int at = so + (i * walk.InnerPlaneStride);
                    double xj = Num.ToDouble(x[xo + i]);
                    dx[xo + i] = Num.FromDouble<T>(w[at] - (twoABeta * xj * s[at]));
                }
            }
        }
    }

    /// <summary>
    /// How an item's elements map between the tensor and its [positions, lanes] plane, ordered so that the inner loop
    /// runs along contiguous tensor memory: channels-first walks each channel's plane (outer: channel, inner: position),
    /// channels-last each position's channels (outer: position, inner: channel).
    /// </summary>
    private readonly struct Walk
    {
        public Walk(WithinPlan plan, long item)
        {
            plan.ItemBounds(item, out long b, out int c0, out int c1);
            Lanes = c1 - c0;
            PlaneLength = (int)plan.Positions * Lanes;
            Origin = plan.Index(b, c0, 0);
            if (plan.Layout == LrnLayout.ChannelsFirst)
            {
                (OuterCount, OuterStride, OuterPlaneStride) = (Lanes, plan.Positions, 1);
                (InnerCount, InnerPlaneStride) = ((int)plan.Positions, Lanes);
            }
            else
            {
                (OuterCount, OuterStride, OuterPlaneStride) = ((int)plan.Positions, plan.Channels, Lanes);
                (InnerCount, InnerPlaneStride) = (Lanes, 1);
            }
        }

        /// <summary>Channels in this item: the plane's innermost axis.</summary>
        public int Lanes { get; }

        public int PlaneLength { get; }

        /// <summary>The tensor index of the item's first element (channel c0, position 0).</summary>
        public long Origin { get; }

        public int OuterCount { get; }

        public long OuterStride { get; }

        public int OuterPlaneStride { get; }

        /// <summary>Elements per inner run; their tensor stride is 1.</summary>
        public int InnerCount { get; }

        public int InnerPlaneStride { get; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void LoadSquares<T>(T* x, Span<double> plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < OuterCount; o++)
            {
                T* xo = x + Origin + (o * OuterStride);
                int so = o * OuterPlaneStride;
                for (int i = 0; i < InnerCount; i++)
                {
                    double v = Num.ToDouble(xo[i]);
                    plane[so + (i * InnerPlaneStride)] = v * v;
                }
            }
        }
    }

    /// <summary>
    /// Replaces every value of a [D1, ..., Dd, lanes] plane by its sum over the box [i - before, i + after] on every
    /// spatial axis (clipped: zero padding), one axis at a time from the last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BoxSums(WithinPlan plan, Span<double> plane, int lanes, int[] before, int[] after, Span<double> tiles)
    {
        int stride = lanes;
        for (int axis = plan.SpatialAxes - 1; axis >= 0; axis--)
        {
            int length = plan.Dims[axis];
            if (before[axis] + after[axis] > 0)
            {
                int outer = plane.Length / (length * stride);
                if (stride >= ContiguousLanes)
                {
                    SumAlongContiguous(plane, outer, length, stride, before[axis], after[axis], tiles);
                }
                else
                {
                    SumAlongGathered(plane, outer, length, stride, before[axis], after[axis], tiles);
                }
            }

            stride *= length;
        }
    }

    /// <summary>
    /// Box sums along one axis of the plane seen as [outer, length, stride]: line (o, l) holds the elements at
    /// (o * length + m) * stride + l for m in [0, length). In every row the lines of one o are contiguous, so a tile
    /// takes them as runs: one run of up to <see cref="LineTile"/> lines of one o when the stride is that wide, else
    /// whole strides of several consecutive o, so that a tile row is up to <see cref="LineTile"/> lanes either way.
    /// Runs are copied row by row into the padded tile and back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumAlongContiguous(Span<double> plane, int outer, int length, int stride, int before, int after, Span<double> tiles)
    {
        int width = before + after + 1;
        int padded = length + before + after;
        int runLanes = Math.Min(stride, LineTile);
        int chunksPerOuter = (stride + runLanes - 1) / runLanes;
        int runsPerTile = LineTile / runLanes;
        int runs = outer * chunksPerOuter;
        for (int firstRun = 0; firstRun < runs; firstRun += runsPerTile)
        {
            int tileRuns = Math.Min(runsPerTile, runs - firstRun);

            // With one run per tile the run may be a shorter last chunk of its o; with several, every run is a whole stride.
            int lanes = tileRuns == 1 ? Math.Min(runLanes, stride - ((firstRun % chunksPerOuter) * runLanes)) : tileRuns * runLanes;
            Span<double> z = tiles[..(padded * lanes)];
            Span<double> q = tiles.Slice(padded * LineTile, padded * lanes);
            z[..(before * lanes)].Clear();
            z[((before + length) * lanes)..].Clear();
            for (int r = 0; r < tileRuns; r++)
            {
                int run = firstRun + r;
                int origin = ((run / chunksPerOuter) * length * stride) + ((run % chunksPerOuter) * runLanes);
                int runWidth = Math.Min(runLanes, lanes);
                for (int m = 0; m < length; m++)
                {
                    Copy(plane.Slice(origin + (m * stride), runWidth), z.Slice(((before + m) * lanes) + (r * runLanes), runWidth));
                }
            }

            BlockSums(z, q, padded, width, lanes);

            for (int r = 0; r < tileRuns; r++)
            {
                int run = firstRun + r;
                int origin = ((run / chunksPerOuter) * length * stride) + ((run % chunksPerOuter) * runLanes);
                int runWidth = Math.Min(runLanes, lanes);
                for (int m = 0; m < length; m++)
                {
                    Copy(z.Slice((m * lanes) + (r * runLanes), runWidth), plane.Slice(origin + (m * stride), runWidth));
                }
            }
        }
    }

    /// <summary>
    /// The same sums for a narrow stride (an innermost axis of an item with few channels): lines are numbered
    /// t = o * stride + l across every o, and <see cref="LineTile"/> of them are gathered element by element into the
    /// tile, so its rows are still long.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumAlongGathered(Span<double> plane, int outer, int length, int stride, int before, int after, Span<double> tiles)
    {
        int width = before + after + 1;
        int padded = length + before + after;
        int lines = outer * stride;
        for (int first = 0; first < lines; first += LineTile)
        {
            int lanes = Math.Min(LineTile, lines - first);
            Span<double> z = tiles[..(padded * lanes)];
            Span<double> q = tiles.Slice(padded * LineTile, padded * lanes);
            z[..(before * lanes)].Clear();
            z[((before + length) * lanes)..].Clear();
            Span<double> body = z.Slice(before * lanes, length * lanes);
            for (int r = 0; r < lanes; r++)
            {
                int line = first + r;
                int origin = ((line / stride) * length * stride) + (line % stride);
                for (int m = 0; m < length; m++)
                {
                    body[(m * lanes) + r] = plane[origin + (m * stride)];
                }
            }

            BlockSums(z, q, padded, width, lanes);

            for (int r = 0; r < lanes; r++)
            {
                int line = first + r;
                int origin = ((line / stride) * length * stride) + (line % stride);
                for (int m = 0; m < length; m++)
                {
                    plane[origin + (m * stride)] = z[(m * lanes) + r];
                }
            }
        }
    }

    /// <summary>
    /// Van Herk / Gil-Werman sliding sums down the rows of z ([length, lanes], zero padded): afterwards row i, for i in
    /// [0, length - width], holds z[i] + ... + z[i + width - 1] of the input. q is scratch of the same size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockSums(Span<double> z, Span<double> q, int length, int width, int lanes)
    {
        // Every row below is inside [0, length * lanes) of both spans: checked once here rather than per row.
        if (z.Length < length * lanes || q.Length < length * lanes)
        {
            throw new ArgumentException("z and q must hold length x lanes values");
        }

        ref double z0 = ref MemoryMarshal.GetReference(z);
        ref double q0 = ref MemoryMarshal.GetReference(q);

        // Suffix sums within each block, from its last row back: Q[m] = z[m] + Q[m+1].
        for (int m = length - 1; m >= 0; m--)
        {
            ref double zm = ref Unsafe.Add(ref z0, m * lanes);
            ref double qm = ref Unsafe.Add(ref q0, m * lanes);
            if (m == length - 1 || (m + 1) % width == 0)
            {
                Add(ref zm, ref Unsafe.NullRef<double>(), ref qm, lanes);
            }
            else
            {
                Add(ref zm, ref Unsafe.Add(ref qm, lanes), ref qm, lanes);
            }
        }

        // Prefix sums within each block, in place: P[m] = P[m-1] + z[m].
        for (int m = 1; m < length; m++)
        {
            if (m % width != 0)
            {
                ref double zm = ref Unsafe.Add(ref z0, m * lanes);
                Add(ref Unsafe.Add(ref zm, -lanes), ref zm, ref zm, lanes);
            }
        }

        // Windows, in place: row i <- Q[i] + P[i+w-1], or P[i+w-1] alone where i starts a block. Row i+w-1 >= i is not
        // yet overwritten when row i is written.
        int count = length - width + 1;
        for (int i = 0; i < count; i++)
        {
            ref double zi = ref Unsafe.Add(ref z0, i * lanes);
            ref double head = ref Unsafe.Add(ref z0, (i + width - 1) * lanes);
            if (i % width == 0)
            {
                Add(ref head, ref Unsafe.NullRef<double>(), ref zi, lanes);
            }
            else
            {
                Add(ref Unsafe.Add(ref q0, i * lanes), ref head, ref zi, lanes);
            }
        }
    }

    /// <summary>
    /// sum[i] = a[i] + b[i] for i in [0, n), or a copy of a when b is a null reference. sum may be a or b itself (each
    /// element is read before it is written). The caller guarantees all three hold n values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref double a, ref double b, ref double sum, int n)
    {
        bool copy = Unsafe.IsNullRef(ref b);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<double> v = Vector.LoadUnsafe(ref a, (nuint)i);
                (copy ? v : v + Vector.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref sum, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref sum, i) = copy ? Unsafe.Add(ref a, i) : Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i);
        }
    }

    /// <summary>to = from, for the short runs of a tile row (a call to memmove costs more than the copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ReadOnlySpan<double> from, Span<double> to)
    {
        if (to.Length < from.Length)
        {
            throw new ArgumentException("to must be at least as long as from");
        }

        Add(ref MemoryMarshal.GetReference(from), ref Unsafe.NullRef<double>(), ref MemoryMarshal.GetReference(to), from.Length);
    }

    /// <summary>
    /// From window sums S: w[i] = s^-beta and S[i] = s^-beta / s (<paramref name="reciprocalOnly"/> false) or 1 / s (true),
    /// with s = k + a * S[i]. The powers are computed as <see cref="Powers"/> computes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PowersAndQuotients(Span<double> sums, Span<double> w, double k, double a, double beta, bool reciprocalOnly)
    {
        if (w.Length < sums.Length)
        {
            throw new ArgumentException("w must be at least as long as sums");
        }

        ref double rs = ref MemoryMarshal.GetReference(sums);
        ref double rw = ref MemoryMarshal.GetReference(w);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vk = new Vector<double>(k);
            var va = new Vector<double>(a);
            for (; i <= sums.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<double> s = vk + (va * Vector.LoadUnsafe(ref rs, (nuint)i));
                Vector<double> power = VectorPower(s, beta);
                power.StoreUnsafe(ref rw, (nuint)i);
                ((reciprocalOnly ? Vector<double>.One : power) / s).StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < sums.Length; i++)
        {
            double s = k + (a * sums[i]);
            double power = Power.Negative(s, beta);
            w[i] = power;
            sums[i] = (reciprocalOnly ? 1.0 : power) / s;
        }
    }

    /// <summary>
    /// s[i] = (k + a * s[i])^-beta: window sums to powers, on whole vectors through <see cref="VectorPower"/> (for beta
    /// 0.75, 0.5 and 1 the operations, so the bits, of <see cref="Power.Negative"/>), the tail through Power.Negative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Powers(Span<double> s, double k, double a, double beta)
    {
        ref double rs = ref MemoryMarshal.GetReference(s);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vk = new Vector<double>(k);
            var va = new Vector<double>(a);
            for (; i <= s.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                VectorPower(vk + (va * Vector.LoadUnsafe(ref rs, (nuint)i)), beta).StoreUnsafe(ref rs, (nuint)i);
            }
        }

        for (; i < s.Length; i++)
        {
            s[i] = Power.Negative(k + (a * s[i]), beta);
        }
    }

    /// <summary>
    /// <see cref="Power.Negative"/> on a vector: for beta 0.75, 0.5 and 1 the same operations, so the same bits; for
    /// other exponents <see cref="Vector256Kernel.Float64Power"/> (or its other widths), within a few ulps of Math.Pow,
    /// and Math.Pow lane by lane where it declines (s zero, subnormal, infinite, negative or NaN, or a power out of the
    /// normal range). With Math.Pow lane by lane for every other exponent, beta 0.6 took 4x as long as 0.75 (AlexNet
    /// norm1 [8,96,55,55], float64, two threads: 33 ms against 8.7, Zen 2 EPYC, 2026-11-28).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> VectorPower(Vector<double> s, double beta)
    {
        if (beta == 0.75)
        {
            Vector<double> root = Vector.SquareRoot(s);
            return Vector<double>.One / (root * Vector.SquareRoot(root));
        }

        if (beta == 0.5)
        {
            return Vector<double>.One / Vector.SquareRoot(s);
        }

        if (beta == 1.0)
        {
            return Vector<double>.One / s;
        }

        return beta == 0.0 ? Vector<double>.One : OtherPower(s, beta);
    }

    /// <summary>The other exponents of <see cref="VectorPower"/>, out of line, at the width of <see cref="Vector{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<double> OtherPower(Vector<double> s, double beta)
    {
        if (Vector<double>.Count == Vector256<double>.Count)
        {
            return Vector256Kernel.Float64PowerOrMathPow(s.AsVector256(), beta).AsVector();
        }

        return Vector<double>.Count == Vector128<double>.Count
            ? Vector128Kernel.Float64PowerOrMathPow(s.AsVector128(), beta).AsVector()
            : Vector512Kernel.Float64PowerOrMathPow(s.AsVector512(), beta).AsVector();
    }
}
