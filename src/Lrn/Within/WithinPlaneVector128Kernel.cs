// Strategy: the within-channel forward for the common case, channels-first with two spatial axes [N, C, H, W] and a
// window of at most WithinPlaneKernel.DirectWindowMax positions per axis. One work item is one (batch, channel)
// plane. The box sum of squares is separable and summed directly, never with running add/subtract sums (SPEC.md
// section 6): the squares go to a plane Z in scratch; for each output row h the rows Z[h-lo .. h+hi] (clipped) are
// added as vectors into a row R padded with zeros on both sides, and the sum at w is R[w] + ... + R[w+n-1] from
// unaligned loads. The sums of every lane take the same operations in the same order whatever its position, so a
// row's last partial vector is done as one whole vector overlapping the one before it (its x loaded before that one's
// y is stored: in place works); the
// power of a general exponent may depend on the vector a lane falls in (a vector with a lane Float64Power declines
// goes to Math.Pow whole; scalar tails take Math.Pow). Results are the same for any thread count (items, and so
// vectors, are fixed by the shape alone).
// Arithmetic: float64 data in float64 (s^-beta by square roots and a division for beta 0.5, 0.75 and 1, as
// Power.Negative does it, Vector128Kernel.Float64Power otherwise). float32 data, for the SIMD kernel kinds only and
// beta up to LrnPlan.Float32MaxBeta, in float32 when every value of the plane lies in the plane's float32 range
// (Float32Range below, the reasoning of LrnPlan.Float32Range with n^2 terms): reciprocal square root estimates
// (Estimates) for beta 0.5 and 0.75, a division for 1, the binomial series near k or the float64 power otherwise;
// within Tolerance.Float32ArithmeticUlps of n^2 terms. A plane with a value out of that range (huge, tiny, NaN,
// infinite), float32 data under the scalar kind, and planes narrower than one vector are computed in float64 (exactly
// as the block-sum kernel's bound, 1 float32 ulp).
// float32 layout: the squares' rows are padded with zeros to whole, vector-aligned rows (aligned vertical sums), and for
// n = 3 and 5 the row sums at vector boundaries shift three aligned vectors in registers (Lanes.Slide: AVX-512
// valignd, AVX2 vperm2f128 and vpalignr, SSSE3 palignr) instead of n unaligned loads, adding the terms in the same order.
// Instruction set: System.Runtime.Intrinsics.Vector128, used only where it is accelerated; WithinPlaneKernel picks
// the width. WithinPlaneVector256Kernel and WithinPlaneVector128Kernel are this file with other aliases: keep the three
// identical line by line apart from the aliases and the names.
// Backward: the same shapes, in float64 arithmetic, the box sums of the squares and then of t = dy y / s over the
// mirrored window, each as the forward's (Float64Plane.Backward).
// Limits: scratch of about H x W doubles per item (ScratchLength; two planes for the backward); other ranks,
// channels-last and wider windows keep the block-sum kernel (WithinBlockSumKernel).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Lrn.Kernels;
using Vec = System.Runtime.Intrinsics.Vector128;
using VD = System.Runtime.Intrinsics.Vector128<double>;
using VF = System.Runtime.Intrinsics.Vector128<float>;

namespace Lrn.Within;

/// <summary>Direct separable box sums, one (batch, channel) plane per work item, in Vector128; see the header of this file.</summary>
internal static unsafe class WithinPlaneVector128Kernel
{
    /// <summary>Whether this kernel computes the forward of <paramref name="plan"/>.</summary>
    public static bool Handles(WithinPlan plan) =>
        Vec.IsHardwareAccelerated
        && plan.Layout == LrnLayout.ChannelsFirst
        && plan.SpatialAxes == 2
        && plan.ClippedLo[0] + plan.ClippedHi[0] + 1 <= WithinPlaneKernel.DirectWindowMax
        && plan.ClippedLo[1] + plan.ClippedHi[1] + 1 <= WithinPlaneKernel.DirectWindowMax
        && ScratchLength(plan) <= Array.MaxLength;

