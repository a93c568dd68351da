// Strategy: the scalar kernel's van Herk / Gil-Werman block sums (see ScalarKernel), run on blocks of B spatial
// positions at once, B = two float64 vectors. Channels-first rows are contiguous, so a block is read and written
// with vector loads; channels-last (inner size 1) gathers B channel vectors into lane-major scratch, runs the same
// block code, and scatters the result back.
// Instruction set: System.Runtime.Intrinsics.Vector512 (AVX-512 here); the arithmetic is float64 whatever the
// storage, so results match the scalar kernel's accuracy (float32 within 1 ulp of the reference).
// Tails: positions left over after whole blocks (and channels-last groups of fewer than B vectors) go through
// ScalarKernel.ForwardLanes / BackwardLanes.
// Limits: none beyond the plan's. Vector256Kernel and Vector128Kernel are this file with other aliases: keep the
// three identical line by line apart from the aliases, the names and this header's instruction set.
using System.Numerics;
using System.Runtime.CompilerServices;
using Vec = System.Runtime.Intrinsics.Vector512;
using VD = System.Runtime.Intrinsics.Vector512<double>;

namespace Lrn.Kernels;

/// <summary>Block sums on Vector512 lanes; see the header of this file.</summary>
internal sealed unsafe class Vector512Kernel : LrnKernel
{
    public override string Name => "vector512";

    public override LrnKernelKind Kind => LrnKernelKind.Vector512;

    public override bool IsSupported => Vec.IsHardwareAccelerated;

    /// <summary>Lanes per block: two float64 vectors, which is one float32 vector.</summary>
    private static int B => 2 * VD.Count;