    /// <summary>
    /// Doubles of scratch per item: in float64, the plane of squares and the padded row R; in float32, the same with
    /// rows of <see cref="Float32Stride"/> floats, one more row for R, and a vector of floats to align the base.
    /// </summary>
    public static long ScratchLength(WithinPlan plan)
    {
        long float64 = plan.Positions + plan.Dims[1] + plan.ClippedLo[1] + plan.ClippedHi[1];
        long float32Floats = ((plan.Dims[0] + 1L) * Float32Stride(plan.Dims[1], plan.ClippedHi[1])) + (3L * VF.Count);
        return Math.Max(float64, (float32Floats + 1) / 2);
    }

    /// <summary>
    /// Floats per row of the float32 plane of squares: W and the right padding, rounded up to whole vectors, so rows
    /// start on vector boundaries and every column past W is a zero (the right padding of the sums R).
    /// </summary>
    private static long Float32Stride(int width, int right) => (width + right + VF.Count - 1L) / VF.Count * VF.Count;

    /// <summary>
    /// y = x s^-beta for every plane. <paramref name="float32Arithmetic"/>: whether float32 data may be computed in
    /// float32 (the SIMD kernel kinds) where its values allow.
    /// </summary>
    public static void Forward<T>(WithinPlan plan, T* x, T* y, bool float32Arithmetic, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var op = new ForwardItem<T>(new Geometry(plan, float32Arithmetic && typeof(T) == typeof(float)), x, y);
        WorkItems.Run(op, (long)plan.Batch * plan.Channels, (int)ScratchLength(plan), maxDegreeOfParallelism);
    }

    /// <summary>Whether this kernel computes the backward of <paramref name="plan"/>: the forward's shapes, with <see cref="BackwardScratchLength"/>.</summary>
    public static bool HandlesBackward(WithinPlan plan) => Handles(plan) && BackwardScratchLength(plan) <= Array.MaxLength;

    /// <summary>Doubles of scratch per item for the backward: two planes and the padded row R.</summary>
    public static long BackwardScratchLength(WithinPlan plan) =>
        (2 * plan.Positions) + plan.Dims[1] + plan.ClippedLo[1] + plan.ClippedHi[1];

    /// <summary>dx for every plane, in float64 arithmetic (<see cref="Float64Plane.Backward"/>); <paramref name="y"/> may be null (recomputed).</summary>
    public static void Backward<T>(WithinPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var op = new BackwardItem<T>(new Geometry(plan, false), x, y, dy, dx);
        WorkItems.Run(op, (long)plan.Batch * plan.Channels, (int)BackwardScratchLength(plan), maxDegreeOfParallelism);
    }

    /// <summary>The plane's shape, window and coefficients, fixed per call.</summary>
    private readonly struct Geometry
    {
        public Geometry(WithinPlan plan, bool float32)
        {
            Height = plan.Dims[0];
            Width = plan.Dims[1];
            Above = plan.ClippedLo[0];
            Below = plan.ClippedHi[0];
            Left = plan.ClippedLo[1];
            Right = plan.ClippedHi[1];
            K = plan.K;
            A = plan.A;
            Beta = plan.Beta;
            Positions = plan.Positions;
            int terms = (Above + Below + 1) * (Left + Right + 1);
            // Exponents above LrnPlan.Float32MaxBeta take s^-beta of s in [2^-100, 2^101] out of float32's normal
            // range (found in review: beta 1.5, k = 0 gave infinity where the float64 reference gives 1e27), as
            // across channels: those planes stay in float64.
            bool float32Allowed = float32 && Width >= VF.Count && Beta <= LrnPlan.Float32MaxBeta;
            (Float32, MinAbs, MaxAbs) = float32Allowed ? Float32Range(terms, A, K) : (false, 0f, 0f);
            Near = NearSeries.For(K, Beta, Float32);
            Stride = (int)Float32Stride(Width, Right);
        }

        public int Height { get; }

        public int Width { get; }

        public int Above { get; }

        public int Below { get; }

        public int Left { get; }

        public int Right { get; }

        public double K { get; }

        public double A { get; }

        public double Beta { get; }

        public long Positions { get; }

        /// <summary>Whether float32 planes may be computed in float32 (then each plane is checked against the range).</summary>
        public bool Float32 { get; }

        public float MinAbs { get; }

        public float MaxAbs { get; }

        /// <summary>
        /// s^-beta near k in float32 for exponents other than 0.5, 0.75 and 1 up to <see cref="LrnPlan.Float32MaxBeta"/>,
        /// as the across-channel kernels take it (their Block.NearNegativePower); serves none without float32 arithmetic.
        /// </summary>
        public NearSeries Near { get; }

        /// <summary>Floats per row of the float32 plane of squares (see <see cref="Float32Stride"/>).</summary>
        public int Stride { get; }

        /// <summary>The padded row R's length: Left zeros, W sums, Right zeros.</summary>
        public int PaddedWidth => Left + Width + Right;
    }

    /// <summary>
    /// The range of |x| within which float32 arithmetic keeps every square, window sum of <paramref name="terms"/>
    /// squares and s a normal float32 with full relative precision (the reasoning of LrnPlan.Float32Range): sums stay
    /// below 2^100 / max(a, 1), so a * sum and s stay below 2^101; and either k is large enough that denormal squares
    /// are negligible against it (below 2^-40 of k) or every nonzero square and a times it stay above 2^-100.
    /// </summary>
    private static (bool Allowed, float MinAbs, float MaxAbs) Float32Range(int terms, double a, double k)
    {
        double top = Math.ScaleB(1, 100);
        double bottom = Math.ScaleB(1, -100);
        bool allowed = k < top && (k == 0 || k >= bottom) && a <= top && (a == 0 || a >= bottom) && (k > 0 || a > 0);
        if (!allowed)
        {
            return (false, 0, 0);
        }

        float maxAbs = (float)Math.Sqrt(top / (terms * Math.Max(a, 1)));
        double denormalError = a * terms * Math.ScaleB(1, -149);
        float minAbs = k >= bottom && denormalError <= k * Math.ScaleB(1, -40)
            ? 0
            : (float)Math.Sqrt(bottom / Math.Min(Math.Max(a, bottom), 1));
        return (true, minAbs, maxAbs);
    }