    public override void Forward<T>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism) =>
        WorkItems.Run(new ForwardItem<T>(plan, x, y), plan.ItemCount, ScratchLength(plan), maxDegreeOfParallelism);

    public override void Backward<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism) =>
        WorkItems.Run(new BackwardItem<T>(plan, x, y, dy, dx), plan.ItemCount, ScratchLength(plan), maxDegreeOfParallelism);

    // Z, P, Q: padded rows; R: one row per channel; G: four gathered channel-last tensors (x, y, dy, dx), each C x B.
    private static int ScratchLength(in LrnPlan plan) =>
        Math.Max(ScalarKernel.ScratchLength(plan), ((3 * plan.PaddedLength) + (5 * plan.Channels)) * B);

    private readonly struct ForwardItem<T>(LrnPlan plan, T* x, T* y) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s);
                if (plan.Inner == 1)
                {
                    long o = o0;
                    for (; o + B <= o1; o += B)
                    {
                        T* gx = block.Gathered<T>(0);
                        T* gy = block.Gathered<T>(1);
                        Gather(plan, x + (o * plan.Channels), gx);
                        block.Forward(gx, gy, B);
                        Scatter(plan, gy, y + (o * plan.Channels));
                    }

                    for (; o < o1; o++)
                    {
                        ScalarKernel.ForwardLanes(plan, x, y, o, 0, 1, scratch);
                    }

                    return;
                }

                int lanes = (int)(i1 - i0);
                int bulk = lanes - (lanes % B);
                for (long o = o0; o < o1; o++)
                {
                    long vector = (o * plan.Channels * plan.Inner) + i0;
                    for (int l = 0; l < bulk; l += B)
                    {
                        block.Forward(x + vector + l, y + vector + l, (nint)plan.Inner);
                    }

                    if (bulk < lanes)
                    {
                        ScalarKernel.ForwardLanes(plan, x, y, o, i0 + bulk, lanes - bulk, scratch);
                    }
                }
            }
        }
    }

    private readonly struct BackwardItem<T>(LrnPlan plan, T* x, T* y, T* dy, T* dx) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s);
                if (plan.Inner == 1)
                {
                    long o = o0;
                    for (; o + B <= o1; o += B)
                    {
                        long at = o * plan.Channels;
                        T* gx = block.Gathered<T>(0);
                        T* gy = y == null ? null : block.Gathered<T>(1);
                        T* gdy = block.Gathered<T>(2);
                        T* gdx = block.Gathered<T>(3);
                        Gather(plan, x + at, gx);
                        if (y != null)
                        {
                            Gather(plan, y + at, gy);
                        }

                        Gather(plan, dy + at, gdy);
                        block.Backward(gx, gy, gdy, gdx, B);
                        Scatter(plan, gdx, dx + at);
                    }

                    for (; o < o1; o++)
                    {
                        ScalarKernel.BackwardLanes(plan, x, y, dy, dx, o, 0, 1, scratch);
                    }

                    return;
                }

                int lanes = (int)(i1 - i0);
                int bulk = lanes - (lanes % B);
                for (long o = o0; o < o1; o++)
                {
                    long vector = (o * plan.Channels * plan.Inner) + i0;
                    for (int l = 0; l < bulk; l += B)
                    {
                        long at = vector + l;
                        block.Backward(x + at, y == null ? null : y + at, dy + at, dx + at, (nint)plan.Inner);
                    }

                    if (bulk < lanes)
                    {
                        ScalarKernel.BackwardLanes(plan, x, y, dy, dx, o, i0 + bulk, lanes - bulk, scratch);
                    }
                }
            }
        }
    }

    /// <summary>Copies B channel vectors (contiguous, channels-last) into lane-major rows: row c holds channel c of each.</summary>
    private static void Gather<T>(in LrnPlan plan, T* source, T* rows)
        where T : unmanaged
    {
        int channels = plan.Channels;
        for (int l = 0; l < B; l++)
        {
            T* vector = source + (l * channels);
            for (int c = 0; c < channels; c++)
            {
                rows[(c * B) + l] = vector[c];
            }
        }
    }

    /// <summary>The inverse of <see cref="Gather"/>.</summary>
    private static void Scatter<T>(in LrnPlan plan, T* rows, T* destination)
        where T : unmanaged
    {
        int channels = plan.Channels;
        for (int l = 0; l < B; l++)
        {
            T* vector = destination + (l * channels);
            for (int c = 0; c < channels; c++)
            {
                vector[c] = rows[(c * B) + l];
            }
        }
    }

    /// <summary>
    /// One block of B lanes: channel c of lane 0 at <c>x + c * stride</c>. Scratch rows are B doubles: the padded
    /// rows Z (values to sum), P (prefix sums within each window-long block of rows) and Q (suffix sums).
    /// </summary>
    private readonly struct Block
    {
        private readonly LrnPlan _plan;
        private readonly double* _z;
        private readonly double* _p;
        private readonly double* _q;
        private readonly double* _r;
        private readonly double* _g;

        public Block(in LrnPlan plan, double* scratch)
        {
            _plan = plan;
            int rows = plan.PaddedLength * B;
            _z = scratch;
            _p = _z + rows;
            _q = _p + rows;
            _r = _q + rows;
            _g = _r + (plan.Channels * B);
        }

        /// <summary>Gathered tensor number <paramref name="index"/> (0..3) for channels-last, as C rows of B elements of T.</summary>
        public T* Gathered<T>(int index)
            where T : unmanaged => (T*)(_g + (index * _plan.Channels * B));

        public void Forward<T>(T* x, T* y, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LoadSquares(x, stride);
            PrefixAndSuffix();
            var k = Vec.Create(_plan.K);
            var a = Vec.Create(_plan.A);
            for (int c = 0; c < _plan.Channels; c++)
            {
                Window(c, out VD s0, out VD s1);
                VD p0 = NegativePower(k + (a * s0));
                VD p1 = NegativePower(k + (a * s1));
                Load2(x + (c * stride), out VD x0, out VD x1);
                Store2(y + (c * stride), x0 * p0, x1 * p1);
            }
        }

        public void Backward<T>(T* x, T* y, T* dy, T* dx, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LoadSquares(x, stride);
            PrefixAndSuffix();
            var k = Vec.Create(_plan.K);
            var a = Vec.Create(_plan.A);
            int channels = _plan.Channels;
            int hi = _plan.Hi;

            // Pass 1: keep dy_c s_c^-beta in R; put t_c = dy_c y_c / s_c in Z, padded for the mirrored window
            // [j-hi, j+lo] (hi zero rows before, lo after). Z is free once P and Q are built.
            new Span<double>(_z, hi * B).Clear();
            new Span<double>(_z + ((hi + channels) * B), _plan.Lo * B).Clear();
            for (int c = 0; c < channels; c++)
            {
                Window(c, out VD s0, out VD s1);
                s0 = k + (a * s0);
                s1 = k + (a * s1);
                VD p0 = NegativePower(s0);
                VD p1 = NegativePower(s1);
                Load2(x + (c * stride), out VD x0, out VD x1);
                Load2(dy + (c * stride), out VD g0, out VD g1);
                VD y0, y1;
                if (y != null)
                {
                    Load2(y + (c * stride), out y0, out y1);
                }
                else
                {
                    y0 = x0 * p0;
                    y1 = x1 * p1;
                }

                double* r = _r + (c * B);
                Vec.Store(g0 * p0, r);
                Vec.Store(g1 * p1, r + VD.Count);
                double* t = _z + ((hi + c) * B);
                Vec.Store(g0 * y0 / s0, t);
                Vec.Store(g1 * y1 / s1, t + VD.Count);
            }

            // Pass 2: dx_j = dy_j s_j^-beta - 2 a beta x_j * (sum of t over the mirrored window).
            PrefixAndSuffix();
            var twoABeta = Vec.Create(2 * _plan.A * _plan.Beta);
            for (int j = 0; j < channels; j++)
            {
                Window(j, out VD w0, out VD w1);
                Load2(x + (j * stride), out VD x0, out VD x1);
                double* r = _r + (j * B);
                Store2(dx + (j * stride), Vec.Load(r) - (twoABeta * x0 * w0), Vec.Load(r + VD.Count) - (twoABeta * x1 * w1));
            }
        }

        /// <summary>Z = x^2 in float64 with lo zero rows before the channels and hi after.</summary>
        private void LoadSquares<T>(T* x, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int lo = _plan.Lo;
            new Span<double>(_z, lo * B).Clear();
            new Span<double>(_z + ((lo + _plan.Channels) * B), _plan.Hi * B).Clear();
            for (int c = 0; c < _plan.Channels; c++)
            {
                Load2(x + (c * stride), out VD x0, out VD x1);
                double* z = _z + ((lo + c) * B);
                Vec.Store(x0 * x0, z);
                Vec.Store(x1 * x1, z + VD.Count);
            }
        }

        /// <summary>P and Q of Z: sums within blocks of w rows, from each block's start (P) and to its end (Q).</summary>
        private void PrefixAndSuffix()
        {
            int length = _plan.PaddedLength;
            int w = _plan.Width;
            for (int m = 0; m < length; m++)
            {
                double* z = _z + (m * B);
                double* p = _p + (m * B);
                VD z0 = Vec.Load(z);
                VD z1 = Vec.Load(z + VD.Count);
                if (m % w != 0)
                {
                    z0 += Vec.Load(p - B);
                    z1 += Vec.Load(p - B + VD.Count);
                }

                Vec.Store(z0, p);
                Vec.Store(z1, p + VD.Count);
            }

            for (int m = length - 1; m >= 0; m--)
            {
                double* z = _z + (m * B);
                double* q = _q + (m * B);
                VD z0 = Vec.Load(z);
                VD z1 = Vec.Load(z + VD.Count);
                if (m != length - 1 && (m + 1) % w != 0)
                {
                    z0 += Vec.Load(q + B);
                    z1 += Vec.Load(q + B + VD.Count);
                }

                Vec.Store(z0, q);
                Vec.Store(z1, q + VD.Count);
            }
        }

        /// <summary>Z[m] + ... + Z[m+w-1] for both vectors of the block: one whole block (P at its end), or Q[m] + P[m+w-1].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Window(int m, out VD sum0, out VD sum1)
        {
            double* head = _p + ((m + _plan.Width - 1) * B);
            sum0 = Vec.Load(head);
            sum1 = Vec.Load(head + VD.Count);
            if (m % _plan.Width != 0)
            {
                double* tail = _q + (m * B);
                sum0 = Vec.Load(tail) + sum0;
                sum1 = Vec.Load(tail + VD.Count) + sum1;
            }
        }

        /// <summary>s^-beta, as <see cref="Power.Negative"/> does it, lane by lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VD NegativePower(VD s)
        {
            double beta = _plan.Beta;
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

            if (beta == 0.0)
            {
                return VD.One;
            }

            return Vec.Exp(Vec.Log(s) * Vec.Create(-beta));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load2<T>(T* source, out VD first, out VD second)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            (first, second) = Vec.Widen(Vec.Load((float*)source));
        }
        else
        {
            first = Vec.Load((double*)source);
            second = Vec.Load((double*)source + VD.Count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2<T>(T* destination, VD first, VD second)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vec.Store(Vec.Narrow(first, second), (float*)destination);
        }
        else
        {
            Vec.Store(first, (double*)destination);
            Vec.Store(second, (double*)destination + VD.Count);
        }
    }
}