    private readonly struct ForwardItem<T>(Geometry g, T* x, T* y) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            long origin = item * g.Positions;
            fixed (double* s = scratch)
            {
                if (typeof(T) == typeof(float))
                {
                    if (g.Float32 && Float32Plane.TryForward(g, (float*)x + origin, (float*)y + origin, (float*)s))
                    {
                        return;
                    }

                    Float64Plane.ForwardFromFloat(g, (float*)x + origin, (float*)y + origin, s);
                }
                else
                {
                    Float64Plane.Forward(g, (double*)x + origin, (double*)y + origin, s);
                }
            }
        }
    }

    private readonly struct BackwardItem<T>(Geometry g, T* x, T* y, T* dy, T* dx) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            long origin = item * g.Positions;
            fixed (double* s = scratch)
            {
                Float64Plane.Backward(g, x + origin, y == null ? null : y + origin, dy + origin, dx + origin, s);
            }
        }
    }

    /// <summary>The plane in float32 arithmetic.</summary>
    private static class Float32Plane
    {
        /// <summary>Returns false, having written nothing, when a value of the plane lies outside the float32 range.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static bool TryForward(in Geometry g, float* x, float* y, float* scratch)
        {
            int width = g.Width;
            int height = g.Height;
            int stride = g.Stride;
            int count = VF.Count;
            int last = width - count;
            int whole = width - (width % count);

            // Z: rows of stride floats from a vector boundary; R: Left zeros, then its sums from the next boundary.
            float* z = (float*)(((nuint)scratch + (nuint)(count * sizeof(float)) - 1) & ~(nuint)((count * sizeof(float)) - 1));
            float* rw = z + ((long)height * stride) + count;
            float* r = rw - g.Left;

            // Z = x^2 and zeros past W, checking the range on the way (NaN fails every comparison). Width >= count: a
            // partial last vector is stored over the zeros, overlapping the whole vector before it.
            VF min = Vec.Create(g.MinAbs);
            VF max = Vec.Create(g.MaxAbs);
            VF inRange = VF.AllBitsSet;
            bool checkMin = g.MinAbs > 0;
            for (int h = 0; h < height; h++)
            {
                float* xh = x + ((long)h * width);
                float* zh = z + ((long)h * stride);
                for (int w = 0; w < stride; w += count)
                {
                    if (w < whole)
                    {
                        VF v = Vec.Load(xh + w);
                        inRange &= InRange(v, min, max, checkMin);
                        Vec.Store(v * v, zh + w);
                    }
                    else
                    {
                        Vec.Store(VF.Zero, zh + w);
                    }
                }

                if (whole < width)
                {
                    VF v = Vec.Load(xh + last);
                    inRange &= InRange(v, min, max, checkMin);
                    Vec.Store(v * v, zh + last);
                }
            }

            // Compared as integers: all-bits-set is a NaN as a float, and NaN never equals itself.
            if (!Vec.EqualsAll(inRange.AsInt32(), Vec.Create(-1)))
            {
                return false;
            }

            int across = g.Left + g.Right + 1;

            // The vector before R's sums is zero: the Left padding, and what the shifted sums read below it.
            Vec.StoreAligned(VF.Zero, rw - count);
            int shifted = Lanes.Supported(VF.Zero) && g.Left == g.Right && g.Left is 1 or 2 ? g.Left : 0;
            VF k = Vec.Create((float)g.K);
            VF a = Vec.Create((float)g.A);
            double beta = g.Beta;
            NearSeries near = g.Near;
            for (int h = 0; h < height; h++)
            {
                // R = the rows of Z in [h - above, h + below], clipped, added in order; columns past W stay 0.
                int first = Math.Max(0, h - g.Above);
                int rows = Math.Min(height, h + g.Below + 1) - first;
                float* z0 = z + ((long)first * stride);
                for (int w = 0; w < stride; w += count)
                {
                    float* zr = z0 + w;
                    VF sum = Vec.LoadAligned(zr);
                    for (int m = 1; m < rows; m++)
                    {
                        zr += stride;
                        sum += Vec.LoadAligned(zr);
                    }

                    Vec.StoreAligned(sum, rw + w);
                }

                // y = x (k + a (R[w] + ... + R[w + n - 1]))^-beta. The last vector's x is loaded before the others'
                // y is stored, since it overlaps them and y may be x.
                float* xh = x + ((long)h * width);
                float* yh = y + ((long)h * width);
                VF xLast = Vec.Load(xh + last);
                for (int w = 0; w < last; w += count)
                {
                    VF sum = shifted == 2 ? Across5(rw + w) : shifted == 1 ? Across3(rw + w) : Across(r + w, across);
                    Vec.Store(Vec.Load(xh + w) * Power(beta, near, Vec.FusedMultiplyAdd(a, sum, k)), yh + w);
                }

                Vec.Store(xLast * Power(beta, near, Vec.FusedMultiplyAdd(a, Across(r + last, across), k)), yh + last);
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF InRange(VF v, VF min, VF max, bool checkMin)
        {
            VF magnitude = Vec.Abs(v);
            VF inRange = Vec.LessThanOrEqual(magnitude, max);
            return checkMin ? inRange & (Vec.GreaterThanOrEqual(magnitude, min) | Vec.Equals(v, VF.Zero)) : inRange;
        }

        /// <summary>
        /// The sums of 5 (Left = Right = 2) at the vector boundary <paramref name="at"/> of R's sums, from three aligned
        /// vectors shifted in registers (<see cref="Lanes"/>: AVX-512 valignd, AVX2 vperm2f128 and vpalignr) rather than
        /// unaligned loads, added in the same order as <see cref="Across"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF Across5(float* at)
        {
            VF before = Vec.LoadAligned(at - VF.Count);
            VF here = Vec.LoadAligned(at);
            VF after = Vec.LoadAligned(at + VF.Count);
            VF sum = Lanes.SlideBack(before, here, 2);
            sum += Lanes.SlideBack(before, here, 1);
            sum += here;
            sum += Lanes.Slide(here, after, 1);
            return sum + Lanes.Slide(here, after, 2);
        }

        /// <summary>The sums of 3 (Left = Right = 1), as <see cref="Across5"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF Across3(float* at)
        {
            VF before = Vec.LoadAligned(at - VF.Count);
            VF here = Vec.LoadAligned(at);
            VF after = Vec.LoadAligned(at + VF.Count);
            VF sum = Lanes.SlideBack(before, here, 1);
            sum += here;
            return sum + Lanes.Slide(here, after, 1);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF Across(float* r, int across)
        {
            VF sum = Vec.Load(r);
            for (int d = 1; d < across; d++)
            {
                sum += Vec.Load(r + d);
            }

            return sum;
        }

        /// <summary>
        /// s^-beta in float32: estimates refined by Newton steps for 0.5 and 0.75, a division for 1; other exponents
        /// from the binomial series near k where every lane's s lies within its reach (<see cref="Geometry.Near"/>),
        /// else the float64 power.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF Power(double beta, in NearSeries near, VF s)
        {
            if (beta == 0.75)
            {
                VF r = Estimates.ReciprocalSqrt(s);
                return r * Vec.Sqrt(r);
            }

            if (beta == 0.5)
            {
                return Estimates.ReciprocalSqrt(s);
            }

            if (beta == 1.0)
            {
                return VF.One / s;
            }

            if (beta == 0.0)
            {
                return VF.One;
            }

            if (Vec.LessThanOrEqualAll(s, Vec.Create(near.Limit)))
            {
                // k <= s <= k (1 + 1/16): (k + t)^-beta to degree 6 in t = s - k (exact), as across channels.
                VF t = s - Vec.Create(near.K);
                VF p = Vec.FusedMultiplyAdd(Vec.Create(near.C6), t, Vec.Create(near.C5));
                p = Vec.FusedMultiplyAdd(p, t, Vec.Create(near.C4));
                p = Vec.FusedMultiplyAdd(p, t, Vec.Create(near.C3));
                p = Vec.FusedMultiplyAdd(p, t, Vec.Create(near.C2));
                p = Vec.FusedMultiplyAdd(p, t, Vec.Create(near.C1));
                return Vec.FusedMultiplyAdd(p, t, Vec.Create(near.C0));
            }

            // Beyond it, the float64 power of both halves, far more precise than float32 needs: in Vector256 on a Zen 2
            // EPYC it took AlexNet norm1 beta 0.6 from 11.1 ms with the runtime's Exp(Log(s) * -beta) to 7.5-8.1 (two
            // threads, 2026-11-28).
            (VD lower, VD upper) = Vec.Widen(s);
            Vector128Kernel.Float64PowerPairOrMathPow(lower, upper, beta, out VD powerLower, out VD powerUpper);
            return Vec.Narrow(powerLower, powerUpper);
        }
    }

    /// <summary>The plane in float64 arithmetic.</summary>
    private static class Float64Plane
    {
        /// <summary>float64 data: vectors where the row holds at least one, else element by element.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(in Geometry g, double* x, double* y, double* scratch)
        {
            long positions = g.Positions;
            double* z = scratch;
            for (long i = 0; i < positions; i++)
            {
                z[i] = x[i] * x[i];
            }

            if (g.Width >= VD.Count)
            {
                VectorRows(g, x, y, scratch);
            }
            else
            {
                ScalarRows(g, x, y, scratch);
            }
        }

        /// <summary>float32 data in float64: exact squares, and y rounded once.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ForwardFromFloat(in Geometry g, float* x, float* y, double* scratch)
        {
            long positions = g.Positions;
            double* z = scratch;
            for (long i = 0; i < positions; i++)
            {
                double v = x[i];
                z[i] = v * v;
            }

            ScalarRows(g, x, y, scratch);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void VectorRows(in Geometry g, double* x, double* y, double* scratch)
        {
            int width = g.Width;
            int height = g.Height;
            double* z = scratch;
            double* r = scratch + g.Positions;
            int count = VD.Count;
            int last = width - count;
            int across = g.Left + g.Right + 1;
            new Span<double>(r, g.Left).Clear();
            new Span<double>(r + g.Left + width, g.Right).Clear();
            double* rw = r + g.Left;
            VD k = Vec.Create(g.K);
            VD a = Vec.Create(g.A);
            for (int h = 0; h < height; h++)
            {
                VerticalRow(g, z, rw, h);
                double* xh = x + ((long)h * width);
                double* yh = y + ((long)h * width);
                VD xLast = Vec.Load(xh + last);
                int w = 0;
                for (; w + count < last; w += 2 * count)
                {
                    Powers(g.Beta, k + (a * Across(r + w, across)), k + (a * Across(r + w + count, across)), out VD p0, out VD p1);
                    Vec.Store(Vec.Load(xh + w) * p0, yh + w);
                    Vec.Store(Vec.Load(xh + w + count) * p1, yh + w + count);
                }

                if (w < last)
                {
                    Vec.Store(Vec.Load(xh + w) * Power(g.Beta, k + (a * Across(r + w, across))), yh + w);
                }

                Vec.Store(xLast * Power(g.Beta, k + (a * Across(r + last, across))), yh + last);
            }
        }

        /// <summary>Rows narrower than a vector, or float32 data: R by vectors where it can, the rest element by element.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScalarRows<T>(in Geometry g, T* x, T* y, double* scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int width = g.Width;
            int height = g.Height;
            double* z = scratch;
            double* r = scratch + g.Positions;
            int across = g.Left + g.Right + 1;
            new Span<double>(r, g.Left).Clear();
            new Span<double>(r + g.Left + width, g.Right).Clear();
            double* rw = r + g.Left;
            for (int h = 0; h < height; h++)
            {
                VerticalRow(g, z, rw, h);
                T* xh = x + ((long)h * width);
                T* yh = y + ((long)h * width);
                for (int w = 0; w < width; w++)
                {
                    double sum = r[w];
                    for (int d = 1; d < across; d++)
                    {
                        sum += r[w + d];
                    }

                    yh[w] = Num.FromDouble<T>(Num.ToDouble(xh[w]) * Kernels.Power.Negative(g.K + (g.A * sum), g.Beta));
                }
            }
        }

        /// <summary>R[w] = the sum of Z's rows [h - above, h + below], clipped, in order, for w in [0, W).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void VerticalRow(in Geometry g, double* z, double* rw, int h) =>
            VerticalRow(z, rw, g.Width, g.Height, h - g.Above, h + g.Below + 1);

        /// <summary>R[w] = the sum of Z's rows [from, to), clipped to the plane's height, in order, for w in [0, width).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void VerticalRow(double* z, double* rw, int width, int height, int from, int to)
        {
            int first = Math.Max(0, from);
            int end = Math.Min(height, to);
            double* z0 = z + ((long)first * width);
            int w = 0;
            for (; w <= width - VD.Count; w += VD.Count)
            {
                VD sum = Vec.Load(z0 + w);
                double* zr = z0 + w;
                for (int m = first + 1; m < end; m++)
                {
                    zr += width;
                    sum += Vec.Load(zr);
                }

                Vec.Store(sum, rw + w);
            }

            for (; w < width; w++)
            {
                double sum = z0[w];
                double* zr = z0 + w;
                for (int m = first + 1; m < end; m++)
                {
                    zr += width;
                    sum += *zr;
                }

                rw[w] = sum;
            }
        }

        /// <summary>
        /// The backward of one plane in float64 arithmetic, the reference's formula: dx = dy s^-beta - 2 a beta x U, U
        /// the sum of t = dy y / s (y given, else x s^-beta) over the mirrored window (rows [h - below, h + above],
        /// columns [w - right, w + left]: the positions whose window holds this one). Plane A holds the squares, plane B
        /// their box sums S; then, position by position, B becomes s^-beta and A becomes t; then U row by row from A's
        /// rows as the forward sums S (a padded row R, vectors of R added across), and dx. Vectors of two float64
        /// halves where a row holds one (float32 data widened and narrowed), scalar tails.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Backward<T>(in Geometry g, T* x, T* y, T* dy, T* dx, double* scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            long positions = g.Positions;
            int width = g.Width;
            int height = g.Height;
            int across = g.Left + g.Right + 1;
            int step = 2 * VD.Count;
            double* planeA = scratch;
            double* planeB = scratch + positions;
            double* r = planeB + positions;
            long i = 0;
            for (; i <= positions - step; i += step)
            {
                Vector128Kernel.Load2(x + i, out VD x0, out VD x1);
                Vec.Store(x0 * x0, planeA + i);
                Vec.Store(x1 * x1, planeA + i + VD.Count);
            }

            for (; i < positions; i++)
            {
                double v = Num.ToDouble(x[i]);
                planeA[i] = v * v;
            }

            // S into B: R is Left zeros, the row's vertical sums, Right zeros.
            new Span<double>(r, g.Left).Clear();
            new Span<double>(r + g.Left + width, g.Right).Clear();
            for (int h = 0; h < height; h++)
            {
                VerticalRow(planeA, r + g.Left, width, height, h - g.Above, h + g.Below + 1);
                double* sh = planeB + ((long)h * width);
                int w = 0;
                for (; w <= width - VD.Count; w += VD.Count)
                {
                    Vec.Store(Across(r + w, across), sh + w);
                }

                for (; w < width; w++)
                {
                    sh[w] = AcrossOne(r + w, across);
                }
            }

            // B = s^-beta, A = t.
            VD k = Vec.Create(g.K);
            VD a = Vec.Create(g.A);
            long at = 0;
            for (; at <= positions - step; at += step)
            {
                VD s0 = k + (a * Vec.Load(planeB + at));
                VD s1 = k + (a * Vec.Load(planeB + at + VD.Count));
                VD reciprocal0 = VD.One / s0;
                VD reciprocal1 = VD.One / s1;
                PowersFromReciprocals(g.Beta, s0, s1, reciprocal0, reciprocal1, out VD p0, out VD p1);
                Vector128Kernel.Load2(dy + at, out VD g0, out VD g1);
                VD y0, y1;
                if (y != null)
                {
                    Vector128Kernel.Load2(y + at, out y0, out y1);
                }
                else
                {
                    Vector128Kernel.Load2(x + at, out VD x0, out VD x1);
                    y0 = x0 * p0;
                    y1 = x1 * p1;
                }

                Vec.Store(g0 * y0 * reciprocal0, planeA + at);
                Vec.Store(g1 * y1 * reciprocal1, planeA + at + VD.Count);
                Vec.Store(p0, planeB + at);
                Vec.Store(p1, planeB + at + VD.Count);
            }

            for (; at < positions; at++)
            {
                double s = g.K + (g.A * planeB[at]);
                double p = Kernels.Power.Negative(s, g.Beta);
                double yp = y != null ? Num.ToDouble(y[at]) : Num.ToDouble(x[at]) * p;
                planeA[at] = Num.ToDouble(dy[at]) * yp / s;
                planeB[at] = p;
            }

            // U and dx row by row: R is Right zeros, the vertical sums of t over the mirrored rows, Left zeros.
            new Span<double>(r, g.Right).Clear();
            new Span<double>(r + g.Right + width, g.Left).Clear();
            double twoABeta = 2 * g.A * g.Beta;
            VD twoABetaV = Vec.Create(twoABeta);
            for (int h = 0; h < height; h++)
            {
                VerticalRow(planeA, r + g.Right, width, height, h - g.Below, h + g.Above + 1);
                long row = (long)h * width;
                int w = 0;
                for (; w <= width - step; w += step)
                {
                    VD u0 = Across(r + w, across);
                    VD u1 = Across(r + w + VD.Count, across);
                    Vector128Kernel.Load2(x + row + w, out VD x0, out VD x1);
                    Vector128Kernel.Load2(dy + row + w, out VD g0, out VD g1);
                    VD p0 = Vec.Load(planeB + row + w);
                    VD p1 = Vec.Load(planeB + row + w + VD.Count);
                    Vector128Kernel.Store2(dx + row + w, (g0 * p0) - (twoABetaV * x0 * u0), (g1 * p1) - (twoABetaV * x1 * u1));
                }

                for (; w < width; w++)
                {
                    double u = AcrossOne(r + w, across);
                    dx[row + w] = Num.FromDouble<T>((Num.ToDouble(dy[row + w]) * planeB[row + w]) - (twoABeta * Num.ToDouble(x[row + w]) * u));
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double AcrossOne(double* r, int across)
        {
            double sum = r[0];
            for (int d = 1; d < across; d++)
            {
                sum += r[d];
            }

            return sum;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VD Across(double* r, int across)
        {
            VD sum = Vec.Load(r);
            for (int d = 1; d < across; d++)
            {
                sum += Vec.Load(r + d);
            }

            return sum;
        }

        /// <summary>
        /// s^-beta of two vectors whose 1/s the caller has: for 0.5, 0.75 and 1 from 1/s by square roots (one division
        /// for both the power and 1/s, about two float64 ulps; the across-channel backward's way), else
        /// <see cref="Powers"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PowersFromReciprocals(double beta, VD s0, VD s1, VD reciprocal0, VD reciprocal1, out VD p0, out VD p1)
        {
            if (beta == 0.75)
            {
                VD root0 = Vec.Sqrt(reciprocal0);
                VD root1 = Vec.Sqrt(reciprocal1);
                (p0, p1) = (root0 * Vec.Sqrt(root0), root1 * Vec.Sqrt(root1));
            }
            else if (beta == 0.5)
            {
                (p0, p1) = (Vec.Sqrt(reciprocal0), Vec.Sqrt(reciprocal1));
            }
            else if (beta == 1.0)
            {
                (p0, p1) = (reciprocal0, reciprocal1);
            }
            else
            {
                Powers(beta, s0, s1, out p0, out p1);
            }
        }

        /// <summary>
        /// <see cref="Power"/> of two vectors: other exponents through <see cref="Vector128Kernel.Float64PowerPair"/>,
        /// whose two chains of dependent instructions overlap (each vector the bits of <see cref="Power"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Powers(double beta, VD s0, VD s1, out VD p0, out VD p1)
        {
            if (beta is 0.75 or 0.5 or 1.0)
            {
                p0 = Power(beta, s0);
                p1 = Power(beta, s1);
                return;
            }

            Vector128Kernel.Float64PowerPairOrMathPow(s0, s1, beta, out p0, out p1);
        }

        /// <summary>
        /// s^-beta as <see cref="Kernels.Power.Negative"/> computes it (for beta 0.5, 0.75 and 1 the same bits), other
        /// exponents through <see cref="Vector128Kernel.Float64Power"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VD Power(double beta, VD s)
        {
            if (beta == 0.75)
            {
                VD root = Vec.Sqrt(s);
                return VD.One / (root * Vec.Sqrt(root));
            }

            if (beta == 0.5)
            {
                return VD.One / Vec.Sqrt(s);
            }

            if (beta == 1.0)
            {
                return VD.One / s;
            }

            // Other exponents: the across-channel kernels' vector power, within a few ulps of Math.Pow (not its bits:
            // the scalar positions of a plane take Power.Negative), and Math.Pow lane by lane where it declines.
            return Vector128Kernel.Float64PowerOrMathPow(s, beta);
        }
    }
}
