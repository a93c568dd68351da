// Strategy: the scalar kernel's van Herk / Gil-Werman block sums (see ScalarKernel), run on blocks of B spatial
// positions at once, B = two float64 vectors; windows of up to 16 channels are summed directly instead. The
// channels-first forward sums windows of at most two channels each side (n = 3, 4, 5) in one pass, in registers
// (float32 arithmetic out of place only), and its float32 arithmetic sums windows over 5 channels with block sums
// in one pass; out of place, on tensors that fit the caches, two float32 blocks go side by side, so that each visit
// to a channel's row reads a run of four vectors. Channels-first
// rows are contiguous, so a block is read and written with vector loads, and the run two blocks ahead in each row is
// prefetched; channels-last (inner size 1) sums windows of up to 16 channels along the contiguous channels (forward
// and backward; those of lo, hi <= 2 from lanes slid across neighbouring vectors, with AVX-512), and for
// wider windows gathers B channel vectors into lane-major scratch, runs the same block code, and scatters the
// result back.
// Instruction set: System.Runtime.Intrinsics.Vector128 (SSE2 or NEON). The backward, float64 data and channels-last
// compute in float64, except the float32 backward (TryBackwardFloat32InRegisters, TryBackwardFloat32Direct,
// TryBackwardAlongChannelsFloat32), whose blocks whose products stay well inside float32's normal range compute in
// float32 as the forward's do.
// The channels-first float32 forward computes in float32 on blocks of 2 x 4 lanes when every
// value of the block lies in the plan's float32 range (LrnPlan.Float32MinAbs..MaxAbs): twice the lanes per
// instruction and reciprocal square root estimates (Estimates) instead of float64 square roots and divisions. Its
// error grows with the window, within Tolerance.Float32ArithmeticUlps; a block with any value outside the range
// (huge, tiny, NaN, infinite) is computed in float64 instead, so it never overflows, underflows or loses precision
// where the reference does not.
// Beyond the caches (x and y over LrnPlan.CachedTensorBytes), the channels-first float32 forward's one-pass loops write
// y with streaming stores of whole aligned vectors (Streams; where one vector is one cache line: AVX-512), each row's
// results joined with its previous block's, in items of whole planes (LrnPlan.StreamedInnerTile).
// Tails: positions left over after whole blocks (and channels-last groups of fewer than B vectors) go through
// ScalarKernel.ForwardLanes / BackwardLanes.
// Limits: none beyond the plan's. Vector256Kernel and Vector128Kernel are this file with other aliases: keep the
// three identical line by line apart from the aliases, the names and this header's instruction set.
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Vec = System.Runtime.Intrinsics.Vector128;
using VD = System.Runtime.Intrinsics.Vector128<double>;
using VF = System.Runtime.Intrinsics.Vector128<float>;
using VI = System.Runtime.Intrinsics.Vector128<int>;

namespace Lrn.Kernels;

/// <summary>Block sums on Vector128 lanes; see the header of this file.</summary>
internal sealed unsafe class Vector128Kernel : LrnKernel
{
    public override string Name => "vector128";

    public override LrnKernelKind Kind => LrnKernelKind.Vector128;

    public override bool IsSupported => Vec.IsHardwareAccelerated;

    public override bool StreamsFloat32Outputs => ThirtyTwoRegisters && Streams.Supported(VF.Zero);

    /// <summary>
    /// Windows up to this many channels are summed directly (one vector add per channel of the window: along the
    /// contiguous channel axis for channels-last, down the rows for channels-first), which needs no P and Q passes
    /// and measured faster with lrn bench on 2026-11-26 (forward n = 5: 1.5 ms against 2.0 ms, one thread, AlexNet
    /// norm1); wider windows use block sums, whose cost does not depend on the window. So the cost stays bounded:
    /// at most this many adds per vector, or three additions per element.
    /// </summary>
    private const int DirectWindowMax = 16;

    /// <summary>
    /// The channels-first float32 forward sums windows up to this many channels directly, in two passes, where
    /// <see cref="Block.TryForwardFloat32InRegisters{TWindow, TPower}"/> does not apply (in place, or lo or hi over 2); wider
    /// windows take block sums in one pass (<see cref="Block.TryForwardWideFloat32{TPower}"/>), which measured faster from
    /// n = 7 on: n = 7 0.65-0.68 -> 0.55-0.59 ms, n = 11 0.73-0.76 -> 0.57-0.59, n = 15 0.82-0.84 -> 0.57-0.59
    /// (AlexNet norm1, one thread, five alternating runs of each build, 2026-11-27).
    /// </summary>
    private const int DirectWindowMaxFloat32 = LrnPlan.DirectWindowMaxFloat32;

    /// <summary>
    /// How many vectors wide the float32 blocks are where the in-registers loops would spill (16 registers:
    /// <see cref="Block.TryForwardFloat32Pairs{TPower}"/>, <see cref="Block.TryForwardFloat32Ring{TPower}"/>, <see cref="Block.TryBackwardFloat32Ring{TPower}"/>,
    /// <see cref="Block.TryForwardWideFloat32Rows{TPower}"/>, and the two passes in place): each step reads a run of
    /// 8 x VF.Count floats from a channel's row instead of 2.
    /// </summary>
    private const int RowVectors = 8;

    /// <summary>
    /// Floats between the scratch regions of the 16-register one-pass loops (rings, suffix and prefix rows): half a
    /// row's length in bytes modulo a row, so that no region's rows lie a multiple of 4 KiB from another's (a load from
    /// an address whose low 12 bits match an earlier store waits for that store: 4K aliasing). For n = 31 the suffix
    /// rows (31 x 256 bytes after the ring) lay 8 KiB from the ring row loaded after each suffix store: AlexNet norm1
    /// forward, one thread, Zen 2 EPYC (Vector256), 2.30-2.33 -> 1.93-1.97 ms.
    /// </summary>
    private static int Skew => RowVectors * VF.Count / 2;

    /// <summary>Rows in each ring of the 16-register one-pass loops: a power of two above <see cref="DirectWindowMaxFloat32"/>.</summary>
    private const int RingSlots = 8;

    /// <summary>The scratch the 16-register one-pass backward's three rings and a row of zeros take, in doubles (the forward takes one ring).</summary>
    private static int RingScratchDoubles => ((((3 * RingSlots) + 1) * RowVectors * VF.Count) + (3 * Skew)) / 2;

    /// <summary>
    /// Whether the JIT has 32 vector registers (AVX-512's encoding on x64, every ARM64): the one-pass loops
    /// (<see cref="Block.TryForwardFloat32InRegisters{TWindow, TPower}"/> and the float64 forward and backward beside it)
    /// keep up to 22 vectors live. With 16 (AVX2 alone, DOTNET_EnableAVX512=0) they spilled and the forward took
    /// 1.32-1.43 ms instead of the two passes' 1.07-1.11 (AlexNet norm1, one thread, 2026-11-27); 16 registers take
    /// rings in the scratch on blocks of <see cref="RowVectors"/> instead.
    /// </summary>
    private static bool ThirtyTwoRegisters => Avx512F.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// Whether the float32 forward adds the window of five centred channels (lo = hi = 2) in pairs,
    /// ((x_(c-2)^2 + x_(c-1)^2) + x_c^2) + (x_(c+1)^2 + x_(c+2)^2), as <see cref="Block.TryForwardFloat32Pairs{TPower}"/>
    /// does, rather than from left to right: on 16 registers, where that loop runs (the 32-register loops add from left
    /// to right).
    /// </summary>
    private static bool PairedFive(LrnPlan plan) => !ThirtyTwoRegisters && plan.Lo == 2 && plan.Hi == 2;

    /// <summary>
    /// x and y together up to this many bytes are taken to stay in the caches between calls (the L3 of the machine the
    /// kernels were tuned on holds 32 MiB); see <see cref="Block"/>'s <c>_prefetchOutputs</c>.
    /// </summary>
    private const double CachedTensorBytes = LrnPlan.CachedTensorBytes;

    /// <summary>Lanes per block: two float64 vectors, which is one float32 vector.</summary>
    private static int B => 2 * VD.Count;

    public override void Forward<T>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism)
    {
        switch (plan.Beta)
        {
            case 0.75: Forward<T, ThreeQuartersExponent>(plan, x, y, maxDegreeOfParallelism); break;
            case 0.5: Forward<T, HalfExponent>(plan, x, y, maxDegreeOfParallelism); break;
            case 1: Forward<T, UnitExponent>(plan, x, y, maxDegreeOfParallelism); break;
            case 0: Forward<T, ZeroExponent>(plan, x, y, maxDegreeOfParallelism); break;
            default: Forward<T, OtherExponent>(plan, x, y, maxDegreeOfParallelism); break;
        }
    }

    public override void Backward<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
    {
        switch (plan.Beta)
        {
            case 0.75: Backward<T, ThreeQuartersExponent>(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            case 0.5: Backward<T, HalfExponent>(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            case 1: Backward<T, UnitExponent>(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            case 0: Backward<T, ZeroExponent>(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            default: Backward<T, OtherExponent>(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
        }
    }

    private void Forward<T, TPower>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPower : struct, IExponent
    {
        int chunks = typeof(T) == typeof(float) ? FlatChunks(plan, x == y, maxDegreeOfParallelism) : 0;
        if (chunks > 0)
        {
            ForwardFlat<TPower>(plan, (float*)x, (float*)y, chunks, maxDegreeOfParallelism);
            return;
        }

        int runs = typeof(T) == typeof(double) ? Float64FlatChunks(plan, x == y, maxDegreeOfParallelism) : 0;
        if (runs > 0)
        {
            var item = new Float64FlatItem<TPower>(plan, (double*)x, (double*)y, runs);
            WorkItems.Run(item, runs == 1 ? plan.OuterBlocks : plan.Outer * runs, (int)ScratchLength(plan), maxDegreeOfParallelism);
            return;
        }

        WorkItems.Run(new ForwardItem<T, TPower>(plan, x, y), plan.ItemCount, (int)ScratchLength(plan), maxDegreeOfParallelism);
    }

    /// <summary>
    /// The float32 forward through <see cref="Block.TryForwardFloat32Flat{TPower}"/> (with the blocks along the rows for
    /// what it leaves to them), each image in <paramref name="chunks"/> runs of channels, whatever the tensor's size and
    /// this machine's registers, on one thread, for the tests; false, with nothing written, where the loop does not
    /// apply (see <see cref="FlatApplies"/>) or x is y.
    /// </summary>
    internal static bool ForwardFlat(in LrnPlan plan, float* x, float* y, int chunks = 1)
    {
        if (x == y || !(FlatApplies(plan) || (WideFlatApplies(plan) && chunks == 1)) || chunks < 1 || chunks > plan.Channels)
        {
            return false;
        }

        var kernel = new Vector128Kernel();
        switch (plan.Beta)
        {
            case 0.75: kernel.ForwardFlat<ThreeQuartersExponent>(plan, x, y, chunks, 1); break;
            case 0.5: kernel.ForwardFlat<HalfExponent>(plan, x, y, chunks, 1); break;
            case 1: kernel.ForwardFlat<UnitExponent>(plan, x, y, chunks, 1); break;
            case 0: kernel.ForwardFlat<ZeroExponent>(plan, x, y, chunks, 1); break;
            default: kernel.ForwardFlat<OtherExponent>(plan, x, y, chunks, 1); break;
        }

        return true;
    }

    /// <summary>
    /// The float64 forward through <see cref="Block.ForwardFloat64Flat{TPower}"/> (and the scalar kernel for the last
    /// Inner mod B positions of each plane), each image in <paramref name="chunks"/> runs of channels, whatever the
    /// tensor's size and this machine's registers, on one thread, for the tests; false, with nothing written, where the
    /// loop does not apply (see <see cref="Float64FlatApplies"/>), or x is y with more than one run.
    /// </summary>
    internal static bool ForwardFlat(in LrnPlan plan, double* x, double* y, int chunks = 1)
    {
        if ((x == y && chunks != 1) || !Float64FlatApplies(plan) || chunks < 1 || chunks > plan.Channels)
        {
            return false;
        }

        long items = chunks == 1 ? plan.OuterBlocks : plan.Outer * chunks;
        int scratchLength = (int)new Vector128Kernel().ScratchLength(plan);
        switch (plan.Beta)
        {
            case 0.75: WorkItems.Run(new Float64FlatItem<ThreeQuartersExponent>(plan, x, y, chunks), items, scratchLength, 1); break;
            case 0.5: WorkItems.Run(new Float64FlatItem<HalfExponent>(plan, x, y, chunks), items, scratchLength, 1); break;
            case 1: WorkItems.Run(new Float64FlatItem<UnitExponent>(plan, x, y, chunks), items, scratchLength, 1); break;
            case 0: WorkItems.Run(new Float64FlatItem<ZeroExponent>(plan, x, y, chunks), items, scratchLength, 1); break;
            default: WorkItems.Run(new Float64FlatItem<OtherExponent>(plan, x, y, chunks), items, scratchLength, 1); break;
        }

        return true;
    }

    /// <summary>
    /// The channels-first forward by blocks along the rows (what the flat order replaces), whatever the tensor's size and
    /// this machine's registers, on one thread, for the tests. Inner must exceed 1.
    /// </summary>
    internal static void ForwardAlongRows<T>(in LrnPlan plan, T* x, T* y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int scratchLength = (int)new Vector128Kernel().ScratchLength(plan);
        switch (plan.Beta)
        {
            case 0.75: WorkItems.Run(new ForwardItem<T, ThreeQuartersExponent>(plan, x, y), plan.ItemCount, scratchLength, 1); break;
            case 0.5: WorkItems.Run(new ForwardItem<T, HalfExponent>(plan, x, y), plan.ItemCount, scratchLength, 1); break;
            case 1: WorkItems.Run(new ForwardItem<T, UnitExponent>(plan, x, y), plan.ItemCount, scratchLength, 1); break;
            case 0: WorkItems.Run(new ForwardItem<T, ZeroExponent>(plan, x, y), plan.ItemCount, scratchLength, 1); break;
            default: WorkItems.Run(new ForwardItem<T, OtherExponent>(plan, x, y), plan.ItemCount, scratchLength, 1); break;
        }
    }

    /// <summary>
    /// With one chunk an item is an outer block of the plan (one image, or as many small ones as it groups); with more,
    /// an item is a run of channels of one image, and what <see cref="FlatForwardItem{TPower}.Finish"/> does per image
    /// waits until every run is done.
    /// </summary>
    private void ForwardFlat<TPower>(in LrnPlan plan, float* x, float* y, int chunks, int maxDegreeOfParallelism)
        where TPower : struct, IExponent
    {
        int scratchLength = (int)ScratchLength(plan);
        if (chunks == 1)
        {
            WorkItems.Run(new FlatForwardItem<TPower>(plan, x, y, 1, null), plan.OuterBlocks, scratchLength, maxDegreeOfParallelism);
            return;
        }

        // One flag per image (Outer is small here: fewer outer blocks than threads, or under four per thread).
        int[] flags = ArrayPool<int>.Shared.Rent((int)plan.Outer);
        double[] scratch = ArrayPool<double>.Shared.Rent(scratchLength);
        try
        {
            fixed (int* failed = flags)
            {
                new Span<int>(failed, (int)plan.Outer).Clear();
                var item = new FlatForwardItem<TPower>(plan, x, y, chunks, failed);
                WorkItems.Run(item, plan.Outer * chunks, scratchLength, maxDegreeOfParallelism);
                for (long o = 0; o < plan.Outer; o++)
                {
                    item.Finish(o, failed[o] != 0, scratch.AsSpan(0, scratchLength));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(flags);
        }
    }

    /// <summary>Planes of up to this many positions can take <see cref="Block.TryForwardFloat32Flat{TPower}"/> (its rings then stay within 64 KiB each).</summary>
    private const int FlatMaxPlane = 4096;

    /// <summary>Whether <see cref="Block.TryForwardFloat32Flat{TPower}"/> can compute the plan: lo = hi = 2, float32 arithmetic allowed, planes of 2 VF.Count to <see cref="FlatMaxPlane"/> positions.</summary>
    private static bool FlatApplies(in LrnPlan plan) =>
        plan.Lo == 2 && plan.Hi == 2 && plan.Float32Allowed && plan.Channels > 0
        && plan.Inner >= 2 * VF.Count && plan.Inner <= FlatMaxPlane;

    /// <summary>
    /// Into how many runs of channels the float32 forward cuts each image for <see cref="Block.TryForwardFloat32Flat{TPower}"/>
    /// (or, whole images only, <see cref="Block.TryForwardWideFloat32Flat{TPower}"/> for windows over five channels),
    /// or 0 for the blocks along the rows: on 16 registers (where the flat order adds as the blocks do,
    /// <see cref="PairedFive"/>), out of place, for images of at least <see cref="FlatMinImage"/> floats. One run per
    /// image where the plan's outer blocks (an image, or as many small ones as it groups) suit the threads: a multiple of
    /// them, at least four per thread, or, fewer than the threads, no fewer than the blocks along the rows would make.
    /// Else, with one image per outer block, as many runs as make the items a multiple of the threads (each run reads
    /// two planes on either side again), if runs of eight channels or more remain. Against the blocks along the rows,
    /// Zen 2 EPYC (AVX2), alternating runs, 2026-11-27: AlexNet norm1 [8,96,55,55] one thread 2.23 -> 1.46 ms, two
    /// 1.19 -> 0.77 (a busy quarter of an hour; 0.72 for the blocks in a quiet one); norm2 [8,256,27,27] two threads
    /// 0.482 -> 0.440; GoogLeNet [8,64,56,56] 0.507 -> 0.448; [2,96,55,55] one thread 0.323 -> 0.270; [2,96,16,16]
    /// 0.026 -> 0.025.
    /// </summary>
    private static int FlatChunks(in LrnPlan plan, bool inPlace, int maxDegreeOfParallelism) =>
        ThirtyTwoRegisters || inPlace || !(FlatApplies(plan) || WideFlatApplies(plan)) || (long)plan.Channels * plan.Inner < FlatMinImage
            ? 0
            : ImageRuns(plan, maxDegreeOfParallelism, FlatApplies(plan));

    /// <summary>
    /// Whether <see cref="Block.TryForwardWideFloat32Flat{TPower}"/> can compute the plan: windows over
    /// <see cref="LrnPlan.DirectWindowMaxFloat32"/> channels, float32 arithmetic allowed, planes of 2 VF.Count to
    /// <see cref="FlatMaxPlane"/> positions, and its ring of w + 1 planes within <see cref="WideFlatMaxFloats"/>.
    /// </summary>
    private static bool WideFlatApplies(in LrnPlan plan) =>
        plan.Width > LrnPlan.DirectWindowMaxFloat32 && plan.Float32Allowed && plan.Channels > 0
        && plan.Inner >= 2 * VF.Count && plan.Inner <= FlatMaxPlane && (plan.Width + 1L) * plan.Inner <= WideFlatMaxFloats;

    /// <summary>The most floats <see cref="Block.TryForwardWideFloat32Flat{TPower}"/>'s planes of squares, suffix sums and prefix sums may take (1 MiB).</summary>
    private const long WideFlatMaxFloats = 256 * 1024;

    /// <summary>
    /// Into how many runs of channels the float64 forward cuts each image for <see cref="Block.ForwardFloat64Flat{TPower}"/>,
    /// or 0 for the blocks along the rows: as <see cref="FlatChunks"/> decides for float32, but in place too, whole
    /// images only (a run's first planes would read inputs that the run before had overwritten), and for images of any
    /// size: with nothing to clear but a plane of zeros the flat loop beats the blocks on small ones as well
    /// ([8,96,13,13] two threads 0.153-0.156 -> 0.108 ms, [2,16,13,13] 0.0135 -> 0.0104, [2,96,6,6] 0.022 -> 0.021;
    /// Zen 2 EPYC, alternating runs, 2026-11-28).
    /// </summary>
    private static int Float64FlatChunks(in LrnPlan plan, bool inPlace, int maxDegreeOfParallelism) =>
        ThirtyTwoRegisters || !Float64FlatApplies(plan) ? 0 : ImageRuns(plan, maxDegreeOfParallelism, !inPlace);

    /// <summary>
    /// 1 where the plan's outer blocks (an image, or as many small ones as it groups) suit the threads: a multiple of
    /// them, at least four per thread, or, fewer than the threads, no fewer than the blocks along the rows would make.
    /// Else, with one image per outer block and <paramref name="runsAllowed"/>, as many runs of channels per image as
    /// make the items a multiple of the threads, if runs of eight channels or more remain; else 0.
    /// </summary>
    private static int ImageRuns(in LrnPlan plan, int maxDegreeOfParallelism, bool runsAllowed)
    {
        long threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        long items = plan.OuterBlocks;
        if (items >= threads ? items % threads == 0 || items >= 4 * threads : items >= plan.ItemCount)
        {
            return 1;
        }

        long chunks = threads / Gcd(plan.Outer, threads);
        return runsAllowed && plan.OuterPerItem == 1 && plan.Channels >= 8 * chunks ? (int)chunks : 0;
    }

    /// <summary>
    /// Whether <see cref="Block.ForwardFloat64Flat{TPower}"/> can compute the plan: windows of up to five channels
    /// (lo + hi &lt;= 4, summed directly), planes of B to <see cref="FlatMaxPlane"/> positions.
    /// </summary>
    private static bool Float64FlatApplies(in LrnPlan plan) =>
        plan.Lo + plan.Hi <= 4 && plan.Channels > 0 && plan.Inner >= B && plan.Inner <= FlatMaxPlane;

    /// <summary>The scratch of <see cref="Block.ForwardFloat64Flat{TPower}"/>: a plane of zeros and a ring of five planes of squares.</summary>
    private static long Float64FlatScratchDoubles(in LrnPlan plan) => Float64FlatApplies(plan) ? 6 * plan.Inner : 0;

    /// <summary>
    /// Item <c>item</c> of the float64 forward in flat order: with one chunk, the images of the plan's outer block
    /// <c>item</c>; with more, run item mod chunks of channels of image item / chunks. The last Inner mod B positions
    /// of each plane go to the scalar kernel, as the blocks along the rows leave them (by the item with the image's
    /// last channels).
    /// </summary>
    private readonly struct Float64FlatItem<TPower>(LrnPlan plan, double* x, double* y, int chunks) : IWorkItem
        where TPower : struct, IExponent
    {
        public void Run(long item, Span<double> scratch)
        {
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s, false);
                nint plane = (nint)plan.Inner;
                nint bulk = plane - (plane % B);
                long o0 = chunks > 1 ? item / chunks : item * plan.OuterPerItem;
                long o1 = chunks > 1 ? o0 + 1 : Math.Min(o0 + plan.OuterPerItem, plan.Outer);
                int chunk = (int)(item % chunks);
                int c0 = (int)((long)chunk * plan.Channels / chunks);
                int c1 = (int)((long)(chunk + 1) * plan.Channels / chunks);
                for (long o = o0; o < o1; o++)
                {
                    long at = o * plan.Channels * plan.Inner;
                    block.ForwardFloat64Flat<TPower>(x + at, y + at, plane, bulk, c0, c1);
                    if (bulk < plane && c1 == plan.Channels)
                    {
                        ScalarKernel.ForwardLanes(plan, x, y, o, bulk, (int)(plane - bulk), scratch);
                    }
                }
            }
        }
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// Images of fewer floats take the blocks along the rows: the rings' clearing and the steps that wrap cost more
    /// than the flat order saves ([2,16,13,13], two threads: 0.0060 ms by blocks, 0.0068 flat; [2,96,16,16], 24,576
    /// floats an image, one thread: 0.026 and 0.025).
    /// </summary>
    private const int FlatMinImage = 16 * 1024;

    /// <summary>The length of each ring of <see cref="Block.TryForwardFloat32Flat{TPower}"/>: a power of two above three planes and four vectors.</summary>
    private static nint FlatRing(long plane) => (nint)BitOperations.RoundUpToPowerOf2((ulong)((3 * plane) + (4 * VF.Count)));

    /// <summary>The floats <see cref="Block.TryForwardFloat32Flat{TPower}"/> takes from the scratch: two rings of <paramref name="ring"/> with their margins, and seven vectors of stages.</summary>
    private static long FlatScratchFloats(nint ring) => (2 * ring) + (13 * VF.Count);

    private static long FlatScratchDoubles(in LrnPlan plan) =>
        FlatApplies(plan) ? (FlatScratchFloats(FlatRing(plan.Inner)) + 1) / 2
        : WideFlatApplies(plan) ? (((plan.Width + 1L) * plan.Inner) + 1) / 2
        : 0;

    /// <summary>
    /// With one chunk, the images of item <c>item</c> (the plan's outer blocks) one by one through
    /// <see cref="Block.TryForwardFloat32Flat{TPower}"/>, each then finished (<see cref="Finish"/>). With more, run
    /// item mod chunks of channels of image item / chunks (the run's inputs two planes on either side too), an image
    /// with a value outside the float32 range marked in <c>failed</c> for <see cref="Finish"/>.
    /// </summary>
    private readonly struct FlatForwardItem<TPower>(LrnPlan plan, float* x, float* y, int chunks, int* failed) : IWorkItem
        where TPower : struct, IExponent
    {
        public void Run(long item, Span<double> scratch)
        {
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s, true);
                nint plane = (nint)plan.Inner;
                if (chunks > 1)
                {
                    long image = item / chunks;
                    int chunk = (int)(item % chunks);
                    int c0 = (int)((long)chunk * plan.Channels / chunks);
                    int c1 = (int)((long)(chunk + 1) * plan.Channels / chunks);
                    int first = Math.Max(0, c0 - 2);
                    int last = Math.Min(plan.Channels, c1 + 2);
                    long at = ((image * plan.Channels) + first) * plan.Inner;
                    if (!block.TryForwardFloat32Flat<TPower>(x + at, y + at, (last - first) * plane, plane, (c0 - first) * plane, (c1 - first) * plane))
                    {
                        failed[image] = 1;
                    }

                    return;
                }

                long o1 = Math.Min((item + 1) * plan.OuterPerItem, plan.Outer);
                for (long o = item * plan.OuterPerItem; o < o1; o++)
                {
                    nint n = plan.Channels * plane;
                    long at = o * plan.Channels * plan.Inner;
                    bool inRange = plan.Width > LrnPlan.DirectWindowMaxFloat32
                        ? block.TryForwardWideFloat32Flat<TPower>(x + at, y + at, plane)
                        : block.TryForwardFloat32Flat<TPower>(x + at, y + at, n, plane, 0, n);
                    FinishWith(block, o, !inRange, scratch);
                }
            }
        }

        /// <summary>
        /// Image <paramref name="o"/> after the flat order: the last positions of each plane that the blocks along the
        /// rows leave to float64 arithmetic (Inner mod 2 VF.Count of them) again as they do, so that the result is
        /// theirs bit for bit; or, where a value lay outside the float32 range, the whole image as they do.
        /// </summary>
        public void Finish(long o, bool outOfRange, Span<double> scratch)
        {
            fixed (double* s = scratch)
            {
                FinishWith(new Block(plan, s, true), o, outOfRange, scratch);
            }
        }

        private void FinishWith(in Block block, long o, bool outOfRange, Span<double> scratch)
        {
            var tiles = new ForwardItem<float, TPower>(plan, x, y);
            if (outOfRange)
            {
                for (long i0 = 0; i0 < plan.Inner; i0 += plan.Lanes)
                {
                    tiles.RunTiles(block, o, o + 1, i0, Math.Min(i0 + plan.Lanes, plan.Inner), scratch);
                }

                return;
            }

            int tail = (int)(plan.Inner % (2 * VF.Count));
            if (tail > 0)
            {
                tiles.RunTiles(block, o, o + 1, plan.Inner - tail, plan.Inner, scratch);
            }
        }
    }

    private void Backward<T, TPower>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPower : struct, IExponent =>
        WorkItems.Run(new BackwardItem<T, TPower>(plan, x, y, dy, dx), plan.ItemCount, (int)ScratchLength(plan), maxDegreeOfParallelism);

    /// <summary>
    /// The float32 power near k (Block.NearNegativePower) of each s, for the tests; false, with nothing written, if a
    /// vector of s does not lie within its reach. s.Length must be a multiple of the vector's length.
    /// </summary>
    internal static bool TryNearNegativePower(in LrnPlan plan, ReadOnlySpan<float> s, Span<float> power)
    {
        var block = new Block(plan, null, true);
        for (int i = 0; i + VF.Count <= s.Length; i += VF.Count)
        {
            if (!block.IsNear(Vec.Create(s.Slice(i, VF.Count))))
            {
                return false;
            }
        }

        for (int i = 0; i + VF.Count <= s.Length; i += VF.Count)
        {
            block.NearNegativePower(Vec.Create(s.Slice(i, VF.Count))).CopyTo(power.Slice(i));
        }

        return true;
    }

    /// <summary>
    /// Whether the range check on squares (Block.TrackSquareRange, as the 16-register one-pass loops take it) finds every
    /// x in the plan's float32 range, for the tests. x.Length must be a multiple of the vector's length.
    /// </summary>
    internal static bool SquaresInFloat32Range(in LrnPlan plan, ReadOnlySpan<float> x)
    {
        var block = new Block(plan, null, true);
        VF min = Vec.Create(plan.Float32MinAbs);
        VF max = Vec.Create(plan.Float32MaxAbs);
        bool checkMin = plan.Float32MinAbs > 0;
        VF inRange = VF.AllBitsSet;
        VI widest = VI.Zero;
        for (int i = 0; i + VF.Count <= x.Length; i += VF.Count)
        {
            VF v = Vec.Create(x.Slice(i, VF.Count));
            Block.TrackSquareRange(v, v * v, min, max, checkMin, ref inRange, ref widest);
        }

        return block.SquaresInFloat32Range(inRange, widest);
    }

    // Z, P, Q: padded rows; R: one row per channel; G: four gathered channel-last tensors (x, y, dy, dx), each C x B.
    public override long ScratchLength(in LrnPlan plan) =>
        Math.Max(
            Math.Max(ScalarKernel.ScratchDoubles(plan, B), ((3L * plan.PaddedLength) + (5L * plan.Channels)) * B),
            Math.Max(Math.Max(RingScratchDoubles, Math.Max(FlatScratchDoubles(plan), Float64FlatScratchDoubles(plan))), ((((2L * plan.Width) + 1) * RowVectors * VF.Count) + (2 * Skew)) / 2));

    private readonly struct ForwardItem<T, TPower>(LrnPlan plan, T* x, T* y) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPower : struct, IExponent
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s, typeof(T) == typeof(float));
                if (plan.Inner == 1 && plan.Width <= DirectWindowMax)
                {
                    block.ForwardAlongChannels<T, TPower>(x, y, o0, o1, scratch);
                    return;
                }

                if (plan.Inner == 1)
                {
                    long o = o0;
                    for (; o + B <= o1; o += B)
                    {
                        T* gx = block.Gathered<T>(0);
                        T* gy = block.Gathered<T>(1);
                        Gather(plan, x + (o * plan.Channels), gx);
                        block.Forward<T, TPower>(gx, gy, B);
                        Scatter(plan, gy, y + (o * plan.Channels));
                    }

                    for (; o < o1; o++)
                    {
                        ScalarKernel.ForwardLanes(plan, x, y, o, 0, 1, scratch);
                    }

                    return;
                }

                RunTiles(block, o0, o1, i0, i1, scratch);
            }
        }

        /// <summary>Positions i0 .. i1 - 1 of outer indices o0 .. o1 - 1, channels-first (Inner &gt; 1), in blocks along the rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunTiles(in Block block, long o0, long o1, long i0, long i1, Span<double> scratch)
        {
            int lanes = (int)(i1 - i0);
            int bulk = lanes - (lanes % B);
            bool float32 = typeof(T) == typeof(float) && plan.Float32Allowed;
            int floatBulk = float32 ? lanes - (lanes % (2 * VF.Count)) : 0;
            bool fourVectors = float32 && x != y && block.FourVectorRuns;
            bool streamed = float32 && x != y && block.StreamsOutputs((float*)y);
            bool eightVectorBlocks = float32 && !ThirtyTwoRegisters; // the 16-register loops (RowVectors)
            for (long o = o0; o < o1; o++)
            {
                long vector = (o * plan.Channels * plan.Inner) + i0;
                int l = 0;
                if (streamed)
                {
                    for (; l + (4 * VF.Count) <= floatBulk; l += 4 * VF.Count)
                    {
                        if (!block.TryForwardFloat32FourVectorsStreamed<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner, l == 0))
                        {
                            StreamedBlockAgain(block, vector + l, 4);
                        }
                    }

                    for (; l < floatBulk; l += 2 * VF.Count)
                    {
                        if (!block.TryForwardFloat32Streamed<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner, l == 0))
                        {
                            StreamedBlockAgain(block, vector + l, 2);
                        }
                    }

                    if (floatBulk > 0)
                    {
                        block.FlushCarries((float*)(y + vector + floatBulk), (nint)plan.Inner);
                    }
                }

                if (fourVectors)
                {
                    for (; l + (4 * VF.Count) <= floatBulk; l += 4 * VF.Count)
                    {
                        if (!block.TryForwardFloat32FourVectors<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner))
                        {
                            // Each half again, as if the four-vector loop had not run: the same arithmetic for a
                            // half in range, float64 for one out of it.
                            ForwardFloat32Block(block, vector + l);
                            ForwardFloat32Block(block, vector + l + (2 * VF.Count));
                        }
                    }
                }

                if (eightVectorBlocks)
                {
                    for (; l + (RowVectors * VF.Count) <= floatBulk; l += RowVectors * VF.Count)
                    {
                        bool done = plan.Width > DirectWindowMaxFloat32
                            ? block.TryForwardWideFloat32Rows<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner)
                            : x != y && PairedFive(plan)
                            ? block.TryForwardFloat32Pairs<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner)
                            : x != y
                            ? block.TryForwardFloat32Ring<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner)
                            : block.TryForwardFloat32TwoPasses<TPower>((float*)(x + vector + l), (float*)(y + vector + l), (nint)plan.Inner, RowVectors);
                        if (!done)
                        {
                            for (int h = 0; h < RowVectors * VF.Count; h += 2 * VF.Count)
                            {
                                ForwardFloat32Block(block, vector + l + h);
                            }
                        }
                    }
                }

                for (; l < floatBulk; l += 2 * VF.Count)
                {
                    ForwardFloat32Block(block, vector + l);
                }

                for (; l < bulk; l += B)
                {
                    block.Forward<T, TPower>(x + vector + l, y + vector + l, (nint)plan.Inner);
                }

                if (bulk < lanes)
                {
                    ScalarKernel.ForwardLanes(plan, x, y, o, i0 + bulk, lanes - bulk, scratch);
                }
            }

            if (streamed)
            {
                Streams.Fence();
            }
        }

        /// <summary>
        /// After a streamed block of <paramref name="vectors"/> x VF.Count lanes at x + at found a value outside the
        /// float32 range: fences the garbage it streamed before the ordinary stores of the whole block computed again in
        /// float64, then takes the rows' carries from the block's last vector.
        /// </summary>
        private void StreamedBlockAgain(in Block block, long at, int vectors)
        {
            Streams.Fence();
            for (int lane = 0; lane < vectors * VF.Count; lane += B)
            {
                block.Forward<T, TPower>(x + at + lane, y + at + lane, (nint)plan.Inner);
            }

            block.ReloadCarries((float*)(y + at + ((vectors - 1) * VF.Count)), (nint)plan.Inner);
        }

        /// <summary>The float32 block of 2 x VF.Count lanes at x + at: float32 arithmetic, or float64 where a value lies outside its range.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void ForwardFloat32Block(in Block block, long at)
        {
            if (!block.TryForwardFloat32<TPower>((float*)(x + at), (float*)(y + at), (nint)plan.Inner))
            {
                block.Forward<T, TPower>(x + at, y + at, (nint)plan.Inner);
                block.Forward<T, TPower>(x + at + B, y + at + B, (nint)plan.Inner);
            }
        }
    }

    private readonly struct BackwardItem<T, TPower>(LrnPlan plan, T* x, T* y, T* dy, T* dx) : IWorkItem
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPower : struct, IExponent
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(long item, Span<double> scratch)
        {
            plan.ItemBounds(item, out long o0, out long o1, out long i0, out long i1);
            fixed (double* s = scratch)
            {
                var block = new Block(plan, s, typeof(T) == typeof(float));
                if (plan.Inner == 1 && plan.Width <= DirectWindowMax && plan.Channels >= B)
                {
                    if (typeof(T) == typeof(float) && TPower.Beta != 0
                        && (block.Float32BackwardAlongChannels
                            ? block.TryBackwardAlongChannelsFloat32<TPower>((float*)x, (float*)y, (float*)dy, (float*)dx, o0, o1)
                            : block.Float32BackwardAlongChannelsDirect && block.TryBackwardAlongChannelsFloat32Direct<TPower>((float*)x, (float*)y, (float*)dy, (float*)dx, o0, o1)))
                    {
                        return;
                    }

                    block.ClearBackwardPads();
                    for (long o = o0; o < o1; o++)
                    {
                        long at = o * plan.Channels;
                        block.BackwardAlongChannels<T, TPower>(x + at, y == null ? null : y + at, dy + at, dx + at);
                    }

                    return;
                }

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
                        block.Backward<T, TPower>(gx, gy, gdy, gdx, B);
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
                bool float32 = typeof(T) == typeof(float) && TPower.Beta != 0 && block.Float32Backward;
                bool float32Direct = typeof(T) == typeof(float) && TPower.Beta != 0 && block.Float32BackwardDirect;
                int floatBulk = float32 || float32Direct ? lanes - (lanes % (2 * VF.Count)) : 0;
                bool rings = float32Direct && !ThirtyTwoRegisters && plan.Width <= DirectWindowMaxFloat32;
                for (long o = o0; o < o1; o++)
                {
                    long vector = (o * plan.Channels * plan.Inner) + i0;
                    int l = 0;
                    for (; rings && l + (RowVectors * VF.Count) <= floatBulk; l += RowVectors * VF.Count)
                    {
                        long at = vector + l;
                        T* yAt = y == null ? null : y + at;
                        if (!block.TryBackwardFloat32Ring<TPower>((float*)(x + at), (float*)yAt, (float*)(dy + at), (float*)(dx + at), (nint)plan.Inner))
                        {
                            for (int h = 0; h < RowVectors * VF.Count; h += B)
                            {
                                block.Backward<T, TPower>(x + at + h, yAt == null ? null : yAt + h, dy + at + h, dx + at + h, (nint)plan.Inner);
                            }
                        }
                    }

                    for (; l < floatBulk; l += 2 * VF.Count)
                    {
                        long at = vector + l;
                        T* yAt = y == null ? null : y + at;
                        bool done = float32
                            ? block.TryBackwardFloat32InRegisters<TPower>((float*)(x + at), (float*)yAt, (float*)(dy + at), (float*)(dx + at), (nint)plan.Inner)
                            : block.TryBackwardFloat32Direct<TPower>((float*)(x + at), (float*)yAt, (float*)(dy + at), (float*)(dx + at), (nint)plan.Inner);
                        if (!done)
                        {
                            block.Backward<T, TPower>(x + at, yAt, dy + at, dx + at, (nint)plan.Inner);
                            block.Backward<T, TPower>(x + at + B, yAt == null ? null : yAt + B, dy + at + B, dx + at + B, (nint)plan.Inner);
                        }
                    }

                    for (; l < bulk; l += B)
                    {
                        long at = vector + l;
                        block.Backward<T, TPower>(x + at, y == null ? null : y + at, dy + at, dx + at, (nint)plan.Inner);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// Which s^-beta a loop is compiled for (<see cref="Block"/>'s loops are generic over it; the kernel picks the type
    /// once per call). Where beta may be any exponent, the float64 power may call <see cref="Math.Pow"/> lane by lane,
    /// and a call anywhere in a loop, even one never taken, made the JIT keep the loop's values on the stack: for beta
    /// 0.5, 0.75 and 1 the loops compiled without it run the float32 backward in 2.70-2.78 ms instead of 3.06-3.29
    /// (channels-last 2.75-2.96 instead of 3.26-3.81) and the float64 forward in 2.04-2.26 instead of 2.56-2.76
    /// (AlexNet norm1, one thread, alternating runs of both builds, 2026-11-27). A fixed exponent also spares every
    /// power the tests of beta that chose its formula, which the JIT does not take out of loops (a reload and four
    /// compares per power): forward n = 5 0.43-0.48 -> 0.40-0.44 ms, n = 31 0.58-0.65 -> 0.55-0.63, channels-last
    /// 0.56-0.59 -> 0.52-0.57, float64 1.52-1.57 -> 1.42-1.43, channels-last backward 2.69-2.93 -> 2.56-2.61 (same runs).
    /// </summary>
    private interface IExponent
    {
        /// <summary>The exponent the type stands for, or NaN for any other (the plan's beta, neither 0, 0.5, 0.75 nor 1).</summary>
        static abstract double Beta { get; }
    }

    /// <summary>beta = 0: s^-beta = 1.</summary>
    private readonly struct ZeroExponent : IExponent
    {
        public static double Beta => 0;
    }

    /// <summary>beta = 0.5: a reciprocal square root.</summary>
    private readonly struct HalfExponent : IExponent
    {
        public static double Beta => 0.5;
    }

    /// <summary>beta = 0.75, AlexNet's: square roots.</summary>
    private readonly struct ThreeQuartersExponent : IExponent
    {
        public static double Beta => 0.75;
    }

    /// <summary>beta = 1: a reciprocal.</summary>
    private readonly struct UnitExponent : IExponent
    {
        public static double Beta => 1;
    }

    /// <summary>Any other beta, read from the plan.</summary>
    private readonly struct OtherExponent : IExponent
    {
        public static double Beta => double.NaN;
    }

    /// <summary>
    /// s^-0.75 of pairs of float64 vectors (<see cref="Float64Powers"/>) in three software-pipelined stages, for the
    /// loops on 16 registers: <see cref="Push"/> takes step i's s, issues the float32 estimate of step i - 1's and
    /// the float64 refinement of step i - 2's, and returns that power, so that the three parts of each long chain of
    /// dependent instructions overlap (Zen 2 holds about three such steps in flight). The same bits as
    /// <see cref="Float64Powers.NegativeThreeQuarterPower(VD, VD, out VD, out VD)"/> step by step.
    /// </summary>
    private struct ThreeQuarterPowers
    {
        private VD _older0;
        private VD _older1;
        private VF _olderEstimate;
        private VD _old0;
        private VD _old1;

        /// <summary>Starts with the s of the first two steps.</summary>
        public ThreeQuarterPowers(VD first0, VD first1, VD second0, VD second1)
        {
            _older0 = first0;
            _older1 = first1;
            _olderEstimate = Float64Powers.Estimate(first0, first1);
            _old0 = second0;
            _old1 = second1;
        }

        /// <summary>Takes the s of step i and gives the power of step i - 2.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(VD s0, VD s1, out VD p0, out VD p1)
        {
            VF oldEstimate = Float64Powers.Estimate(_old0, _old1);
            Float64Powers.Refine(_older0, _older1, _olderEstimate, out p0, out p1);
            _older0 = _old0;
            _older1 = _old1;
            _olderEstimate = oldEstimate;
            _old0 = s0;
            _old1 = s1;
        }

        /// <summary>The powers of the last two steps pushed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Drain(out VD last0, out VD last1, out VD final0, out VD final1)
        {
            Float64Powers.Refine(_older0, _older1, _olderEstimate, out last0, out last1);
            Float64Powers.NegativeThreeQuarterPower(_old0, _old1, out final0, out final1);
        }
    }

    /// <summary>
    /// Whether a one-pass forward loop hints its output rows into the cache before writing them (compiled both ways:
    /// a test in the loop cost 5 % where the hints are off; see <see cref="Block"/>'s <c>_prefetchOutputs</c>).
    /// </summary>
    private interface IOutputHint
    {
        static abstract bool Prefetch { get; }

        /// <summary>Whether outputs go out with streaming stores instead (<see cref="Block.StreamOutputs(float*, VF, VF, int, bool)"/>).</summary>
        static virtual bool Stream => false;
    }

    /// <summary>Output rows are hinted into the cache (x and y exceed <see cref="CachedTensorBytes"/>).</summary>
    private readonly struct HintedOutputs : IOutputHint
    {
        public static bool Prefetch => true;
    }

    /// <summary>Output rows are not hinted.</summary>
    private readonly struct UnhintedOutputs : IOutputHint
    {
        public static bool Prefetch => false;
    }

    /// <summary>Output rows are written with streaming stores, past the caches (see <see cref="Block.StreamOutputs(float*, VF, VF, int, bool)"/>).</summary>
    private readonly struct StreamedOutputs : IOutputHint
    {
        public static bool Prefetch => false;

        public static bool Stream => true;
    }

    /// <summary>
    /// A window shape that <see cref="Block.TryForwardFloat32InRegisters{TWindow, TPower}"/> is compiled for: lo channels before c
    /// and hi after, both 1 or 2 (n = 3, 4 and 5 in every framework's convention).
    /// </summary>
    private interface IWindowShape
    {
        static abstract int Lo { get; }

        static abstract int Hi { get; }
    }

    /// <summary>lo = hi = 1: n = 3.</summary>
    private readonly struct Window11 : IWindowShape
    {
        public static int Lo => 1;

        public static int Hi => 1;
    }

    /// <summary>lo = 1, hi = 2: an even n = 4 whose extra channel comes after c.</summary>
    private readonly struct Window12 : IWindowShape
    {
        public static int Lo => 1;

        public static int Hi => 2;
    }

    /// <summary>lo = 2, hi = 1: an even n = 4 whose extra channel comes before c.</summary>
    private readonly struct Window21 : IWindowShape
    {
        public static int Lo => 2;

        public static int Hi => 1;
    }

    /// <summary>lo = hi = 2: n = 5, AlexNet's, CaffeNet's and GoogLeNet's window.</summary>
    private readonly struct Window22 : IWindowShape
    {
        public static int Lo => 2;

        public static int Hi => 2;
    }

    /// <summary>
    /// The smallest and largest nonzero magnitudes among many float32 vectors, as the bits of |v| (which order as the
    /// magnitudes do, and put NaN above infinity): a mask, a maximum, and an unsigned minimum of the bits less one, so
    /// that 0 wraps to the largest and drops out. Two instructions more per vector than the forward's range check.
    /// </summary>
    private struct Magnitudes
    {
        private Vector128<int> _widest;
        private Vector128<uint> _narrowestLessOne;

        public Magnitudes()
        {
            _widest = Vector128<int>.Zero;
            _narrowestLessOne = Vector128<uint>.AllBitsSet;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(Vector128<float> v)
        {
            Vector128<int> bits = v.AsInt32() & Vec.Create(int.MaxValue);
            _widest = Vec.Max(_widest, bits);
            _narrowestLessOne = Vec.Min(_narrowestLessOne, (bits - Vector128<int>.One).AsUInt32());
        }

        /// <summary>The largest |v| (0 if none was added); false if it is infinite or NaN.</summary>
        public readonly bool Widest(out double value)
        {
            int widest = 0;
            for (int l = 0; l < Vector128<int>.Count; l++)
            {
                widest = Math.Max(widest, _widest[l]);
            }

            value = BitConverter.Int32BitsToSingle(widest);
            return double.IsFinite(value);
        }

        /// <summary>The smallest nonzero |v|; false if every v was 0.</summary>
        public readonly bool Narrowest(out double value)
        {
            uint narrowest = uint.MaxValue;
            for (int l = 0; l < Vector128<uint>.Count; l++)
            {
                narrowest = Math.Min(narrowest, _narrowestLessOne[l]);
            }

            value = narrowest == uint.MaxValue ? 0 : BitConverter.Int32BitsToSingle((int)(narrowest + 1));
            return narrowest != uint.MaxValue;
        }
    }

    /// <summary>
    /// The last one to four pairs of vectors of a one-pass loop (the squares, inputs or terms of the channels before
    /// the current one), oldest first: a shift register that the JIT keeps in registers once the methods are inlined
    /// with a constant count. Zero until pushed, as the channels before 0 are.
    /// </summary>
    private struct Carried<T>
        where T : unmanaged
    {
        private Vector128<T> _a0, _a1, _b0, _b1, _c0, _c1, _d0, _d1;

        /// <summary>The oldest pair's first vector.</summary>
        public readonly Vector128<T> Oldest0 => _a0;

        /// <summary>The oldest pair's second vector.</summary>
        public readonly Vector128<T> Oldest1 => _a1;

        /// <summary>
        /// The count carried pairs and then (last0, last1) added oldest first, (((a + b) + c) + d) + last, the order of
        /// <see cref="Block"/>'s SumOfRows, so the one-pass loops give the sums of the passes through Z bit for bit.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Sum(int count, Vector128<T> last0, Vector128<T> last1, out Vector128<T> sum0, out Vector128<T> sum1)
        {
            sum0 = _a0;
            sum1 = _a1;
            if (count >= 2)
            {
                sum0 += _b0;
                sum1 += _b1;
            }

            if (count >= 3)
            {
                sum0 += _c0;
                sum1 += _c1;
            }

            if (count >= 4)
            {
                sum0 += _d0;
                sum1 += _d1;
            }

            sum0 += last0;
            sum1 += last1;
        }

        /// <summary>Drops the oldest of count carried pairs and keeps (v0, v1) as the newest.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(int count, Vector128<T> v0, Vector128<T> v1)
        {
            if (count == 1)
            {
                _a0 = v0;
                _a1 = v1;
                return;
            }

            _a0 = _b0;
            _a1 = _b1;
            if (count == 2)
            {
                _b0 = v0;
                _b1 = v1;
                return;
            }

            _b0 = _c0;
            _b1 = _c1;
            if (count == 3)
            {
                _c0 = v0;
                _c1 = v1;
                return;
            }

            _c0 = _d0;
            _c1 = _d1;
            _d0 = v0;
            _d1 = v1;
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

        // beta = _betaHi + _betaLo for GeneralNegativePower: float32 beta alone is off by up to 2^-25 beta, which
        // times log2 s ~ 100 costs tens of ulps; _betaHi keeps beta's top 17 bits, so _betaHi times an exponent of 7
        // bits is exact in float32. Split once per block: split per call it cost 15 % of the beta 0.6 forward.
        private readonly float _betaHi;
        private readonly float _betaLo;

        /// <summary>
        /// Whether the one-pass forwards hint each output row into the cache before they write it: only when x and y
        /// together exceed <see cref="CachedTensorBytes"/>. From memory, writes that must first fetch their lines
        /// stalled: the hints took AlexNet's [32,96,55,55] from 2.54-2.62 to 2.04-2.17 ms (n = 5) and from 4.28-4.51
        /// to 2.69-2.82 (n = 31); where the tensors stay in the caches the hints only cost: norm1 [8,96,55,55]
        /// 0.38-0.39 -> 0.43-0.45 ms (n = 5; one thread, five alternating runs of each build, 2026-11-27).
        /// </summary>
        private readonly bool _prefetchOutputs;

        public Block(in LrnPlan plan, double* scratch, bool float32Data)
        {
            _plan = plan;
            _prefetchOutputs = 2.0 * plan.Outer * plan.Channels * plan.Inner * (float32Data ? sizeof(float) : sizeof(double)) > CachedTensorBytes;
            int rows = plan.PaddedLength * B;
            _z = scratch;
            _p = _z + rows;
            _q = _p + rows;
            _r = _q + rows;
            _g = _r + (plan.Channels * B);
            _betaHi = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((float)plan.Beta) & unchecked((int)0xFFFF_FF80));
            _betaLo = (float)(plan.Beta - _betaHi);
        }

        /// <summary>Gathered tensor number <paramref name="index"/> (0..3) for channels-last, as C rows of B elements of T.</summary>
        public T* Gathered<T>(int index)
            where T : unmanaged => (T*)(_g + (index * _plan.Channels * B));

                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Forward<T, TPower>(T* x, T* y, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
        {
            if (ThirtyTwoRegisters)
            {
                switch ((_plan.Lo, _plan.Hi))
                {
                    case (1, 1): ForwardInRegisters<T, TPower, Window11>(x, y, stride); return;
                    case (1, 2): ForwardInRegisters<T, TPower, Window12>(x, y, stride); return;
                    case (2, 1): ForwardInRegisters<T, TPower, Window21>(x, y, stride); return;
                    case (2, 2): ForwardInRegisters<T, TPower, Window22>(x, y, stride); return;
                }
            }

            LoadSquares(x, stride);
            bool direct = _plan.Width <= DirectWindowMax;
            if (!direct)
            {
                PrefixAndSuffix();
            }

            var k = Vec.Create(_plan.K);
            var a = Vec.Create(_plan.A);
            int w = _plan.Width;
            if (TPower.Beta == 0.75 && !ThirtyTwoRegisters && _plan.Channels >= 3)
            {
                // Software-pipelined as Float64FlatPlane: channel c's sums beside the float32 estimate of channel
                // c - 1's power and the float64 refinement of channel c - 2's (the same bits). float64 AlexNet norm1,
                // two threads: n = 7 3.02 -> 2.45 ms, n = 11 3.40 -> 2.69; [8,96,80,80] (planes too large for the flat
                // loop) n = 5 6.7 -> 5.35 (Zen 2 EPYC, alternating runs, 2026-11-28).
                Sum(_z, direct, 0, true, out VD first0, out VD first1);
                Sum(_z, direct, 1, w == 1, out VD second0, out VD second1);
                var pipeline = new ThreeQuarterPowers(k + (a * first0), k + (a * first1), k + (a * second0), k + (a * second1));
                for (int c = 2, phase = 2 % w; c < _plan.Channels; c++, phase = phase == w - 1 ? 0 : phase + 1)
                {
                    Sum(_z, direct, c, phase == 0, out VD s0, out VD s1);
                    pipeline.Push(k + (a * s0), k + (a * s1), out VD p0, out VD p1);
                    Load2(x + ((c - 2) * stride), out VD x0, out VD x1);
                    PrefetchAhead(y + ((c - 2) * stride), B);
                    Store2(y + ((c - 2) * stride), x0 * p0, x1 * p1);
                }

                pipeline.Drain(out VD last0, out VD last1, out VD final0, out VD final1);
                Load2(x + ((_plan.Channels - 2) * stride), out VD y0, out VD y1);
                Store2(y + ((_plan.Channels - 2) * stride), y0 * last0, y1 * last1);
                Load2(x + ((_plan.Channels - 1) * stride), out y0, out y1);
                Store2(y + ((_plan.Channels - 1) * stride), y0 * final0, y1 * final1);
                return;
            }

            for (int c = 0, phase = 0; c < _plan.Channels; c++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                Sum(_z, direct, c, phase == 0, out VD s0, out VD s1);
                NegativePowers<TPower>(k + (a * s0), k + (a * s1), out VD p0, out VD p1);
                Load2(x + (c * stride), out VD x0, out VD x1);
                PrefetchAhead(y + (c * stride), B);
                Store2(y + (c * stride), x0 * p0, x1 * p1);
            }
        }

        /// <summary>
        /// <see cref="Forward{T, TPower}(T*, T*, nint)"/> in one pass for windows of lo, hi &lt;= 2, as
        /// <see cref="TryForwardFloat32InRegisters{TWindow, TPower}"/> does in float32: the squares of the last lo + hi channels
        /// and the inputs of the last hi stay in registers, and the window is added in the order of
        /// <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>. Each channel is read before
        /// any output it affects is written, so it runs in place too. float64 data, AlexNet norm1, one thread, n = 5:
        /// beta 0.75 1.99-2.08 -> 1.55-1.57 ms, beta 1 1.34-1.53 -> 1.29-1.36 (five alternating runs of each build,
        /// 2026-11-27). Estimates refined by Newton steps instead of the square roots and the division were slower
        /// here too (1.67-1.72 ms).
        /// </summary>
        private void ForwardInRegisters<T, TPower, TWindow>(T* x, T* y, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            if (_prefetchOutputs)
            {
                ForwardInRegisters<T, TPower, TWindow, HintedOutputs>(x, y, stride);
            }
            else
            {
                ForwardInRegisters<T, TPower, TWindow, UnhintedOutputs>(x, y, stride);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ForwardInRegisters<T, TPower, TWindow, TOutputs>(T* x, T* y, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
            where TOutputs : struct, IOutputHint
        {
            int carried = TWindow.Lo + TWindow.Hi;
            int hi = TWindow.Hi;
            int channels = _plan.Channels;
            VD k = Vec.Create(_plan.K);
            VD a = Vec.Create(_plan.A);

            // Squares of channels t - carried .. t - 1 and inputs of channels t - hi .. t - 1.
            var squares = default(Carried<double>);
            var inputs = default(Carried<double>);
            for (int t = 0; t < channels + hi; t++)
            {
                VD x0 = VD.Zero;
                VD x1 = VD.Zero;
                if (t < channels)
                {
                    PrefetchAhead(x + (t * stride), B);
                    if (TOutputs.Prefetch)
                    {
                        PrefetchAhead(y + (t * stride), B);
                    }

                    Load2(x + (t * stride), out x0, out x1);
                }

                VD z0 = x0 * x0;
                VD z1 = x1 * x1;
                if (t >= hi)
                {
                    squares.Sum(carried, z0, z1, out VD s0, out VD s1);
                    NegativePowers<TPower>(k + (a * s0), k + (a * s1), out VD p0, out VD p1);
                    Store2(y + ((t - hi) * stride), inputs.Oldest0 * p0, inputs.Oldest1 * p1);
                }

                squares.Push(carried, z0, z1);
                inputs.Push(hi, x0, x1);
            }
        }

                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Backward<T, TPower>(T* x, T* y, T* dy, T* dx, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
        {
            // Not for other exponents: their power may call Math.Pow, and the call made the one pass slower (5.8-6.1
            // ms against the passes' 5.3-5.5 for beta 0.6, float32 data).
            if (ThirtyTwoRegisters && !double.IsNaN(TPower.Beta))
            {
                switch ((_plan.Lo, _plan.Hi))
                {
                    case (1, 1): BackwardInRegisters<T, TPower, Window11>(x, y, dy, dx, stride); return;
                    case (1, 2): BackwardInRegisters<T, TPower, Window12>(x, y, dy, dx, stride); return;
                    case (2, 1): BackwardInRegisters<T, TPower, Window21>(x, y, dy, dx, stride); return;
                    case (2, 2): BackwardInRegisters<T, TPower, Window22>(x, y, dy, dx, stride); return;
                }
            }

            LoadSquares(x, stride);
            bool direct = _plan.Width <= DirectWindowMax;
            if (!direct)
            {
                PrefixAndSuffix();
            }

            var k = Vec.Create(_plan.K);
            var a = Vec.Create(_plan.A);
            int channels = _plan.Channels;
            int hi = _plan.Hi;

            // Pass 1: keep dy_c s_c^-beta in R; put t_c = dy_c y_c / s_c in rows T, padded for the mirrored window
            // [j-hi, j+lo] (hi zero rows before, lo after). Block sums have built P and Q, so T can be Z; direct sums
            // still read Z, so T is P, unused by them.
            double* tRows = direct ? _p : _z;
            new Span<double>(tRows, hi * B).Clear();
            new Span<double>(tRows + ((hi + channels) * B), _plan.Lo * B).Clear();
            int w = _plan.Width;
            for (int c = 0, phase = 0; c < channels; c++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                Sum(_z, direct, c, phase == 0, out VD s0, out VD s1);
                s0 = k + (a * s0);
                s1 = k + (a * s1);
                NegativePowersAndReciprocals<TPower>(s0, s1, out VD p0, out VD p1, out VD reciprocal0, out VD reciprocal1);
                Load2(x + (c * stride), out VD x0, out VD x1);
                PrefetchAhead(dy + (c * stride), B);
                Load2(dy + (c * stride), out VD g0, out VD g1);
                VD y0, y1;
                if (y != null)
                {
                    PrefetchAhead(y + (c * stride), B);
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
                double* t = tRows + ((hi + c) * B);
                Vec.Store(g0 * y0 * reciprocal0, t);
                Vec.Store(g1 * y1 * reciprocal1, t + VD.Count);
            }

            // Pass 2: dx_j = dy_j s_j^-beta - 2 a beta x_j * (sum of t over the mirrored window).
            if (!direct)
            {
                PrefixAndSuffix();
            }

            var twoABeta = Vec.Create(2 * _plan.A * _plan.Beta);
            for (int j = 0, phase = 0; j < channels; j++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                Sum(tRows, direct, j, phase == 0, out VD w0, out VD w1);
                Load2(x + (j * stride), out VD x0, out VD x1);
                double* r = _r + (j * B);
                PrefetchAhead(dx + (j * stride), B);
                Store2(dx + (j * stride), Vec.Load(r) - (twoABeta * x0 * w0), Vec.Load(r + VD.Count) - (twoABeta * x1 * w1));
            }
        }

        /// <summary>
        /// <see cref="Backward{T, TPower}(T*, T*, T*, T*, nint)"/> in one pass for windows of lo, hi &lt;= 2. Step t squares
        /// channel t; channel c = t - hi then has its window, so s_c, dy_c s_c^-beta and t_c = dy_c y_c / s_c; channel
        /// j = c - lo then has its mirrored window t_{j-hi} .. t_{j+lo}, so dx_j. The last lo + hi squares and values of t
        /// and the last lo of dy s^-beta stay in registers; x and dy are read again from the cache. The same sums in the
        /// same order as the passes through Z, R and T; s^-beta and 1/s from <see cref="NegativePowerAndReciprocal{TPower}(VD, out VD)"/>. AlexNet norm1, one thread, dx from x and dy: float32 data n = 5
        /// 2.70-2.75 -> 1.78-1.82 ms, n = 3 2.56-2.71 -> 1.68-1.85, float64 data n = 5 3.11-3.27 -> 1.79-1.87 (five
        /// alternating runs of each build, 2026-11-27).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BackwardInRegisters<T, TPower, TWindow>(T* x, T* y, T* dy, T* dx, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            int carried = TWindow.Lo + TWindow.Hi;
            int lo = TWindow.Lo;
            int hi = TWindow.Hi;
            int channels = _plan.Channels;
            VD k = Vec.Create(_plan.K);
            VD a = Vec.Create(_plan.A);
            VD twoABeta = Vec.Create(2 * _plan.A * _plan.Beta);

            // Squares of channels t - carried .. t - 1; t of channels c - carried .. c - 1; dy s^-beta of channels
            // c - lo .. c - 1. Channels outside 0 .. C - 1 hold zeros.
            var squares = default(Carried<double>);
            var terms = default(Carried<double>);
            var scaled = default(Carried<double>);
            for (int t = 0; t < channels + carried; t++)
            {
                VD z0 = VD.Zero;
                VD z1 = VD.Zero;
                if (t < channels)
                {
                    PrefetchAhead(x + (t * stride), B);
                    PrefetchAhead(dy + (t * stride), B);
                    Load2(x + (t * stride), out z0, out z1);
                    z0 *= z0;
                    z1 *= z1;
                }

                // Channel c = t - hi: its window is complete.
                int c = t - hi;
                VD tc0 = VD.Zero;
                VD tc1 = VD.Zero;
                VD rc0 = VD.Zero;
                VD rc1 = VD.Zero;
                if ((uint)c < (uint)channels)
                {
                    squares.Sum(carried, z0, z1, out VD s0, out VD s1);
                    s0 = k + (a * s0);
                    s1 = k + (a * s1);
                    NegativePowersAndReciprocals<TPower>(s0, s1, out VD p0, out VD p1, out VD reciprocal0, out VD reciprocal1);
                    Load2(dy + (c * stride), out VD g0, out VD g1);
                    VD y0, y1;
                    if (y != null)
                    {
                        Load2(y + (c * stride), out y0, out y1);
                    }
                    else
                    {
                        Load2(x + (c * stride), out VD x0, out VD x1);
                        y0 = x0 * p0;
                        y1 = x1 * p1;
                    }

                    rc0 = g0 * p0;
                    rc1 = g1 * p1;
                    tc0 = g0 * y0 * reciprocal0;
                    tc1 = g1 * y1 * reciprocal1;
                }

                // Channel j = c - lo: its mirrored window, t of channels j - hi .. j + lo = c, is complete.
                int j = c - lo;
                if (j >= 0)
                {
                    terms.Sum(carried, tc0, tc1, out VD w0, out VD w1);
                    Load2(x + (j * stride), out VD x0, out VD x1);
                    PrefetchAhead(dx + (j * stride), B);
                    Store2(dx + (j * stride), scaled.Oldest0 - (twoABeta * x0 * w0), scaled.Oldest1 - (twoABeta * x1 * w1));
                }

                squares.Push(carried, z0, z1);
                terms.Push(carried, tc0, tc1);
                scaled.Push(lo, rc0, rc1);
            }
        }

        /// <summary>
        /// Whether the float32 backward may take float32 arithmetic (<see cref="TryBackwardFloat32InRegisters{TPower}"/>):
        /// 32 vector registers, windows of lo, hi from 1 to 2, the plan's float32 range, and k &gt; 0, so that s, s^-beta
        /// and 1/s are bounded by k alone (the plan's range also keeps beta at most 1.2). The caller also leaves out
        /// beta 0, which this property cannot see. Other exponents than
        /// 0.5, 0.75 and 1 take the forward's float32 power (a series near k, else tables): beta 0.6, AlexNet norm1,
        /// one thread, 5.6-5.9 -> 1.2-1.6 ms, channels-last 5.7-6.1 -> 1.03-1.10 (five alternating runs, 2026-11-27).
        /// </summary>
        public bool Float32Backward =>
            ThirtyTwoRegisters && _plan.Float32Allowed && _plan.K > 0 && _plan.Lo is 1 or 2 && _plan.Hi is 1 or 2;

        /// <summary>
        /// The backward of <see cref="BackwardInRegisters{T, TPower, TWindow}"/> on 2 x VF.Count lanes in float32
        /// arithmetic: twice the lanes of its float64 arithmetic, and s^-beta and 1/s from one reciprocal square root
        /// estimate instead of a division and square roots. t = (dy s^-beta)(x / s) with y recomputed (y null), dy (y /
        /// s) with y given, whose range is then checked too. y given is prefetched as x and dy are, and dx where the
        /// tensors exceed the caches: [32,96,55,55], one thread, 4.97-5.67 -> 4.04-4.35 ms, y given 8.3-9.5 -> 6.1-6.9;
        /// AlexNet norm1 y given 1.66-1.85 -> 1.48-1.62 (five alternating runs of each build). It writes dx before knowing
        /// whether the block's values allow float32 arithmetic (<see cref="Float32BackwardInRange"/>); on false the
        /// caller computes the block again in float64 (dx never overlaps an input).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryBackwardFloat32InRegisters<TPower>(float* x, float* y, float* dy, float* dx, nint stride)
            where TPower : struct, IExponent
        {
            switch ((_plan.Lo, _plan.Hi))
            {
                case (1, 1): return TryBackwardFloat32InRegisters<TPower, Window11>(x, y, dy, dx, stride);
                case (1, 2): return TryBackwardFloat32InRegisters<TPower, Window12>(x, y, dy, dx, stride);
                case (2, 1): return TryBackwardFloat32InRegisters<TPower, Window21>(x, y, dy, dx, stride);
                case (2, 2): return TryBackwardFloat32InRegisters<TPower, Window22>(x, y, dy, dx, stride);
                default: return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private bool TryBackwardFloat32InRegisters<TPower, TWindow>(float* x, float* y, float* dy, float* dx, nint stride)
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            int carried = TWindow.Lo + TWindow.Hi;
            int lo = TWindow.Lo;
            int hi = TWindow.Hi;
            int channels = _plan.Channels;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF twoABeta = Vec.Create((float)(2 * _plan.A * _plan.Beta));
            var xRange = new Magnitudes();
            var dyRange = new Magnitudes();
            var yRange = new Magnitudes();

            // As in the float64 loop: squares of channels t - carried .. t - 1; t of channels c - carried .. c - 1;
            // dy s^-beta of channels c - lo .. c - 1; zeros outside 0 .. C - 1.
            var squares = default(Carried<float>);
            var terms = default(Carried<float>);
            var scaled = default(Carried<float>);
            for (int t = 0; t < channels + carried; t++)
            {
                VF z0 = VF.Zero;
                VF z1 = VF.Zero;
                if (t < channels)
                {
                    float* row = x + (t * stride);
                    PrefetchAhead(row, 2 * VF.Count);
                    PrefetchAhead(dy + (t * stride), 2 * VF.Count);
                    if (y != null)
                    {
                        PrefetchAhead(y + (t * stride), 2 * VF.Count);
                    }

                    if (_prefetchOutputs)
                    {
                        PrefetchAhead(dx + (t * stride), 2 * VF.Count);
                    }

                    VF x0 = Vec.Load(row);
                    VF x1 = Vec.Load(row + VF.Count);
                    xRange.Add(x0);
                    xRange.Add(x1);
                    z0 = x0 * x0;
                    z1 = x1 * x1;
                }

                // Channel c = t - hi: its window is complete.
                int c = t - hi;
                VF tc0 = VF.Zero;
                VF tc1 = VF.Zero;
                VF rc0 = VF.Zero;
                VF rc1 = VF.Zero;
                if ((uint)c < (uint)channels)
                {
                    squares.Sum(carried, z0, z1, out VF s0, out VF s1);
                    VF p0 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, s0, k), out VF reciprocal0);
                    VF p1 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, s1, k), out VF reciprocal1);
                    VF g0 = Vec.Load(dy + (c * stride));
                    VF g1 = Vec.Load(dy + (c * stride) + VF.Count);
                    dyRange.Add(g0);
                    dyRange.Add(g1);
                    rc0 = g0 * p0;
                    rc1 = g1 * p1;
                    if (y == null)
                    {
                        tc0 = rc0 * (Vec.Load(x + (c * stride)) * reciprocal0);
                        tc1 = rc1 * (Vec.Load(x + (c * stride) + VF.Count) * reciprocal1);
                    }
                    else
                    {
                        VF y0 = Vec.Load(y + (c * stride));
                        VF y1 = Vec.Load(y + (c * stride) + VF.Count);
                        yRange.Add(y0);
                        yRange.Add(y1);
                        tc0 = g0 * (y0 * reciprocal0);
                        tc1 = g1 * (y1 * reciprocal1);
                    }
                }

                // Channel j = c - lo: its mirrored window, t of channels j - hi .. j + lo = c, is complete.
                int j = c - lo;
                if (j >= 0)
                {
                    terms.Sum(carried, tc0, tc1, out VF w0, out VF w1);
                    float* output = dx + (j * stride);
                    Vec.Store(scaled.Oldest0 - (twoABeta * Vec.Load(x + (j * stride)) * w0), output);
                    Vec.Store(scaled.Oldest1 - (twoABeta * Vec.Load(x + (j * stride) + VF.Count) * w1), output + VF.Count);
                }

                squares.Push(carried, z0, z1);
                terms.Push(carried, tc0, tc1);
                scaled.Push(lo, rc0, rc1);
            }

            return Float32BackwardInRange(xRange, dyRange, yRange, y != null);
        }

        /// <summary>
        /// Whether the float32 backward may take float32 arithmetic in two passes (<see cref="TryBackwardFloat32Direct{TPower}"/>)
        /// where <see cref="Float32Backward"/>'s one pass does not apply: other windows (TensorFlow's default depth_radius
        /// 5 is n = 11), or all where there are not 32 vector registers; the plan's float32 range and k &gt; 0 as for the
        /// one pass. AlexNet norm1, one thread: n = 11 2.74-2.86 -> 1.90-2.17 ms, n = 7 beta 0.6 5.7-5.8 -> 1.8-2.3, n = 31
        /// (block sums) 3.45-3.67 -> 2.27-2.42 (five alternating runs of each build, 2026-11-27); with AVX2 alone (no
        /// estimates worth having) n = 5 unchanged, 3.9-4.1 ms.
        /// </summary>
        public bool Float32BackwardDirect =>
            _plan.Float32Allowed && _plan.K > 0 && !Float32Backward;

        /// <summary>
        /// The float32 backward on 2 x VF.Count lanes in two passes over rows of float32 scratch, the windows summed
        /// directly (up to <see cref="DirectWindowMax"/> channels) or from block sums, as
        /// <see cref="Backward{T, TPower}(T*, T*, T*, T*, nint)"/> sums them in float64: squares into Z; then per
        /// channel s, s^-beta and 1/s (<see cref="NegativePowerAndReciprocal{TPower}(Vector128{float}, out Vector128{float})"/>), r =
        /// dy s^-beta into R and t = r (x / s), or dy (y / s) with y given, into T, padded for the mirrored window; then
        /// dx = r - 2 a beta x (the window's sum of t). The ranges and the false return are those of
        /// <see cref="TryBackwardFloat32InRegisters{TPower}"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryBackwardFloat32Direct<TPower>(float* x, float* y, float* dy, float* dx, nint stride)
            where TPower : struct, IExponent
        {
            int rowLength = 2 * VF.Count;
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int w = _plan.Width;
            int channels = _plan.Channels;
            bool direct = w <= DirectWindowMax;
            float* z = (float*)_z;
            float* prefixes = (float*)_p;
            float* suffixes = (float*)_q;
            float* scaled = (float*)_r;

            // Z: lo zero rows, the squares, hi zero rows. T: hi zero rows, the terms, lo zero rows (the mirrored
            // window); in P where the windows are summed directly from the rows, else in Z once P and Q hold Z's
            // block sums, which are then built again from T.
            float* terms = direct ? prefixes : z;
            var xRange = new Magnitudes();
            var dyRange = new Magnitudes();
            var yRange = new Magnitudes();
            new Span<float>(z, lo * rowLength).Clear();
            new Span<float>(z + ((lo + channels) * rowLength), hi * rowLength).Clear();
            for (int c = 0; c < channels; c++)
            {
                float* row = x + (c * stride);
                PrefetchAhead(row, rowLength);
                VF x0 = Vec.Load(row);
                VF x1 = Vec.Load(row + VF.Count);
                xRange.Add(x0);
                xRange.Add(x1);
                float* squares = z + ((lo + c) * rowLength);
                Vec.Store(x0 * x0, squares);
                Vec.Store(x1 * x1, squares + VF.Count);
            }

            if (!direct)
            {
                PrefixAndSuffix(z, prefixes, suffixes);
            }

            new Span<float>(terms, hi * rowLength).Clear();
            new Span<float>(terms + ((hi + channels) * rowLength), lo * rowLength).Clear();
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            for (int c = 0, phase = 0; c < channels; c++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                VF s0, s1;
                if (direct)
                {
                    SumOfRows(z + (c * rowLength), rowLength, w, out s0, out s1);
                }
                else
                {
                    Window(prefixes, suffixes, c, phase == 0, out s0, out s1);
                }

                VF p0 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, s0, k), out VF reciprocal0);
                VF p1 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, s1, k), out VF reciprocal1);
                PrefetchAhead(dy + (c * stride), rowLength);
                VF g0 = Vec.Load(dy + (c * stride));
                VF g1 = Vec.Load(dy + (c * stride) + VF.Count);
                dyRange.Add(g0);
                dyRange.Add(g1);
                VF r0 = g0 * p0;
                VF r1 = g1 * p1;
                VF t0, t1;
                if (y == null)
                {
                    t0 = r0 * (Vec.Load(x + (c * stride)) * reciprocal0);
                    t1 = r1 * (Vec.Load(x + (c * stride) + VF.Count) * reciprocal1);
                }
                else
                {
                    PrefetchAhead(y + (c * stride), rowLength);
                    VF y0 = Vec.Load(y + (c * stride));
                    VF y1 = Vec.Load(y + (c * stride) + VF.Count);
                    yRange.Add(y0);
                    yRange.Add(y1);
                    t0 = g0 * (y0 * reciprocal0);
                    t1 = g1 * (y1 * reciprocal1);
                }

                Vec.Store(r0, scaled + (c * rowLength));
                Vec.Store(r1, scaled + (c * rowLength) + VF.Count);
                float* term = terms + ((hi + c) * rowLength);
                Vec.Store(t0, term);
                Vec.Store(t1, term + VF.Count);
            }

            if (!direct)
            {
                PrefixAndSuffix(terms, prefixes, suffixes);
            }

            VF twoABeta = Vec.Create((float)(2 * _plan.A * _plan.Beta));
            for (int j = 0, phase = 0; j < channels; j++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                VF w0, w1;
                if (direct)
                {
                    SumOfRows(terms + (j * rowLength), rowLength, w, out w0, out w1);
                }
                else
                {
                    Window(prefixes, suffixes, j, phase == 0, out w0, out w1);
                }

                float* output = dx + (j * stride);
                if (_prefetchOutputs)
                {
                    PrefetchAhead(output, rowLength);
                }

                Vec.Store(Vec.Load(scaled + (j * rowLength)) - (twoABeta * Vec.Load(x + (j * stride)) * w0), output);
                Vec.Store(Vec.Load(scaled + (j * rowLength) + VF.Count) - (twoABeta * Vec.Load(x + (j * stride) + VF.Count) * w1), output + VF.Count);
            }

            return Float32BackwardInRange(xRange, dyRange, yRange, y != null);
        }

        /// <summary>
        /// <see cref="TryBackwardFloat32Direct{TPower}"/> in one pass over the channels on <see cref="RowVectors"/> x
        /// VF.Count lanes, for windows of at most <see cref="DirectWindowMaxFloat32"/> channels where the in-registers
        /// backward would spill (16 registers): three rings of <see cref="RingSlots"/> rows in Z hold the squares, r = dy
        /// s^-beta and the terms t. Step u reads channel u's run of x; channel c = u - hi, whose window is then complete,
        /// gets s, r and t; channel j = c - lo, whose mirrored window of t is then complete, gets dx. Sums, arithmetic
        /// and ranges are those of the two-vector passes, so are the results and the false return (dx written; the
        /// caller computes the block again). AlexNet norm1, n = 5, Zen 2 EPYC with AVX2 (Vector256), against the two-vector
        /// passes: one thread, y recomputed 4.47-4.53 -> 3.86-3.96 ms, y given 5.17-5.29 -> 4.56-4.59; two threads 2.46-3.22
        /// -> 2.19-2.23 and 2.73-3.54 -> 2.66-2.72 (three alternating runs of each build, 2026-11-27).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryBackwardFloat32Ring<TPower>(float* x, float* y, float* dy, float* dx, nint stride)
            where TPower : struct, IExponent
        {
            int rowLength = RowVectors * VF.Count;
            float* squares = (float*)_z;
            float* terms = squares + (RingSlots * rowLength) + Skew;
            float* scaled = terms + (RingSlots * rowLength) + Skew;
            float* zeros = scaled + (RingSlots * rowLength) + Skew;
            new Span<float>(zeros, rowLength).Clear();
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int w = _plan.Width;
            int channels = _plan.Channels;
            var xRange = new Magnitudes();
            var dyRange = new Magnitudes();
            var yRange = new Magnitudes();
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF twoABeta = Vec.Create((float)(2 * _plan.A * _plan.Beta));

            // Rows before channel 0: lo of squares (the window), hi of terms (the mirrored window).
            for (int i = 1; i <= Math.Max(lo, hi); i++)
            {
                new Span<float>(squares + (Slot(-i) * rowLength), rowLength).Clear();
                new Span<float>(terms + (Slot(-i) * rowLength), rowLength).Clear();
            }

            for (int u = 0; u < channels + hi + lo; u++)
            {
                float* square = squares + (Slot(u) * rowLength);
                if (u < channels)
                {
                    float* row = x + (u * stride);
                    PrefetchDown(x, u, channels, stride, rowLength);
                    for (int i = 0; i < rowLength; i += 2 * VF.Count)
                    {
                        VF x0 = Vec.Load(row + i);
                        VF x1 = Vec.Load(row + i + VF.Count);
                        xRange.Add(x0);
                        xRange.Add(x1);
                        Vec.Store(x0 * x0, square + i);
                        Vec.Store(x1 * x1, square + i + VF.Count);
                    }
                }
                else
                {
                    new Span<float>(square, rowLength).Clear();
                }

                int c = u - hi;
                float* term = terms + (Slot(c) * rowLength);
                if ((uint)c < (uint)channels)
                {
                    float* inputs = x + (c * stride);
                    float* gradients = dy + (c * stride);
                    float* outputs = y + (c * stride);
                    PrefetchDown(dy, c, channels, stride, rowLength);
                    if (y != null)
                    {
                        PrefetchDown(y, c, channels, stride, rowLength);
                    }

                    float* r = scaled + (Slot(c) * rowLength);
                    Five window = RingWindow(squares, c - lo, w, rowLength, zeros);
                    for (int i = 0; i < rowLength; i += 2 * VF.Count)
                    {
                        VF p0 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, SumOfFive(window, i), k), out VF reciprocal0);
                        VF p1 = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, SumOfFive(window, i + VF.Count), k), out VF reciprocal1);
                        VF g0 = Vec.Load(gradients + i);
                        VF g1 = Vec.Load(gradients + i + VF.Count);
                        dyRange.Add(g0);
                        dyRange.Add(g1);
                        VF r0 = g0 * p0;
                        VF r1 = g1 * p1;
                        VF t0, t1;
                        if (y == null)
                        {
                            t0 = r0 * (Vec.Load(inputs + i) * reciprocal0);
                            t1 = r1 * (Vec.Load(inputs + i + VF.Count) * reciprocal1);
                        }
                        else
                        {
                            VF y0 = Vec.Load(outputs + i);
                            VF y1 = Vec.Load(outputs + i + VF.Count);
                            yRange.Add(y0);
                            yRange.Add(y1);
                            t0 = g0 * (y0 * reciprocal0);
                            t1 = g1 * (y1 * reciprocal1);
                        }

                        Vec.Store(r0, r + i);
                        Vec.Store(r1, r + i + VF.Count);
                        Vec.Store(t0, term + i);
                        Vec.Store(t1, term + i + VF.Count);
                    }
                }
                else if (c >= 0)
                {
                    new Span<float>(term, rowLength).Clear();
                }

                int j = c - lo;
                if (j >= 0)
                {
                    float* input = x + (j * stride);
                    float* output = dx + (j * stride);
                    float* r = scaled + (Slot(j) * rowLength);
                    Five window = RingWindow(terms, j - hi, w, rowLength, zeros);
                    for (int i = 0; i < rowLength; i += 2 * VF.Count)
                    {
                        VF w0 = SumOfFive(window, i);
                        VF w1 = SumOfFive(window, i + VF.Count);
                        Vec.Store(Vec.Load(r + i) - (twoABeta * Vec.Load(input + i) * w0), output + i);
                        Vec.Store(Vec.Load(r + i + VF.Count) - (twoABeta * Vec.Load(input + i + VF.Count) * w1), output + i + VF.Count);
                    }
                }
            }

            return Float32BackwardInRange(xRange, dyRange, yRange, y != null);
        }

        /// <summary>
        /// Whether float32 arithmetic kept every quantity of the backward a normal float32 (or exactly 0) with room to
        /// spare, given the smallest and largest nonzero |x|, |dy| and, where y was given, |y| of a block: s in [k, k +
        /// a w max x^2], then r = dy s^-beta, y = x s^-beta (recomputed), m = x / s (y recomputed) or y / s (given), t =
        /// r m (recomputed) or dy m (given), 2 a beta x and 2 a beta x times a window of t between 2^-100 and 2^100 at
        /// both ends. Each operation then rounds once, to a relative error of 2^-24, and underflow never loses a digit
        /// that the float64 reference keeps. Sums of t may cancel: their error is relative to the sum of |t|, as the
        /// gradient's bound is (Tolerance.GradientRelative in the tests).
        /// </summary>
        private bool Float32BackwardInRange(Magnitudes xRange, Magnitudes dyRange, Magnitudes yRange, bool yGiven)
        {
            bool anyX = xRange.Narrowest(out double x0);
            bool anyDy = dyRange.Narrowest(out double d0);
            double y0 = 0;
            bool anyY = yGiven ? yRange.Narrowest(out y0) : anyX;
            if (!xRange.Widest(out double x1) || !dyRange.Widest(out double d1) || !yRange.Widest(out double y1)
                || x1 > _plan.Float32MaxAbs || (anyX && x0 < _plan.Float32MinAbs))
            {
                return false; // NaN or infinity, or x outside the forward's range
            }

            const double Low = 7.8886090522101181E-31; // 2^-100
            const double High = 1.2676506002282294E+30; // 2^100
            double sLow = _plan.K;
            double sHigh = _plan.K + (_plan.A * _plan.Width * x1 * x1);
            double pLow = Power.Negative(sHigh, _plan.Beta);
            double pHigh = Power.Negative(sLow, _plan.Beta);
            double twoABeta = 2 * _plan.A * _plan.Beta;
            bool ok = sHigh < High && pLow > Low && pHigh < High;
            if (!yGiven)
            {
                (y0, y1) = (x0 * pLow, x1 * pHigh);
            }

            // t's factors: r and x / s where y is recomputed, dy and y / s where it is given.
            (double f0, double f1) = yGiven ? (d0, d1) : (d0 * pLow, d1 * pHigh);
            (double m0, double m1) = yGiven ? (y0 / sHigh, y1 / sLow) : (x0 / sHigh, x1 / sLow);
            if (anyDy)
            {
                ok &= Within(d0 * pLow) && Within(d1 * pHigh);
            }

            if (anyX)
            {
                ok &= Within(twoABeta * x0) && Within(twoABeta * x1);
            }

            if (anyY)
            {
                ok &= Within(y0) && Within(y1) && Within(m0) && Within(m1);
            }

            if (anyX && anyY && anyDy)
            {
                double tLow = f0 * m0;
                double tHigh = f1 * m1;
                ok &= Within(tLow) && Within(tHigh) && Within(twoABeta * x0 * tLow) && Within(twoABeta * x1 * tHigh * _plan.Width);
            }

            return ok;

            static bool Within(double v) => v >= Low && v <= High;
        }

        /// <summary>
        /// The forward in float32 arithmetic on 2 x VF.Count lanes (rows of Z, P and Q then hold floats). Returns false
        /// when a value lies outside the plan's float32 range, having written nothing, except that windows of lo, hi
        /// &lt;= 2 out of place (<see cref="TryForwardFloat32InRegisters{TWindow, TPower}"/>) may have written y, which the caller
        /// then writes again from x.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent
        {
            int w = _plan.Width;
            if (w > DirectWindowMaxFloat32)
            {
                return TryForwardWideFloat32<TPower>(x, y, stride);
            }

            if (x != y && ThirtyTwoRegisters)
            {
                switch ((_plan.Lo, _plan.Hi))
                {
                    case (1, 1): return TryForwardFloat32InRegisters<Window11, TPower>(x, y, stride);
                    case (1, 2): return TryForwardFloat32InRegisters<Window12, TPower>(x, y, stride);
                    case (2, 1): return TryForwardFloat32InRegisters<Window21, TPower>(x, y, stride);
                    case (2, 2): return TryForwardFloat32InRegisters<Window22, TPower>(x, y, stride);
                }
            }

            return TryForwardFloat32TwoPasses<TPower>(x, y, stride, 2);
        }

        /// <summary>
        /// The float64 forward of channels c0 .. c1 - 1 of one image (x and y at its start) at its positions 0 .. bulk - 1
        /// (a multiple of B), for windows of up to five channels, plane by plane: the pass reads x and writes y in
        /// order, as a copy does, where the blocks along the rows visit each of C rows a plane apart for B positions.
        /// Step t takes plane t (the window's newest, hi planes ahead of the output c = t - hi) into a ring of five
        /// planes of squares and, once c &gt;= c0, adds the four planes before it and the new square in the order of
        /// <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>, planes before the window or
        /// outside the image read as zeros (adding +0 to a sum of squares changes no bit): the blocks' bits. Each plane
        /// of x is read before its own output is written, so x may be y when c0 = 0 and c1 = C.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ForwardFloat64Flat<TPower>(double* x, double* y, nint plane, nint bulk, int c0, int c1)
            where TPower : struct, IExponent
        {
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int channels = _plan.Channels;
            double* zeros = _z;
            double* ring = _z + plane;
            new Span<double>(zeros, (int)bulk).Clear();
            VD k = Vec.Create(_plan.K);
            VD a = Vec.Create(_plan.A);
            // Streaming stores past the caches (whole aligned lines; a y off a double's alignment takes ordinary
            // stores) save the outputs' reads for ownership, for every exponent but the general ones (bound by their
            // power: AlexNet norm1 beta 0.6 with Math.Pow lane by lane 25.1 -> 25.5 ms; with Float64PowerPair,
            // [32,96,55,55] 22.3-22.5 -> 25.0-25.4, two threads, 2026-11-28). With the partial lines at the planes'
            // ends written both ways (the first and last B positions overlapping the streamed lines), beta 0.75 lost
            // (norm1 1.99-2.01 -> 2.07-2.12 ms, [32,96,55,55] 7.5-7.9 -> 8.6-8.8); with them written by ordinary
            // stores alone, two threads: beta 1 norm1 1.48-1.57 -> 1.37-1.42 ms, [32,96,55,55] 6.0-6.3 -> 5.6-6.4;
            // beta 0.75 norm1 1.84-1.89 -> 1.63-1.65, beta 0.5 1.76-1.84 -> 1.70-1.72 (Zen 2 EPYC, alternating runs,
            // 2026-11-28).
            bool stream = !double.IsNaN(TPower.Beta) && _prefetchOutputs && x != y && bulk >= 2 * B && B * sizeof(double) == 64
                && ((nuint)y & (sizeof(double) - 1)) == 0;
            double* stage = stackalloc double[B];
            for (int t = Math.Max(0, c0 - lo); t < c1 + hi; t++)
            {
                double* lead = t < channels ? x + (t * plane) : zeros;
                double* square = ring + ((t % 5) * plane);
                int c = t - hi;
                if (c < c0)
                {
                    for (nint i = 0; i < bulk; i += VD.Count)
                    {
                        VD v = Vec.Load(lead + i);
                        Vec.Store(v * v, square + i);
                    }

                    continue;
                }

                int first = Math.Max(0, c - lo);
                double* Plane(int u) => u >= first && u < channels ? ring + ((u % 5) * plane) : zeros;
                double* r0 = Plane(t - 4);
                double* r1 = Plane(t - 3);
                double* r2 = Plane(t - 2);
                double* r3 = Plane(t - 1);
                double* input = x + (c * plane);
                double* output = y + (c * plane);
                if (!stream)
                {
                    Float64FlatPlane<TPower, UnhintedOutputs>(lead, square, r0, r1, r2, r3, input, output, 0, bulk, k, a);
                    continue;
                }

                // The whole lines of the output plane past the caches. The partial lines at its ends, which the
                // neighbouring planes share, with ordinary stores only: one step each into the stage, of which the
                // positions before the first whole line and after the last are copied out.
                nint aligned = (nint)((((nuint)output + 63) & ~(nuint)63) - (nuint)output) / sizeof(double);
                nint end = aligned + ((bulk - aligned) / B * B);
                Float64FlatPlane<TPower, StreamedOutputs>(lead, square, r0, r1, r2, r3, input, output, aligned, end, k, a);
                if (aligned > 0)
                {
                    Float64FlatPlane<TPower, UnhintedOutputs>(lead, square, r0, r1, r2, r3, input, stage, 0, B, k, a);
                    new Span<double>(stage, (int)aligned).CopyTo(new Span<double>(output, (int)aligned));
                }

                if (end < bulk)
                {
                    Float64FlatPlane<TPower, UnhintedOutputs>(lead, square, r0, r1, r2, r3, input, stage - (bulk - B), bulk - B, bulk, k, a);
                    new Span<double>(stage + (end - (bulk - B)), (int)(bulk - end)).CopyTo(new Span<double>(output + end, (int)(bulk - end)));
                }
            }

            if (stream)
            {
                Streams.Fence();
            }
        }

        /// <summary>
        /// One plane of <see cref="ForwardFloat64Flat{TPower}"/>: the squares of <paramref name="lead"/> into
        /// <paramref name="square"/>, and the outputs from the window's earlier planes r0 .. r3 and the new squares.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Float64FlatPlane<TPower, TOutputs>(double* lead, double* square, double* r0, double* r1, double* r2, double* r3, double* input, double* output, nint from, nint to, VD k, VD a)
            where TPower : struct, IExponent
            where TOutputs : struct, IOutputHint
        {
            if (TPower.Beta == 0.75 && !ThirtyTwoRegisters)
            {
                // Software-pipelined in three stages: step i's window sums beside the float32 estimate of step
                // i - B's power and the float64 refinement of step i - 2 B's, so that the three parts of each long
                // chain of dependent instructions overlap. [2,96,16,16], one thread, which the caches hold: one loop
                // 0.091 ms, two stages 0.072, three 0.062; four (the sums two steps ahead) 0.063, the registers spill.
                // AlexNet norm1 two threads 1.84 -> 1.71 ms, in place 1.66 -> 1.41, [32,96,55,55] 7.2 -> 6.6 (Zen 2
                // EPYC, alternating runs, 2026-11-28). With AVX-512 the power is the square roots' (see
                // NegativePowers), which the loop below takes.
                if (to - from >= 3 * B)
                {
                    Float64FlatSums(lead, square, r0, r1, r2, r3, from, k, a, out VD first0, out VD first1);
                    Float64FlatSums(lead, square, r0, r1, r2, r3, from + B, k, a, out VD second0, out VD second1);
                    var pipeline = new ThreeQuarterPowers(first0, first1, second0, second1);
                    for (nint i = from + (2 * B); i < to; i += B)
                    {
                        Float64FlatSums(lead, square, r0, r1, r2, r3, i, k, a, out VD s0, out VD s1);
                        pipeline.Push(s0, s1, out VD p0, out VD p1);
                        Float64FlatStore<TOutputs>(input, output, i - (2 * B), p0, p1);
                    }

                    pipeline.Drain(out VD last0, out VD last1, out VD final0, out VD final1);
                    Float64FlatStore<TOutputs>(input, output, to - (2 * B), last0, last1);
                    Float64FlatStore<TOutputs>(input, output, to - B, final0, final1);
                    return;
                }
            }

            for (nint i = from; i < to; i += B)
            {
                Float64FlatSums(lead, square, r0, r1, r2, r3, i, k, a, out VD s0, out VD s1);
                NegativePowers<TPower>(s0, s1, out VD p0, out VD p1);
                Float64FlatStore<TOutputs>(input, output, i, p0, p1);
            }
        }

        /// <summary>
        /// The squares of <paramref name="lead"/> at i .. i + B - 1 into <paramref name="square"/>, and s = k + a sum
        /// of the window at those positions (the earlier planes r0 .. r3, then the new squares).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Float64FlatSums(double* lead, double* square, double* r0, double* r1, double* r2, double* r3, nint i, VD k, VD a, out VD s0, out VD s1)
        {
            nint j = i + VD.Count;
            VD x0 = Vec.Load(lead + i);
            VD x1 = Vec.Load(lead + j);
            VD q0 = x0 * x0;
            VD q1 = x1 * x1;
            Vec.Store(q0, square + i);
            Vec.Store(q1, square + j);
            s0 = k + (a * (Vec.Load(r0 + i) + Vec.Load(r1 + i) + Vec.Load(r2 + i) + Vec.Load(r3 + i) + q0));
            s1 = k + (a * (Vec.Load(r0 + j) + Vec.Load(r1 + j) + Vec.Load(r2 + j) + Vec.Load(r3 + j) + q1));
        }

        /// <summary>y = x p at i .. i + B - 1, past the caches where <typeparamref name="TOutputs"/> streams.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Float64FlatStore<TOutputs>(double* input, double* output, nint i, VD p0, VD p1)
            where TOutputs : struct, IOutputHint
        {
            nint j = i + VD.Count;
            if (TOutputs.Stream)
            {
                Streams.Store(output + i, Vec.Load(input + i) * p0);
                Streams.Store(output + j, Vec.Load(input + j) * p1);
                return;
            }

            Vec.Store(Vec.Load(input + i) * p0, output + i);
            Vec.Store(Vec.Load(input + j) * p1, output + j);
        }

        /// <summary>
        /// The float32 forward of one image for the centred window of five (lo = hi = 2), in flat order: an image's C
        /// planes of P positions are one run of C P floats, in which channel c's window at position p is the run's
        /// elements at f + d P (f = c P + p, d = -2 .. 2; outside the run, zeros). So one pass along the run reads x
        /// and writes y in order, as a copy does, where the blocks along the rows visit each of 96 rows 12 KB apart for
        /// 256 bytes; the squares q and pair sums P(f) = q(f) + q(f + P) wait in two rings of
        /// <see cref="FlatRing"/> floats (three planes and a little more), and the window adds
        /// (P(f - 2 P) + q(f)) + P(f + P), the order of <see cref="TryForwardFloat32Pairs{TPower}"/>: the same bits.
        /// The rings are read and written at any offset, so a vector that runs past a ring's end is written again at
        /// its start (<see cref="RingStore"/>), and the ring's first vector again past its end; the steps between such
        /// places go without the wrapping (<see cref="FlatRun{TPower}"/>: with the wrapping in every step, 60
        /// instructions a vector against 30, the loop ran 15-20 % slower than the blocks in the caches). Writes y before
        /// knowing that every value lies in the float32 range (checked on the squares), so x must not be y; on false
        /// the caller computes the image again block by block. [32,96,55,55] (74 MB), against the blocks: two threads
        /// 4.6-5.0 -> 3.6-3.7 ms, one 8.0-8.4 -> 6.7 (Zen 2 EPYC, AVX2, alternating runs, 2026-11-27); see
        /// <see cref="FlatChunks"/> for the others.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32Flat<TPower>(float* x, float* y, nint n, nint plane, nint outLo, nint outHi)
            where TPower : struct, IExponent
        {
            nint ring = FlatRing(plane);
            float* squares = (float*)_z + VF.Count;
            float* head = squares + (2 * ring) + (5 * VF.Count);
            float* tailLead = head + VF.Count;
            float* headInput = tailLead + VF.Count;
            float* headOutput = headInput + VF.Count;
            float* tailInput = headOutput + VF.Count;
            float* tailOutput = tailInput + VF.Count;
            float* zeros = tailOutput + VF.Count;
            new Span<float>((float*)_z, (int)FlatScratchFloats(ring)).Clear();

            // Step f (a multiple of VF.Count) writes the outputs at f .. f + VF.Count - 1 that lie in [outLo, outHi)
            // and takes in the inputs two planes on (the lead, at f + lead), from f = start, where the lead's first
            // vector starts in (-VF.Count, 0]. Lanes outside the run read as zeros; the partial vectors at the ends
            // go through the stages.
            nint lead = 2 * plane;
            nint start = -((lead + VF.Count - 1) / VF.Count * VF.Count);
            nint first = start + lead;
            nint headAt = outLo - (outLo % VF.Count);
            nint tailAt = outHi - (outHi % VF.Count);
            StageWithin(x, first, n, head);
            StageWithin(x, first + (VF.Count * ((n - 1 - first) / VF.Count)), n, tailLead);
            StageWithin(x, headAt, n, headInput);
            StageWithin(x, tailAt, n, tailInput);
            var ranges = new FlatRange(_plan);
            var rings = new FlatRings(squares, ring, lead, plane);
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            nint f = start;
            FlatStep<TPower>(rings, head, f, null, null, false, ref ranges, a, k);
            nint mask = ring - 1;
            for (f += VF.Count; f < outHi;)
            {
                nint g = f + lead;
                if (f >= outLo && f + VF.Count <= outHi && g + VF.Count <= n)
                {
                    // Runs of steps in which no ring vector crosses a ring's end and no write lands on a ring's first
                    // vector (which is kept again past the end) go without the wrapping; each such place takes one
                    // step with it.
                    nint written = g & mask;
                    nint pair = (g - plane) & mask;
                    nint square = f & mask;
                    nint earlier = (f - lead) & mask;
                    nint steps = Math.Min(
                        Math.Min(StepsWithin(written, VF.Count, ring), StepsWithin(pair, VF.Count, ring)),
                        Math.Min(StepsWithin(square, 0, ring), StepsWithin(earlier, 0, ring)));
                    steps = Math.Min(steps, Math.Min(((n - VF.Count - g) / VF.Count) + 1, ((outHi - VF.Count - f) / VF.Count) + 1));
                    if (steps > 0)
                    {
                        FlatRun<TPower>(x + g, x + f, y + f, squares + written, squares + pair, rings.Pairs + pair, squares + square, rings.Pairs + earlier, steps * VF.Count, ref ranges, a, k);
                        f += steps * VF.Count;
                        continue;
                    }
                }

                float* source = g + VF.Count <= n ? x + g : g < n ? tailLead : zeros;
                float* input = f < outLo ? headInput : f + VF.Count > outHi ? tailInput : x + f;
                float* output = f < outLo ? headOutput : f + VF.Count > outHi ? tailOutput : y + f;
                FlatStep<TPower>(rings, source, f, input, output, f + VF.Count > outLo, ref ranges, a, k);
                f += VF.Count;
            }

            if (headAt < outLo)
            {
                new Span<float>(headOutput + (outLo - headAt), (int)(headAt + VF.Count - outLo)).CopyTo(new Span<float>(y + outLo, (int)(headAt + VF.Count - outLo)));
            }

            new Span<float>(tailOutput, (int)(outHi - tailAt)).CopyTo(new Span<float>(y + tailAt, (int)(outHi - tailAt)));
            return SquaresInFloat32Range(ranges.InRange, ranges.Widest);
        }

        /// <summary>How many steps a ring vector at index j takes before it leaves [low, ring - VF.Count].</summary>
        private static nint StepsWithin(nint j, nint low, nint ring) =>
            j < low || j > ring - VF.Count ? 0 : ((ring - VF.Count - j) / VF.Count) + 1;

        /// <summary>
        /// <see cref="FlatStep{TPower}"/> for <paramref name="length"/> / VF.Count steps in which no ring vector wraps:
        /// each pointer moves on by one vector a step.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FlatRun<TPower>(float* lead, float* input, float* output, float* written, float* square1, float* pair1, float* square2, float* pair4, nint length, ref FlatRange ranges, VF a, VF k)
            where TPower : struct, IExponent
        {
            VF min = ranges.Min;
            VF max = ranges.Max;
            bool checkMin = ranges.CheckMin;
            VF inRange = ranges.InRange;
            VI widest = ranges.Widest;
            for (nint i = 0; i < length; i += VF.Count)
            {
                VF x0 = Vec.Load(lead + i);
                VF q0 = x0 * x0;
                TrackSquareRange(x0, q0, min, max, checkMin, ref inRange, ref widest);
                VF p0 = Vec.Load(square1 + i) + q0;
                Vec.Store(q0, written + i);
                Vec.Store(p0, pair1 + i);
                VF sum = Vec.Load(pair4 + i) + Vec.Load(square2 + i) + p0;
                Vec.Store(Scaled<TPower>(Vec.Load(input + i), Vec.FusedMultiplyAdd(a, sum, k)), output + i);
            }

            ranges.InRange = inRange;
            ranges.Widest = widest;
        }

        /// <summary>x[from .. from + VF.Count) at <paramref name="stage"/>, the lanes outside [0, n) zero.</summary>
        private static void StageWithin(float* x, nint from, nint n, float* stage)
        {
            for (int l = 0; l < VF.Count; l++)
            {
                nint i = from + l;
                stage[l] = i >= 0 && i < n ? x[i] : 0;
            }
        }

        /// <summary>The range check's state for <see cref="TryForwardFloat32Flat{TPower}"/> (see <see cref="TrackSquareRange"/>).</summary>
        private struct FlatRange(LrnPlan plan)
        {
            public readonly VF Min = Vec.Create(plan.Float32MinAbs);
            public readonly VF Max = Vec.Create(plan.Float32MaxAbs);
            public readonly bool CheckMin = plan.Float32MinAbs > 0;
            public VF InRange = VF.AllBitsSet;
            public VI Widest = VI.Zero;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Track(VF x, VF q) => TrackSquareRange(x, q, Min, Max, CheckMin, ref InRange, ref Widest);
        }

        /// <summary>The rings of squares and pair sums of <see cref="TryForwardFloat32Flat{TPower}"/>.</summary>
        private readonly struct FlatRings(float* squares, nint ring, nint lead, nint plane)
        {
            public readonly float* Squares = squares;
            public readonly float* Pairs = squares + ring + (3 * VF.Count);
            public readonly nint Ring = ring;
            public readonly nint Lead = lead;
            public readonly nint Plane = plane;
        }

        /// <summary>
        /// One step of <see cref="TryForwardFloat32Flat{TPower}"/>: takes the lead vector at <paramref name="source"/>
        /// (flat position f + 2 planes) into the rings and, if <paramref name="store"/>, writes the outputs at f from
        /// the inputs at <paramref name="input"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void FlatStep<TPower>(in FlatRings rings, float* source, nint f, float* input, float* output, bool store, ref FlatRange ranges, VF a, VF k)
            where TPower : struct, IExponent
        {
            nint mask = rings.Ring - 1;
            nint g = f + rings.Lead;
            VF x0 = Vec.Load(source);
            VF q0 = x0 * x0;
            ranges.Track(x0, q0);
            nint j = (g - rings.Plane) & mask;
            VF p0 = Vec.Load(rings.Squares + j) + q0;
            RingStore(rings.Squares, g & mask, rings.Ring, q0);
            RingStore(rings.Pairs, j, rings.Ring, p0);
            if (store)
            {
                VF sum = Vec.Load(rings.Pairs + ((f - rings.Lead) & mask)) + Vec.Load(rings.Squares + (f & mask)) + p0;
                Vec.Store(Scaled<TPower>(Vec.Load(input), Vec.FusedMultiplyAdd(a, sum, k)), output);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void RingStore(float* ring, nint j, nint length, VF v)
        {
            Vec.Store(v, ring + j);
            if (j > length - VF.Count)
            {
                Vec.Store(v, ring + j - length);
            }
            else if (j < VF.Count)
            {
                Vec.Store(v, ring + length + j);
            }
        }

        /// <summary>
        /// <see cref="TryForwardFloat32Ring{TPower}"/> for the centred window of five channels (lo = hi = 2: n = 5 in every
        /// convention, AlexNet's and GoogLeNet's), in one loop per row. With P(j) = q(j) + q(j + 1) the pair sums of the
        /// squares q, the window of channel c adds (P(c - 2) + q(c)) + P(c + 1), and P(c + 1) is the pair that step
        /// t = c + 2 makes from the square of channel t it has just taken: each vector takes five loads (x of channel t,
        /// q(t - 1), P(t - 4), q(t - 2), x of channel c), three additions and three stores, where the ring of squares took
        /// seven, four and two in two loops. The additions' order is not <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>'s
        /// (see <see cref="PairedFive"/>, which the two passes follow for the same bits in place). The range is checked
        /// on the squares (<see cref="TrackSquareRange"/>). Like the ring it writes y before knowing the range, so x must
        /// not be y. On a Zen 2 EPYC (Vector256), n = 5, against the ring with the same hints and range check:
        /// [2,96,16,16], one thread, 0.0268-0.0271 -> 0.0250-0.0258 ms; with those, against the eighth session's ring
        /// (34510de), two threads: AlexNet norm2 [8,256,27,27] 0.569-0.579 -> 0.480-0.499 ms, GoogLeNet [8,64,56,56]
        /// 0.548-0.577 -> 0.489-0.500, AlexNet norm1 [8,96,55,55], whose x and y (18.6 MB) outgrow the 16 MB L3,
        /// 0.95-0.98 -> 0.95-0.99 in a quiet hour and 1.31-1.39 -> 1.16-1.25 in a busy one (alternating runs,
        /// 2026-11-27): from memory, the hints' misses bound it, not the arithmetic.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32Pairs<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent
        {
            int rowLength = RowVectors * VF.Count;
            float* squares = (float*)_z;
            float* pairs = squares + (RingSlots * rowLength) + Skew;
            int channels = _plan.Channels;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;

            // q(-1) and P(-2) are zero; P(-1) = q(0) is made at t = 0. Channels from C on read a row of zeros (their
            // squares are 0, in range, and P(t - 1) = q(t - 1) + 0 = q(t - 1)).
            float* zeros = pairs + (RingSlots * rowLength) + Skew;
            new Span<float>(zeros, rowLength).Clear();
            new Span<float>(squares + (Slot(-1) * rowLength), rowLength).Clear();
            new Span<float>(pairs + (Slot(-2) * rowLength), rowLength).Clear();
            for (int t = 0; t < channels + 2; t++)
            {
                float* square = squares + (Slot(t) * rowLength);
                float* square1 = squares + (Slot(t - 1) * rowLength);
                float* square2 = squares + (Slot(t - 2) * rowLength);
                float* pair1 = pairs + (Slot(t - 1) * rowLength);
                float* pair4 = pairs + (Slot(t - 4) * rowLength);
                int c = t - 2;
                float* input = x + (c * stride);
                float* output = y + (c * stride);
                float* row = zeros;
                if (t < channels)
                {
                    row = x + (t * stride);
                    PrefetchDown(x, t, channels, stride, rowLength);
                    Prefetch.Range(y + (t * stride) + rowLength, rowLength * sizeof(float));
                }

                for (int i = 0; i < rowLength; i += 2 * VF.Count)
                {
                    VF x0 = Vec.Load(row + i);
                    VF x1 = Vec.Load(row + i + VF.Count);
                    VF q0 = x0 * x0;
                    VF q1 = x1 * x1;
                    TrackSquareRange(x0, q0, min, max, checkMin, ref inRange, ref widest);
                    TrackSquareRange(x1, q1, min, max, checkMin, ref inRange, ref widest);
                    VF p0 = Vec.Load(square1 + i) + q0;
                    VF p1 = Vec.Load(square1 + i + VF.Count) + q1;
                    Vec.Store(q0, square + i);
                    Vec.Store(q1, square + i + VF.Count);
                    Vec.Store(p0, pair1 + i);
                    Vec.Store(p1, pair1 + i + VF.Count);
                    if (c >= 0)
                    {
                        StoreOutputs<TPower>(input + i, output + i, Vec.Load(pair4 + i) + Vec.Load(square2 + i) + p0, Vec.Load(pair4 + i + VF.Count) + Vec.Load(square2 + i + VF.Count) + p1, a, k);
                    }
                }
            }

            return SquaresInFloat32Range(inRange, widest);
        }

        /// <summary>
        /// <see cref="TryForwardFloat32{TPower}"/> in one pass over the channels on <see cref="RowVectors"/> x VF.Count
        /// lanes, for windows of at most <see cref="DirectWindowMaxFloat32"/> channels but the centred five
        /// (<see cref="TryForwardFloat32Pairs{TPower}"/>), where the in-registers loops would spill (16 registers): the squares of the last rows wait in a ring of eight rows in Z, and each step reads channel
        /// t's run once and writes channel t - hi, its window added in the order of
        /// <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/> (the results of the two
        /// passes). It writes y before knowing whether every value lies in the plan's float32 range, so x must not be y:
        /// on false the caller computes the block again. x is hinted 32 rows down (<see cref="PrefetchDown"/>) and y one
        /// block along: two blocks along, C = 256 put 2 C rows of lines between a hint and its use, and AlexNet norm2
        /// [8,256,27,27] took 1.50-1.53 ms against 1.11-1.23 (one thread; norm1 1.84-1.91 -> 1.78-1.80, GoogLeNet and
        /// [32,96,55,55] unchanged; the rings of the backward and the wide windows likewise: norm2 backward 3.1-3.3 ->
        /// 2.5-2.7 ms, n = 11 1.46 -> 1.19). AlexNet norm1, n = 5, on a Zen 2 EPYC with AVX2 (Vector256): one
        /// thread 2.37-2.43 -> 1.90-1.97 ms, two 1.14-1.17 -> 0.94-0.98 (three alternating runs of each build against the
        /// two passes on two vectors, 2026-11-27); the two passes on eight vectors alone gained nothing (2.47 -> 2.59),
        /// rows of four vectors took 2.11-2.15 ms and of sixteen 2.32-2.36.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32Ring<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent
        {
            int rowLength = RowVectors * VF.Count;
            float* ring = (float*)_z;
            float* zeros = ring + (RingSlots * rowLength) + Skew;
            new Span<float>(zeros, rowLength).Clear();
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int w = _plan.Width;
            int channels = _plan.Channels;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            for (int j = 1; j <= lo; j++)
            {
                new Span<float>(ring + (Slot(-j) * rowLength), rowLength).Clear();
            }

            for (int t = 0; t < channels + hi; t++)
            {
                float* kept = ring + (Slot(t) * rowLength);
                if (t < channels)
                {
                    float* row = x + (t * stride);
                    PrefetchDown(x, t, channels, stride, rowLength);
                    Prefetch.Range(y + (t * stride) + rowLength, rowLength * sizeof(float));
                    for (int i = 0; i < rowLength; i += 2 * VF.Count)
                    {
                        VF x0 = Vec.Load(row + i);
                        VF x1 = Vec.Load(row + i + VF.Count);
                        VF q0 = x0 * x0;
                        VF q1 = x1 * x1;
                        TrackSquareRange(x0, q0, min, max, checkMin, ref inRange, ref widest);
                        TrackSquareRange(x1, q1, min, max, checkMin, ref inRange, ref widest);
                        Vec.Store(q0, kept + i);
                        Vec.Store(q1, kept + i + VF.Count);
                    }
                }
                else
                {
                    new Span<float>(kept, rowLength).Clear();
                }

                int c = t - hi;
                if (c < 0)
                {
                    continue;
                }

                Five window = RingWindow(ring, c - lo, w, rowLength, zeros);
                float* input = x + (c * stride);
                float* output = y + (c * stride);
                for (int i = 0; i < rowLength; i += 2 * VF.Count)
                {
                    StoreOutputs<TPower>(input + i, output + i, SumOfFive(window, i), SumOfFive(window, i + VF.Count), a, k);
                }
            }

            return SquaresInFloat32Range(inRange, widest);
        }

        /// <summary>
        /// <see cref="TryForwardFloat32{TPower}"/> in two passes on <paramref name="vectors"/> x VF.Count lanes (an even
        /// number): Z = x^2 for the block's rows, then each row's window summed from Z
        /// (<see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>, or in pairs where
        /// <see cref="PairedFive"/>: the same sums for every lane whatever the block's width, and the same as the
        /// one-pass loops out of place). Returns false, having written nothing, when a value lies outside the plan's
        /// float32 range. Z takes the plan's padded length PL in rows of vectors x VF.Count floats: for eight vectors 4 PL
        /// rows of B doubles, which the scratch's (3 PL + 5 C) B hold as PL = C + w - 1 &lt;= 5 C for w &lt;= 5.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32TwoPasses<TPower>(float* x, float* y, nint stride, int vectors)
            where TPower : struct, IExponent
        {
            int w = _plan.Width;
            int rowLength = vectors * VF.Count;
            float* z = (float*)_z;
            int lo = _plan.Lo;
            int channels = _plan.Channels;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            new Span<float>(z, lo * rowLength).Clear();
            new Span<float>(z + ((lo + channels) * rowLength), _plan.Hi * rowLength).Clear();
            bool checkMin = _plan.Float32MinAbs > 0;
            for (int c = 0; c < channels; c++)
            {
                PrefetchAhead(x + (c * stride), rowLength);
                PrefetchAhead(y + (c * stride), rowLength);
                float* row = z + ((lo + c) * rowLength);
                for (int i = 0; i < rowLength; i += 2 * VF.Count)
                {
                    VF x0 = Vec.Load(x + (c * stride) + i);
                    VF x1 = Vec.Load(x + (c * stride) + i + VF.Count);
                    TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                    Vec.Store(x0 * x0, row + i);
                    Vec.Store(x1 * x1, row + i + VF.Count);
                }
            }

            if (!InFloat32Range(inRange, widest, max))
            {
                return false;
            }

            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            bool paired = PairedFive(_plan);
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < rowLength; i += 2 * VF.Count)
                {
                    // Small windows: w rows added straight from Z beat building P and Q (measured with lrn bench).
                    VF s0;
                    VF s1;
                    if (paired)
                    {
                        s0 = SumOfFivePaired(z + (c * rowLength) + i, rowLength);
                        s1 = SumOfFivePaired(z + (c * rowLength) + i + VF.Count, rowLength);
                    }
                    else
                    {
                        SumOfRows(z + (c * rowLength) + i, rowLength, w, out s0, out s1);
                    }

                    StoreOutputs<TPower>(x + (c * stride) + i, y + (c * stride) + i, s0, s1, a, k);
                }
            }

            return true;
        }

        /// <summary>
        /// <see cref="TryForwardFloat32{TPower}"/> in one pass over the channels for windows of lo, hi &lt;= 2 (TWindow): the
        /// squares of the last lo + hi channels and the inputs of the last hi stay in registers, so each step loads
        /// channel t, and writes channel t - hi with its window added in the same order as <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>
        /// (the same results as the two passes through Z). It writes y before knowing whether every value lies in the
        /// plan's float32 range, so x must not be y: on false the caller computes the whole block again in float64 from
        /// x. The two passes load seven vectors per output vector and wait on memory in the first: AlexNet norm1 forward,
        /// one thread, n = 5 0.62-0.63 -> 0.42-0.43 ms, n = 3 0.59-0.63 -> 0.39-0.42, beta 0.6 1.48-1.51 -> 1.26-1.27
        /// (five alternating runs of each build, 2026-11-27). Prefetching y as well cost 20 % on this cache-sized
        /// tensor (so only larger ones get it: <c>_prefetchOutputs</c>); prefetching x two blocks ahead, as the two
        /// passes do, saves 10 %.
        /// </summary>
        private bool TryForwardFloat32InRegisters<TWindow, TPower>(float* x, float* y, nint stride)
            where TWindow : struct, IWindowShape
            where TPower : struct, IExponent => _prefetchOutputs
            ? TryForwardFloat32InRegisters<TWindow, TPower, HintedOutputs>(x, y, stride, false)
            : TryForwardFloat32InRegisters<TWindow, TPower, UnhintedOutputs>(x, y, stride, false);

        // first: with streamed outputs, whether this block starts its run along the rows (see StreamOutputs).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryForwardFloat32InRegisters<TWindow, TPower, TOutputs>(float* x, float* y, nint stride, bool first)
            where TWindow : struct, IWindowShape
            where TPower : struct, IExponent
            where TOutputs : struct, IOutputHint
        {
            int carried = TWindow.Lo + TWindow.Hi;
            int hi = TWindow.Hi;
            int channels = _plan.Channels;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;

            // Squares of channels t - carried .. t - 1 and inputs of channels t - hi .. t - 1. Channels before 0 and
            // from C on are zero, as in the padded rows of Z.
            var squares = default(Carried<float>);
            var inputs = default(Carried<float>);
            for (int t = 0; t < channels + hi; t++)
            {
                VF x0 = VF.Zero;
                VF x1 = VF.Zero;
                if (t < channels)
                {
                    float* row = x + (t * stride);
                    PrefetchAhead(row, 2 * VF.Count);
                    if (TOutputs.Prefetch)
                    {
                        PrefetchAhead(y + (t * stride), 2 * VF.Count);
                    }

                    x0 = Vec.Load(row);
                    x1 = Vec.Load(row + VF.Count);
                    TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                }

                VF z0 = x0 * x0;
                VF z1 = x1 * x1;
                if (t >= hi)
                {
                    squares.Sum(carried, z0, z1, out VF s0, out VF s1);
                    float* output = y + ((t - hi) * stride);
                    VF y0 = Scaled<TPower>(inputs.Oldest0, Vec.FusedMultiplyAdd(a, s0, k));
                    VF y1 = Scaled<TPower>(inputs.Oldest1, Vec.FusedMultiplyAdd(a, s1, k));
                    if (TOutputs.Stream)
                    {
                        StreamOutputs(output, y0, y1, t - hi, first);
                    }
                    else
                    {
                        Vec.Store(y0, output);
                        Vec.Store(y1, output + VF.Count);
                    }
                }

                squares.Push(carried, z0, z1);
                inputs.Push(hi, x0, x1);
            }

            return InFloat32Range(inRange, widest, max);
        }

        /// <summary>
        /// Whether the channels-first float32 forward writes y past the caches (<see cref="TryForwardFloat32Streamed{TPower}"/>):
        /// the plan says so (<see cref="LrnPlan.StreamsOutputs"/>: out of place, x and y beyond the caches, and a window
        /// that <see cref="TryForwardFloat32InRegisters{TWindow, TPower}"/> or <see cref="TryForwardWideFloat32{TPower}"/>
        /// takes), float32 arithmetic is allowed, this width streams (<see cref="Streams.Supported(VF)"/>: only with
        /// AVX-512, whose 32 registers the one-pass loops need), and y's rows start on whole lanes. From memory, an ordinary store first reads the line it writes: [32,96,55,55] forward, n = 5, one thread
        /// 2.33-2.50 -> 1.55-1.66 ms, two threads 1.37-1.73 -> 1.15-1.21 (four alternating runs of each build, 2026-11-27).
        /// </summary>
        public bool StreamsOutputs(float* y) =>
            _plan.StreamsOutputs && _plan.Float32Allowed && Streams.Supported(VF.Zero) && ((nint)y % sizeof(float)) == 0;

        /// <summary>
        /// <see cref="TryForwardFloat32InRegisters{TWindow, TPower}"/> or <see cref="TryForwardWideFloat32{TPower}"/> (the same
        /// arithmetic) writing y with streaming stores of whole aligned vectors (<see cref="StreamOutputs(float*, VF, VF, int, bool)"/>): each row's
        /// result vectors are joined with the row's previous ones, whose last lanes wait in the carry (vector c of R) for
        /// the next block of the run of blocks along the row; the first block of a run writes its head with an ordinary
        /// masked store, and
        /// <see cref="FlushCarries"/> writes what waits after the last. The caller fences before it computes a block again
        /// (on false) and then calls <see cref="ReloadCarries"/>; and before its item ends.
        /// </summary>
        public bool TryForwardFloat32Streamed<TPower>(float* x, float* y, nint stride, bool first)
            where TPower : struct, IExponent
        {
            if (_plan.Width > DirectWindowMaxFloat32)
            {
                return TryForwardWideFloat32<TPower, StreamedOutputs>(x, y, stride, first);
            }

            switch ((_plan.Lo, _plan.Hi))
            {
                case (1, 1): return TryForwardFloat32InRegisters<Window11, TPower, StreamedOutputs>(x, y, stride, first);
                case (1, 2): return TryForwardFloat32InRegisters<Window12, TPower, StreamedOutputs>(x, y, stride, first);
                case (2, 1): return TryForwardFloat32InRegisters<Window21, TPower, StreamedOutputs>(x, y, stride, first);
                default: return TryForwardFloat32InRegisters<Window22, TPower, StreamedOutputs>(x, y, stride, first);
            }
        }

        /// <summary>
        /// Writes channel <paramref name="c"/>'s results (y0, y1) of a block at <paramref name="output"/> with streaming
        /// stores of the two whole aligned vectors that end at output + VF.Count - offset (offset: the lanes output lies
        /// past an aligned vector): the first is channel c's carry (its previous block's y1) joined with y0, the second
        /// y0 joined with y1; y1 becomes the carry. A block that starts its run has no carry: it writes its head, the
        /// lanes before the first aligned vector, with an ordinary masked store (that line's other lanes belong to
        /// another item).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StreamOutputs(float* output, VF y0, VF y1, int c, bool first)
        {
            float* line = StreamFirst(output, y0, c, first, out VI selector);
            Streams.Store(line + VF.Count, Streams.Join(y0, y1, selector));
            ((VF*)_r)[c] = y1;
        }

        /// <summary><see cref="StreamOutputs(float*, VF, VF, int, bool)"/> for a row of four vectors: four aligned streaming stores.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StreamOutputs(float* output, VF y0, VF y1, VF y2, VF y3, int c, bool first)
        {
            float* line = StreamFirst(output, y0, c, first, out VI selector);
            Streams.Store(line + VF.Count, Streams.Join(y0, y1, selector));
            Streams.Store(line + (2 * VF.Count), Streams.Join(y1, y2, selector));
            Streams.Store(line + (3 * VF.Count), Streams.Join(y2, y3, selector));
            ((VF*)_r)[c] = y3;
        }

        /// <summary>
        /// The first store of <see cref="StreamOutputs(float*, VF, VF, int, bool)"/>: channel c's carry joined with y0,
        /// or at a run's start the head; returns the aligned address it wrote (or would have) and the selector that
        /// joins this row's vectors.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float* StreamFirst(float* output, VF y0, int c, bool first, out VI selector)
        {
            int offset = (int)((nint)output / sizeof(float)) & (VF.Count - 1);
            float* line = output - offset;
            selector = Streams.Selector(VF.Zero, offset);
            if (!first)
            {
                Streams.Store(line, Streams.Join(((VF*)_r)[c], y0, selector));
            }
            else if (offset == 0)
            {
                Streams.Store(line, y0);
            }
            else
            {
                Streams.StoreLanes(output, y0, Vec.LessThan(VI.Indices, Vec.Create(VF.Count - offset)).AsSingle());
            }

            return line;
        }

        /// <summary>
        /// After a run of <see cref="TryForwardFloat32Streamed{TPower}"/> blocks ending at <paramref name="end"/> (row 0's
        /// address), writes each row's waiting lanes, the last lanes of the last block that the streaming stores left.
        /// </summary>
        public void FlushCarries(float* end, nint stride)
        {
            VF* carries = (VF*)_r;
            for (int c = 0; c < _plan.Channels; c++)
            {
                float* rowEnd = end + (c * stride);
                int offset = (int)((nint)rowEnd / sizeof(float)) & (VF.Count - 1);
                if (offset != 0)
                {
                    Streams.StoreLanes(rowEnd - VF.Count, carries[c], Vec.GreaterThanOrEqual(VI.Indices, Vec.Create(VF.Count - offset)).AsSingle());
                }
            }
        }

        /// <summary>Takes each row's carry, the block's second vector, from y at <paramref name="second"/> (row 0's address), after the block was computed again.</summary>
        public void ReloadCarries(float* second, nint stride)
        {
            VF* carries = (VF*)_r;
            for (int c = 0; c < _plan.Channels; c++)
            {
                carries[c] = Vec.Load(second + (c * stride));
            }
        }

        /// <summary>
        /// Whether the float32 forward takes four vectors at a time out of place (<see cref="TryForwardFloat32FourVectors{TPower}"/>):
        /// windows of lo, hi from 1 to 2 or over <see cref="DirectWindowMaxFloat32"/> channels, float32 arithmetic
        /// allowed, 32 vector registers, and x and y within the caches (<see cref="CachedTensorBytes"/>): on
        /// [32,96,55,55], from memory, the four-vector loop took 2.55-2.78 ms against the two-vector loop's 2.25-2.40
        /// with its output hints (one thread, five alternating runs, 2026-11-27).
        /// </summary>
        public bool FourVectorRuns =>
            ThirtyTwoRegisters && !_prefetchOutputs && _plan.Float32Allowed
            && ((_plan.Lo is 1 or 2 && _plan.Hi is 1 or 2) || _plan.Width > DirectWindowMaxFloat32);

        /// <summary>
        /// <see cref="TryForwardFloat32InRegisters{TWindow, TPower}"/> on 4 x VF.Count lanes, two blocks side by side: each
        /// step reads a run of four vectors from channel t's row instead of two, and the inputs of channel t - hi are
        /// read again from x (the lines just read) instead of carried, which leaves the registers to the squares of
        /// both blocks. Each lane gets the arithmetic of the two-vector loop, in the same order, so the results are the
        /// same bit for bit. The row runs are what bound the forward: a block's 96 rows lie a plane (12 KB) apart, and
        /// a scratch program that only loads, squares and stores in that order took 0.39-0.44 ms with two-vector runs
        /// and 0.36-0.43 with four (one thread, AlexNet norm1, copy 0.17-0.20); the forward went from 0.37-0.47 to
        /// 0.34-0.38 ms, n = 3 from 0.35-0.39 to 0.34-0.38, n = 4 beta 0.5 from 0.39-0.44 to 0.36-0.40 (five
        /// alternating runs of each build, 2026-11-27). Other exponents run here too since their power near k is a
        /// short series (<see cref="NearNegativePower"/>): beta 0.6 0.50-0.57 -> 0.43-0.45 ms, n = 31 0.76-0.92 ->
        /// 0.68-0.82; where s is far from k (alpha 1, every vector through the tables, whose constants and temporaries
        /// do not fit beside eight carried pairs) 0.94-0.96 -> 0.98-1.04 (before the series, 1.10-1.27 -> 1.45-1.50).
        /// Six vectors would need 24 registers of squares. Out of
        /// place only, as the two-vector loop; false when a window shape is not one of the four, or when a value lies
        /// outside the plan's float32 range (y written: the caller computes both halves again). The loops it calls are
        /// never inlined: tiered compilation once recompiled this method with the four-vector loop inlined and the
        /// carried squares' Push left as a call, and one thread took 0.9-1.3 ms instead of 0.34 (two threads, whose
        /// items the thread pool calls, were not affected).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardFloat32FourVectors<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent
        {
            if (_plan.Width > DirectWindowMaxFloat32)
            {
                return TryForwardWideFloat32FourVectors<TPower>(x, y, stride);
            }

            switch ((_plan.Lo, _plan.Hi))
            {
                case (1, 1): return TryForwardFloat32FourVectors<Window11, TPower>(x, y, stride);
                case (1, 2): return TryForwardFloat32FourVectors<Window12, TPower>(x, y, stride);
                case (2, 1): return TryForwardFloat32FourVectors<Window21, TPower>(x, y, stride);
                case (2, 2): return TryForwardFloat32FourVectors<Window22, TPower>(x, y, stride);
                default: return false;
            }
        }

        private bool TryForwardFloat32FourVectors<TWindow, TPower>(float* x, float* y, nint stride)
            where TWindow : struct, IWindowShape
            where TPower : struct, IExponent => TryForwardFloat32FourVectors<TWindow, TPower, UnhintedOutputs>(x, y, stride, false);

        /// <summary>
        /// <see cref="TryForwardFloat32FourVectors{TPower}"/> (block sums for windows over
        /// <see cref="DirectWindowMaxFloat32"/> channels) writing y with streaming stores, as
        /// <see cref="TryForwardFloat32Streamed{TPower}"/> does two vectors at a time; on false the caller computes the four
        /// vectors again and reloads the carries from the last. [32,96,55,55], one thread: n = 31 2.48-2.59 -> 2.27-2.39
        /// ms, n = 5 1.50-1.54 -> 1.45-1.49, beta 0.6 1.76-1.81 -> 1.62-1.74; two threads, bound by memory, within noise
        /// (n = 5 1.17-1.22 both, n = 31 1.43-1.57 -> 1.42-1.47; four alternating runs of each build, 2026-11-27).
        /// </summary>
        public bool TryForwardFloat32FourVectorsStreamed<TPower>(float* x, float* y, nint stride, bool first)
            where TPower : struct, IExponent
        {
            if (_plan.Width > DirectWindowMaxFloat32)
            {
                return TryForwardWideFloat32FourVectors<TPower, StreamedOutputs>(x, y, stride, first);
            }

            switch ((_plan.Lo, _plan.Hi))
            {
                case (1, 1): return TryForwardFloat32FourVectors<Window11, TPower, StreamedOutputs>(x, y, stride, first);
                case (1, 2): return TryForwardFloat32FourVectors<Window12, TPower, StreamedOutputs>(x, y, stride, first);
                case (2, 1): return TryForwardFloat32FourVectors<Window21, TPower, StreamedOutputs>(x, y, stride, first);
                default: return TryForwardFloat32FourVectors<Window22, TPower, StreamedOutputs>(x, y, stride, first);
            }
        }

        // first: with streamed outputs, whether this block starts its run along the rows (see StreamOutputs).
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private bool TryForwardFloat32FourVectors<TWindow, TPower, TOutputs>(float* x, float* y, nint stride, bool first)
            where TWindow : struct, IWindowShape
            where TPower : struct, IExponent
            where TOutputs : struct, IOutputHint
        {
            int carried = TWindow.Lo + TWindow.Hi;
            int hi = TWindow.Hi;
            int channels = _plan.Channels;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;

            // Squares of channels t - carried .. t - 1 of the left block (lanes 0 .. 2 VF.Count - 1) and of the right.
            var left = default(Carried<float>);
            var right = default(Carried<float>);
            for (int t = 0; t < channels + hi; t++)
            {
                VF x0 = VF.Zero;
                VF x1 = VF.Zero;
                VF x2 = VF.Zero;
                VF x3 = VF.Zero;
                if (t < channels)
                {
                    float* row = x + (t * stride);
                    PrefetchDown(x, t, channels, stride, 4 * VF.Count);
                    x0 = Vec.Load(row);
                    x1 = Vec.Load(row + VF.Count);
                    x2 = Vec.Load(row + (2 * VF.Count));
                    x3 = Vec.Load(row + (3 * VF.Count));
                    TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x2, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x3, min, max, checkMin, ref inRange, ref widest);
                }

                VF z0 = x0 * x0;
                VF z1 = x1 * x1;
                VF z2 = x2 * x2;
                VF z3 = x3 * x3;
                if (t >= hi)
                {
                    left.Sum(carried, z0, z1, out VF s0, out VF s1);
                    right.Sum(carried, z2, z3, out VF s2, out VF s3);
                    float* input = x + ((t - hi) * stride);
                    float* output = y + ((t - hi) * stride);
                    VF y0 = Scaled<TPower>(Vec.Load(input), Vec.FusedMultiplyAdd(a, s0, k));
                    VF y1 = Scaled<TPower>(Vec.Load(input + VF.Count), Vec.FusedMultiplyAdd(a, s1, k));
                    VF y2 = Scaled<TPower>(Vec.Load(input + (2 * VF.Count)), Vec.FusedMultiplyAdd(a, s2, k));
                    VF y3 = Scaled<TPower>(Vec.Load(input + (3 * VF.Count)), Vec.FusedMultiplyAdd(a, s3, k));
                    if (TOutputs.Stream)
                    {
                        StreamOutputs(output, y0, y1, y2, y3, t - hi, first);
                    }
                    else
                    {
                        Vec.Store(y0, output);
                        Vec.Store(y1, output + VF.Count);
                        Vec.Store(y2, output + (2 * VF.Count));
                        Vec.Store(y3, output + (3 * VF.Count));
                    }
                }

                left.Push(carried, z0, z1);
                right.Push(carried, z2, z3);
            }

            return InFloat32Range(inRange, widest, max);
        }

        /// <summary>
        /// <see cref="TryForwardWideFloat32{TPower}"/> on <see cref="RowVectors"/> x VF.Count lanes where its four-vector
        /// form would spill (16 registers): the same sums in the same order, row u's prefix sums kept in a row of Z after
        /// the ring of squares and the suffix sums instead of in registers. In place as out of place (a first pass checks
        /// the range in place; out of place, on false, the caller computes the block again). AlexNet norm1, one thread,
        /// Zen 2 EPYC (Vector256), against the two-vector loop: n = 7 1.98-1.99 -> 1.82-1.83 ms, n = 11 1.99-2.03 ->
        /// 1.71-1.73, n = 17 2.21-2.24 -> 1.73-1.76, n = 31 2.15-2.19 -> 1.93-1.97 (with <see cref="Skew"/>; two or three
        /// alternating runs each, 2026-11-27). The four-vector loop here spilled: n = 31 2.07-2.14 -> 2.28-2.31 ms.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardWideFloat32Rows<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent
        {
            int rowLength = RowVectors * VF.Count;
            int lo = _plan.Lo;
            int w = _plan.Width;
            int channels = _plan.Channels;
            int length = _plan.PaddedLength;
            float* ring = (float*)_z;
            float* suffixes = ring + (w * rowLength) + Skew;
            float* prefixes = suffixes + (w * rowLength) + Skew;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            if (x == y)
            {
                for (int c = 0; c < channels; c++)
                {
                    for (int i = 0; i < rowLength; i += VF.Count)
                    {
                        TrackFloat32Range(Vec.Load(x + (c * stride) + i), min, max, checkMin, ref inRange, ref widest);
                    }
                }

                if (!InFloat32Range(inRange, widest, max))
                {
                    return false;
                }
            }

            for (int u = 0, phase = 0; u < length; u++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                int c = u - lo;
                bool inside = (uint)c < (uint)channels;
                float* row = x + (c * stride);
                if (inside)
                {
                    PrefetchDown(x, c, channels, stride, rowLength);
                    Prefetch.Range(y + (c * stride) + rowLength, rowLength * sizeof(float));
                }

                // The window of channel j = u - w + 1 starts a run (Q empty) when row u ends one.
                int j = u - w + 1;
                float* kept = ring + (phase * rowLength);
                float* tail = suffixes + ((phase + 1) * rowLength);
                float* input = x + (j * stride);
                float* output = y + (j * stride);
                for (int i = 0; i < rowLength; i += 2 * VF.Count)
                {
                    VF square0 = VF.Zero;
                    VF square1 = VF.Zero;
                    if (inside)
                    {
                        VF x0 = Vec.Load(row + i);
                        VF x1 = Vec.Load(row + i + VF.Count);
                        TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                        TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                        square0 = x0 * x0;
                        square1 = x1 * x1;
                    }

                    Vec.Store(square0, kept + i);
                    Vec.Store(square1, kept + i + VF.Count);
                    if (phase != 0)
                    {
                        square0 += Vec.Load(prefixes + i);
                        square1 += Vec.Load(prefixes + i + VF.Count);
                    }

                    Vec.Store(square0, prefixes + i);
                    Vec.Store(square1, prefixes + i + VF.Count);
                    if (j >= 0)
                    {
                        if (phase != w - 1)
                        {
                            square0 = Vec.Load(tail + i) + square0;
                            square1 = Vec.Load(tail + i + VF.Count) + square1;
                        }

                        StoreOutputs<TPower>(input + i, output + i, square0, square1, a, k);
                    }
                }

                if (phase == w - 1)
                {
                    // A run is complete: the suffix sums of its rows, each row's own square plus those after it (but
                    // the first row's: a window that starts a run is its prefix alone).
                    for (int i = 0; i < rowLength; i += 2 * VF.Count)
                    {
                        VF suffix0 = Vec.Load(ring + ((w - 1) * rowLength) + i);
                        VF suffix1 = Vec.Load(ring + ((w - 1) * rowLength) + i + VF.Count);
                        Vec.Store(suffix0, suffixes + ((w - 1) * rowLength) + i);
                        Vec.Store(suffix1, suffixes + ((w - 1) * rowLength) + i + VF.Count);
                        for (int r = w - 2; r > 0; r--)
                        {
                            suffix0 = Vec.Load(ring + (r * rowLength) + i) + suffix0;
                            suffix1 = Vec.Load(ring + (r * rowLength) + i + VF.Count) + suffix1;
                            Vec.Store(suffix0, suffixes + (r * rowLength) + i);
                            Vec.Store(suffix1, suffixes + (r * rowLength) + i + VF.Count);
                        }
                    }
                }
            }

            return InFloat32Range(inRange, widest, max);
        }

        /// <summary>
        /// <see cref="TryForwardWideFloat32Rows{TPower}"/> for one image plane by plane, its positions 0 .. P - P mod
        /// 2 VF.Count (the blocks leave the rest to float64 arithmetic; <see cref="FlatForwardItem{TPower}.Finish"/>
        /// computes them as they do): the same block sums in the same order, so the same bits, with x read and y
        /// written in order as a copy does. The rows' loop keeps the run's squares and the previous run's suffix sums
        /// apart (2 w rows); here one ring of w planes holds both: step u writes the square of padded row u into slot
        /// u mod w, whose suffix sum, from the run before, the output of step u - 1 took last; when a run is complete,
        /// its slots become suffix sums in place, plane after plane. w + 1 planes (387 KB for n = 31 on 55 x 55)
        /// instead of the rows' 16 KB: beyond the L2, but read in order. Out of place only (y is written before the
        /// range is known); false when a value lies outside the plan's float32 range. Against the rows, n = 31, two
        /// threads: AlexNet norm1 [8,96,55,55] 0.96-0.99 -> 0.89-0.92 ms, [32,96,55,55] 5.6-6.0 -> 4.5-4.6; one thread
        /// norm1 1.77 -> 1.67-1.72 (Zen 2 EPYC, alternating runs, 2026-11-28). Walking the runs' suffix sums position
        /// by position down the w planes, instead of plane by plane, gained only a third of that.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryForwardWideFloat32Flat<TPower>(float* x, float* y, nint plane)
            where TPower : struct, IExponent
        {
            int lo = _plan.Lo;
            int w = _plan.Width;
            int channels = _plan.Channels;
            int length = _plan.PaddedLength;
            nint bulk = plane - (plane % (2 * VF.Count));
            float* ring = (float*)_z;
            float* prefixes = ring + (w * plane);
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            for (int u = 0, phase = 0; u < length; u++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                int c = u - lo;
                bool inside = (uint)c < (uint)channels;
                float* row = x + (c * plane);
                int j = u - w + 1;
                float* kept = ring + (phase * plane);
                float* tail = ring + ((phase + 1) * plane);
                float* input = x + (j * plane);
                float* output = y + (j * plane);
                if (inside && j >= 0 && phase != 0 && phase != w - 1)
                {
                    // Most rows: inside the channels, in the middle of a run, with an output to write; the steps
                    // below without their tests.
                    for (nint i = 0; i < bulk; i += 2 * VF.Count)
                    {
                        VF x0 = Vec.Load(row + i);
                        VF x1 = Vec.Load(row + i + VF.Count);
                        VF q0 = x0 * x0;
                        VF q1 = x1 * x1;
                        TrackSquareRange(x0, q0, min, max, checkMin, ref inRange, ref widest);
                        TrackSquareRange(x1, q1, min, max, checkMin, ref inRange, ref widest);
                        Vec.Store(q0, kept + i);
                        Vec.Store(q1, kept + i + VF.Count);
                        q0 += Vec.Load(prefixes + i);
                        q1 += Vec.Load(prefixes + i + VF.Count);
                        Vec.Store(q0, prefixes + i);
                        Vec.Store(q1, prefixes + i + VF.Count);
                        Vec.Store(Scaled<TPower>(Vec.Load(input + i), Vec.FusedMultiplyAdd(a, Vec.Load(tail + i) + q0, k)), output + i);
                        Vec.Store(Scaled<TPower>(Vec.Load(input + i + VF.Count), Vec.FusedMultiplyAdd(a, Vec.Load(tail + i + VF.Count) + q1, k)), output + i + VF.Count);
                    }
                }
                else
                {
                    for (nint i = 0; i < bulk; i += VF.Count)
                    {
                        VF square = VF.Zero;
                        if (inside)
                        {
                            VF x0 = Vec.Load(row + i);
                            square = x0 * x0;
                            TrackSquareRange(x0, square, min, max, checkMin, ref inRange, ref widest);
                        }

                        Vec.Store(square, kept + i);
                        if (phase != 0)
                        {
                            square += Vec.Load(prefixes + i);
                        }

                        Vec.Store(square, prefixes + i);
                        if (j >= 0)
                        {
                            if (phase != w - 1)
                            {
                                square = Vec.Load(tail + i) + square;
                            }

                            Vec.Store(Scaled<TPower>(Vec.Load(input + i), Vec.FusedMultiplyAdd(a, square, k)), output + i);
                        }
                    }
                }

                if (phase == w - 1)
                {
                    for (int r = w - 2; r > 0; r--)
                    {
                        float* q = ring + (r * plane);
                        for (nint i = 0; i < bulk; i += 2 * VF.Count)
                        {
                            Vec.Store(Vec.Load(q + i) + Vec.Load(q + plane + i), q + i);
                            Vec.Store(Vec.Load(q + i + VF.Count) + Vec.Load(q + plane + i + VF.Count), q + i + VF.Count);
                        }
                    }
                }
            }

            return SquaresInFloat32Range(inRange, widest);
        }

        /// <summary>
        /// <see cref="TryForwardFloat32{TPower}"/> for windows over <see cref="DirectWindowMaxFloat32"/> channels: block sums (see
        /// <see cref="PrefixAndSuffix{TE}(TE*, TE*, TE*)"/> and <see cref="Window{TE}(TE*, TE*, int, bool, out Vector128{TE}, out Vector128{TE})"/>:
        /// the same sums in the same order) in one pass over the padded rows. Row u's prefix sum P stays in registers;
        /// when a run of w rows is complete, their suffix sums Q are built from the last w squares, kept in Z as a ring;
        /// and the window ending at row u, that of channel u - w + 1, is Q of its first row plus P of row u, so its
        /// output is written at once. Out of place, y is written before every value is known to lie in the plan's
        /// float32 range (on false the caller computes the block again from x); in place, a first pass checks the range.
        /// It replaced a float64 running sum (first pass) whose outputs came in a second pass, with block sums where the
        /// running sum's rounding was not bounded: n = 31 0.91-0.93 -> 0.59-0.65 ms, n = 17 0.88-0.92 -> 0.55-0.59
        /// (AlexNet norm1, one thread, five alternating runs of each build, 2026-11-27).
        /// </summary>
        private bool TryForwardWideFloat32<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent => _prefetchOutputs
            ? TryForwardWideFloat32<TPower, HintedOutputs>(x, y, stride, false)
            : TryForwardWideFloat32<TPower, UnhintedOutputs>(x, y, stride, false);

        // first: with streamed outputs, whether this block starts its run along the rows (see StreamOutputs).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryForwardWideFloat32<TPower, TOutputs>(float* x, float* y, nint stride, bool first)
            where TPower : struct, IExponent
            where TOutputs : struct, IOutputHint
        {
            int rowLength = 2 * VF.Count;
            float* ring = (float*)_z;
            float* suffixes = (float*)_q;
            int lo = _plan.Lo;
            int w = _plan.Width;
            int channels = _plan.Channels;
            int length = _plan.PaddedLength;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            if (x == y)
            {
                for (int c = 0; c < channels; c++)
                {
                    TrackFloat32Range(Vec.Load(x + (c * stride)), min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(Vec.Load(x + (c * stride) + VF.Count), min, max, checkMin, ref inRange, ref widest);
                }

                if (!InFloat32Range(inRange, widest, max))
                {
                    return false;
                }
            }

            VF prefix0 = VF.Zero;
            VF prefix1 = VF.Zero;
            for (int u = 0, phase = 0; u < length; u++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                VF square0 = VF.Zero;
                VF square1 = VF.Zero;
                int c = u - lo;
                if ((uint)c < (uint)channels)
                {
                    float* row = x + (c * stride);
                    PrefetchAhead(row, 2 * VF.Count);
                    if (TOutputs.Prefetch)
                    {
                        PrefetchAhead(y + (c * stride), 2 * VF.Count);
                    }

                    VF x0 = Vec.Load(row);
                    VF x1 = Vec.Load(row + VF.Count);
                    TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                    square0 = x0 * x0;
                    square1 = x1 * x1;
                }

                float* kept = ring + (phase * rowLength);
                Vec.Store(square0, kept);
                Vec.Store(square1, kept + VF.Count);
                if (phase != 0)
                {
                    square0 += prefix0;
                    square1 += prefix1;
                }

                prefix0 = square0;
                prefix1 = square1;
                if (u >= w - 1)
                {
                    // The window of channel j = u - w + 1 starts a run (Q empty) when row u ends one.
                    int j = u - w + 1;
                    VF sum0 = prefix0;
                    VF sum1 = prefix1;
                    if (phase != w - 1)
                    {
                        float* tail = suffixes + ((phase + 1) * rowLength);
                        sum0 = Vec.Load(tail) + sum0;
                        sum1 = Vec.Load(tail + VF.Count) + sum1;
                    }

                    if (TOutputs.Stream)
                    {
                        float* input = x + (j * stride);
                        VF y0 = Scaled<TPower>(Vec.Load(input), Vec.FusedMultiplyAdd(a, sum0, k));
                        VF y1 = Scaled<TPower>(Vec.Load(input + VF.Count), Vec.FusedMultiplyAdd(a, sum1, k));
                        StreamOutputs(y + (j * stride), y0, y1, j, first);
                    }
                    else
                    {
                        StoreOutputs<TPower>(x + (j * stride), y + (j * stride), sum0, sum1, a, k);
                    }
                }

                if (phase == w - 1)
                {
                    // A run is complete: the suffix sums of its rows, each row's own square plus those after it.
                    VF suffix0 = Vec.Load(ring + ((w - 1) * rowLength));
                    VF suffix1 = Vec.Load(ring + ((w - 1) * rowLength) + VF.Count);
                    Vec.Store(suffix0, suffixes + ((w - 1) * rowLength));
                    Vec.Store(suffix1, suffixes + ((w - 1) * rowLength) + VF.Count);
                    for (int r = w - 2; r >= 0; r--)
                    {
                        suffix0 = Vec.Load(ring + (r * rowLength)) + suffix0;
                        suffix1 = Vec.Load(ring + (r * rowLength) + VF.Count) + suffix1;
                        Vec.Store(suffix0, suffixes + (r * rowLength));
                        Vec.Store(suffix1, suffixes + (r * rowLength) + VF.Count);
                    }
                }
            }

            return InFloat32Range(inRange, widest, max);
        }

        /// <summary>
        /// <see cref="TryForwardWideFloat32{TPower}"/> on 4 x VF.Count lanes out of place (see
        /// <see cref="TryForwardFloat32FourVectors{TPower}"/>): the same sums in the same order on two blocks side by side,
        /// the ring of squares and the suffix sums four vectors wide, one after the other from Z (2 w rows of 4 x VF.Count
        /// floats; the scratch holds at least 3 (C + w - 1) + 5 C rows of half that, and w &lt;= 2 C - 1). n = 31
        /// 0.71-0.90 -> 0.57-0.75 ms, n = 7 0.68-0.79 -> 0.49-0.60 (AlexNet norm1, one thread, five alternating runs of
        /// each build, 2026-11-27, a noisy hour); beta 0.6, n = 11, 1.13-1.16 -> 1.21-1.23 with the tables (other
        /// exponents took two vectors until their power near k became a series: see
        /// <see cref="TryForwardFloat32FourVectors{TPower}"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private bool TryForwardWideFloat32FourVectors<TPower>(float* x, float* y, nint stride)
            where TPower : struct, IExponent => TryForwardWideFloat32FourVectors<TPower, UnhintedOutputs>(x, y, stride, false);

        // first: with streamed outputs, whether this block starts its run along the rows (see StreamOutputs).
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private bool TryForwardWideFloat32FourVectors<TPower, TOutputs>(float* x, float* y, nint stride, bool first)
            where TPower : struct, IExponent
            where TOutputs : struct, IOutputHint
        {
            int rowLength = 4 * VF.Count;
            int lo = _plan.Lo;
            int w = _plan.Width;
            float* ring = (float*)_z;
            float* suffixes = ring + (w * rowLength);
            int channels = _plan.Channels;
            int length = _plan.PaddedLength;
            VF min = Vec.Create(_plan.Float32MinAbs);
            VF max = Vec.Create(_plan.Float32MaxAbs);
            bool checkMin = _plan.Float32MinAbs > 0;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF inRange = VF.AllBitsSet;
            VI widest = VI.Zero;
            VF prefix0 = VF.Zero;
            VF prefix1 = VF.Zero;
            VF prefix2 = VF.Zero;
            VF prefix3 = VF.Zero;
            for (int u = 0, phase = 0; u < length; u++, phase = phase == w - 1 ? 0 : phase + 1)
            {
                VF square0 = VF.Zero;
                VF square1 = VF.Zero;
                VF square2 = VF.Zero;
                VF square3 = VF.Zero;
                int c = u - lo;
                if ((uint)c < (uint)channels)
                {
                    float* row = x + (c * stride);
                    PrefetchDown(x, c, channels, stride, 4 * VF.Count);
                    VF x0 = Vec.Load(row);
                    VF x1 = Vec.Load(row + VF.Count);
                    VF x2 = Vec.Load(row + (2 * VF.Count));
                    VF x3 = Vec.Load(row + (3 * VF.Count));
                    TrackFloat32Range(x0, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x1, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x2, min, max, checkMin, ref inRange, ref widest);
                    TrackFloat32Range(x3, min, max, checkMin, ref inRange, ref widest);
                    square0 = x0 * x0;
                    square1 = x1 * x1;
                    square2 = x2 * x2;
                    square3 = x3 * x3;
                }

                float* kept = ring + (phase * rowLength);
                Vec.Store(square0, kept);
                Vec.Store(square1, kept + VF.Count);
                Vec.Store(square2, kept + (2 * VF.Count));
                Vec.Store(square3, kept + (3 * VF.Count));
                if (phase != 0)
                {
                    square0 += prefix0;
                    square1 += prefix1;
                    square2 += prefix2;
                    square3 += prefix3;
                }

                prefix0 = square0;
                prefix1 = square1;
                prefix2 = square2;
                prefix3 = square3;
                if (u >= w - 1)
                {
                    // The window of channel j = u - w + 1 starts a run (Q empty) when row u ends one.
                    int j = u - w + 1;
                    VF sum0 = prefix0;
                    VF sum1 = prefix1;
                    VF sum2 = prefix2;
                    VF sum3 = prefix3;
                    if (phase != w - 1)
                    {
                        float* tail = suffixes + ((phase + 1) * rowLength);
                        sum0 = Vec.Load(tail) + sum0;
                        sum1 = Vec.Load(tail + VF.Count) + sum1;
                        sum2 = Vec.Load(tail + (2 * VF.Count)) + sum2;
                        sum3 = Vec.Load(tail + (3 * VF.Count)) + sum3;
                    }

                    if (TOutputs.Stream)
                    {
                        float* input = x + (j * stride);
                        VF y0 = Scaled<TPower>(Vec.Load(input), Vec.FusedMultiplyAdd(a, sum0, k));
                        VF y1 = Scaled<TPower>(Vec.Load(input + VF.Count), Vec.FusedMultiplyAdd(a, sum1, k));
                        VF y2 = Scaled<TPower>(Vec.Load(input + (2 * VF.Count)), Vec.FusedMultiplyAdd(a, sum2, k));
                        VF y3 = Scaled<TPower>(Vec.Load(input + (3 * VF.Count)), Vec.FusedMultiplyAdd(a, sum3, k));
                        StreamOutputs(y + (j * stride), y0, y1, y2, y3, j, first);
                    }
                    else
                    {
                        StoreOutputs<TPower>(x + (j * stride), y + (j * stride), sum0, sum1, a, k);
                        StoreOutputs<TPower>(x + (j * stride) + (2 * VF.Count), y + (j * stride) + (2 * VF.Count), sum2, sum3, a, k);
                    }
                }

                if (phase == w - 1)
                {
                    // A run is complete: the suffix sums of its rows, each row's own square plus those after it,
                    // four independent chains of additions side by side.
                    float* last = ring + ((w - 1) * rowLength);
                    VF suffix0 = Vec.Load(last);
                    VF suffix1 = Vec.Load(last + VF.Count);
                    VF suffix2 = Vec.Load(last + (2 * VF.Count));
                    VF suffix3 = Vec.Load(last + (3 * VF.Count));
                    for (int r = w - 1; r >= 0; r--)
                    {
                        if (r < w - 1)
                        {
                            float* squares = ring + (r * rowLength);
                            suffix0 = Vec.Load(squares) + suffix0;
                            suffix1 = Vec.Load(squares + VF.Count) + suffix1;
                            suffix2 = Vec.Load(squares + (2 * VF.Count)) + suffix2;
                            suffix3 = Vec.Load(squares + (3 * VF.Count)) + suffix3;
                        }

                        float* suffix = suffixes + (r * rowLength);
                        Vec.Store(suffix0, suffix);
                        Vec.Store(suffix1, suffix + VF.Count);
                        Vec.Store(suffix2, suffix + (2 * VF.Count));
                        Vec.Store(suffix3, suffix + (3 * VF.Count));
                    }
                }
            }

            return InFloat32Range(inRange, widest, max);
        }

        /// <summary>y = x (k + a s)^-beta for the two float32 vectors of a block row, whose window sums are s0 and s1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StoreOutputs<TPower>(float* x, float* y, VF s0, VF s1, VF a, VF k)
            where TPower : struct, IExponent
        {
            Vec.Store(Scaled<TPower>(Vec.Load(x), Vec.FusedMultiplyAdd(a, s0, k)), y);
            Vec.Store(Scaled<TPower>(Vec.Load(x + VF.Count), Vec.FusedMultiplyAdd(a, s1, k)), y + VF.Count);
        }

        /// <summary>
        /// s^-beta and 1/s in float32: for beta 0.5, 0.75 and 1 from one estimate
        /// (<see cref="Estimates.NegativePowerAndReciprocal(Vector128{float}, double, out Vector128{float})"/>); for other
        /// exponents (0 excepted) as <see cref="NegativePower{TPower}(Vector128{float})"/> gives it and 1/s from
        /// <see cref="Estimates.Reciprocal(Vector128{float})"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VF NegativePowerAndReciprocal<TPower>(VF s, out VF reciprocal)
            where TPower : struct, IExponent
        {
            if (double.IsNaN(TPower.Beta))
            {
                reciprocal = Estimates.Reciprocal(s);
                return NegativePower<TPower>(s);
            }

            return Estimates.NegativePowerAndReciprocal(s, TPower.Beta, out reciprocal);
        }

        /// <summary>
        /// x s^-beta in float32: <see cref="Estimates.TimesNegativeThreeQuarterPower(Vector128{float}, Vector128{float})"/>
        /// for beta 0.75, else x times <see cref="NegativePower{TPower}(Vector128{float})"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VF Scaled<TPower>(VF x, VF s)
            where TPower : struct, IExponent =>
            TPower.Beta == 0.75 ? Estimates.TimesNegativeThreeQuarterPower(x, s) : x * NegativePower<TPower>(s);

        /// <summary>
        /// s^-beta in float32 for beta other than 0.75 (<see cref="Scaled{TPower}(Vector128{float}, Vector128{float})"/>
        /// takes x s^-0.75 in one): the refined reciprocal square root estimate for 0.5, a division for 1,
        /// exp2(-beta log2 s) in float32 (<see cref="GeneralNegativePower"/>) for other exponents, which are at most
        /// <see cref="LrnPlan.Float32MaxBeta"/> wherever float32 arithmetic runs (<see cref="LrnPlan.Float32Allowed"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VF NegativePower<TPower>(VF s)
            where TPower : struct, IExponent
        {
            if (TPower.Beta == 0.5)
            {
                return Estimates.ReciprocalSqrt(s);
            }

            if (TPower.Beta == 1)
            {
                return VF.One / s;
            }

            if (TPower.Beta == 0)
            {
                return VF.One;
            }

            return IsNear(s) ? NearNegativePower(s) : GeneralNegativePower(s, (float)_plan.Beta, _betaHi, _betaLo);
        }

        /// <summary>Whether every lane's s is within <see cref="NearNegativePower"/>'s reach (never NaN).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsNear(VF s) => Vec.LessThanOrEqualAll(s, Vec.Create(_plan.Near.Limit));

        /// <summary>
        /// s^-beta for k &lt;= s &lt;= k (1 + <see cref="NearSeries.Width"/>), where LRN's s usually lies (AlexNet: k = 2, a = 2e-5,
        /// a S about 1e-3): with t = s - k (exact: s &lt;= 2k), k^-beta (1 + t/k)^-beta from its binomial series to degree 6,
        /// by Horner's rule. For beta up to <see cref="LrnPlan.Float32MaxBeta"/> and t/k &lt;= 1/16 the dropped terms stay
        /// below 1.75 (1/16)^7 &lt; 2^-27, and the coefficients' and Horner's roundings below 1.5 float32 ulps: within the
        /// general power's error. Seven fused multiply-adds and a comparison instead of the tables' log2 and exp2.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public VF NearNegativePower(VF s)
        {
            VF t = s - Vec.Create(_plan.Near.K);
            VF p = Vec.FusedMultiplyAdd(Vec.Create(_plan.Near.C6), t, Vec.Create(_plan.Near.C5));
            p = Vec.FusedMultiplyAdd(p, t, Vec.Create(_plan.Near.C4));
            p = Vec.FusedMultiplyAdd(p, t, Vec.Create(_plan.Near.C3));
            p = Vec.FusedMultiplyAdd(p, t, Vec.Create(_plan.Near.C2));
            p = Vec.FusedMultiplyAdd(p, t, Vec.Create(_plan.Near.C1));
            return Vec.FusedMultiplyAdd(p, t, Vec.Create(_plan.Near.C0));
        }

        /// <summary>
        /// s^-beta = 2^(-beta log2 s) in float32 for a normal s below 2^101 (the plan's float32 range) and beta up to
        /// <see cref="LrnPlan.Float32MaxBeta"/>, so that 2^j below stays a normal float32. With s = m 2^e, m in
        /// [0.75, 1.5) (<see cref="Exponents.Split(Vector128{float}, out Vector128{float}, out Vector128{float})"/>):
        /// log2 m from the atanh series (|z| &lt;= 0.2, to z^11: the next term is below 2^-31 of it); -beta e split exactly (beta's top
        /// 17 bits times an exponent of 7 bits fit float32's 24; the rest of beta, in float32, times e); the integer part j as an exponent, the fraction
        /// through the Taylor series of 2^f to degree 7 (|f ln 2| &lt;= 0.35: the next term is below 2^-27). About 3 float32 ulps, the same as the square-root paths
        /// (Tolerance.Float32ArithmeticUlps). Replaced float64 exp and log, which made beta 0.6 3.3x slower than 0.75
        /// (lrn bench, 1 thread, AlexNet norm1, 2026-11-27). Fused multiply-adds in the series and the non-saturating
        /// conversion of j (|j| &lt;= 126) took the beta 0.6 forward from 2.4 to 1.9 ms (thread CPU time, one thread,
        /// AlexNet norm1; 0.75: 0.8 ms); AVX-512's getmant, getexp and scalef (<see cref="Exponents"/>) instead of
        /// integer arithmetic on the bits, 1.75-1.80 -> 1.52-1.66 ms (alternating runs of both builds).
        /// With AVX-512 (<see cref="PowerTables"/>) log2 and exp2 come from 16-entry tables looked up in registers and
        /// polynomials of degree 5 and 4 instead (the same split of -beta e): beta 0.6 forward 1.33-1.35 -> 1.13-1.17 ms,
        /// channels-last 1.44-1.46 -> 1.05-1.08, n = 31 1.51-1.54 -> 1.26-1.30 (AlexNet norm1, one thread, five
        /// alternating runs of each build, 2026-11-27).
        /// betaHi and betaLo: see <see cref="_betaHi"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF GeneralNegativePower(VF s, float beta, float betaHi, float betaLo)
        {
            if (PowerTables.Supported(s))
            {
                VF log2S = PowerTables.Log2(s, out VF e);
                VF high = Vec.Create(-betaHi) * e; // exact
                VF low = (Vec.Create(-betaLo) * e) - (Vec.Create(beta) * log2S);
                return Vec.ConditionalSelect(Vec.Equals(s, VF.Zero), Vec.Create(float.PositiveInfinity), PowerTables.Exp2(high, low));
            }

            Exponents.Split(s, out VF m, out VF eF);
            VF z = (m - VF.One) * Estimates.Reciprocal(m + VF.One);
            VF z2 = z * z;
            VF series = Vec.FusedMultiplyAdd(Vec.Create(1f / 11), z2, Vec.Create(1f / 9));
            series = Vec.FusedMultiplyAdd(series, z2, Vec.Create(1f / 7));
            series = Vec.FusedMultiplyAdd(series, z2, Vec.Create(1f / 5));
            series = Vec.FusedMultiplyAdd(series, z2, Vec.Create(1f / 3));
            series = Vec.FusedMultiplyAdd(series, z2, VF.One);
            VF log2M = z * series * Vec.Create(2.88539008f); // 2 / ln 2

            VF hi = Vec.Create(-betaHi) * eF; // exact
            VF rest = (Vec.Create(-betaLo) * eF) - (Vec.Create(beta) * log2M);
            VF j = Vec.Round(hi + rest);
            VF f = (hi - j) + rest; // |f| <= about 0.5

            VF r = f * Vec.Create(0.693147181f);
            VF p = Vec.FusedMultiplyAdd(Vec.Create(1f / 5040), r, Vec.Create(1f / 720));
            p = Vec.FusedMultiplyAdd(p, r, Vec.Create(1f / 120));
            p = Vec.FusedMultiplyAdd(p, r, Vec.Create(1f / 24));
            p = Vec.FusedMultiplyAdd(p, r, Vec.Create(1f / 6));
            p = Vec.FusedMultiplyAdd(p, r, Vec.Create(0.5f));
            p = Vec.FusedMultiplyAdd(p, r, VF.One);
            p = Vec.FusedMultiplyAdd(p, r, VF.One);
            return Vec.ConditionalSelect(Vec.Equals(s, VF.Zero), Vec.Create(float.PositiveInfinity), Exponents.Scale(p, j)); // 0^-beta = inf, as Math.Pow
        }

        /// <summary>
        /// Channels-last vectors o0..o1 - 1 (C contiguous channels each), summing each window directly along the
        /// channels in the storage type's arithmetic (float32 data in float32, within the plan's float32 range; float64
        /// data in float64); a vector with a float32 value outside that range goes through the scalar kernel. The
        /// squares of vector o + 1 are written before the windows of vector o are read, in two alternating rows: read
        /// straight after they were stored, the windows' unaligned loads straddled two pending stores, which the store
        /// buffer cannot forward (11 % of the one-thread forward, AlexNet norm1, 2026-11-27).
        /// </summary>
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ForwardAlongChannels<T, TPower>(T* x, T* y, long o0, long o1, Span<double> scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
        {
            if (typeof(T) == typeof(float) && !_plan.Float32Allowed)
            {
                for (long o = o0; o < o1; o++)
                {
                    ScalarKernel.ForwardLanes(_plan, x, y, o, 0, 1, scratch);
                }

                return;
            }

            int channels = _plan.Channels;
            if (Lanes.Supported(VF.Zero) && channels % Vector128<T>.Count == 0)
            {
                switch ((_plan.Lo, _plan.Hi))
                {
                    case (1, 1): ForwardAlongChannelsInRegisters<T, TPower, Window11>(x, y, o0, o1, scratch); return;
                    case (1, 2): ForwardAlongChannelsInRegisters<T, TPower, Window12>(x, y, o0, o1, scratch); return;
                    case (2, 1): ForwardAlongChannelsInRegisters<T, TPower, Window21>(x, y, o0, o1, scratch); return;
                    case (2, 2): ForwardAlongChannelsInRegisters<T, TPower, Window22>(x, y, o0, o1, scratch); return;
                }
            }

            T* current = (T*)_z;
            T* next = current + _plan.PaddedLength;
            ClearPads(current);
            ClearPads(next);
            bool inRange = SquaresAlongChannels(x + (o0 * channels), current);
            for (long o = o0; o < o1; o++)
            {
                bool nextInRange = o + 1 < o1 && SquaresAlongChannels(x + ((o + 1) * channels), next);
                if (inRange)
                {
                    WindowsAlongChannels<T, TPower>(current, x + (o * channels), y + (o * channels));
                }
                else
                {
                    // The scalar kernel uses the same scratch: clear the pads and take the next squares again.
                    ScalarKernel.ForwardLanes(_plan, x, y, o, 0, 1, scratch);
                    ClearPads(current);
                    ClearPads(next);
                    nextInRange = o + 1 < o1 && SquaresAlongChannels(x + ((o + 1) * channels), next);
                }

                T* done = current;
                current = next;
                next = done;
                inRange = nextInRange;
            }
        }

        /// <summary>
        /// <see cref="ForwardAlongChannels{T, TPower}"/> for windows of lo, hi &lt;= 2 when C is a multiple of the
        /// vector: each window is summed from the squares of a vector of channels and its two neighbours, slid by
        /// lo and hi lanes (<see cref="Lanes"/>), in registers, added in the order
        /// of <see cref="SumOfRows{TE}(TE*, nint, int)"/> (the same results as the squares written out and read back).
        /// Out of place a position's outputs are written before all of its values are known to lie in the float32
        /// range, and written again by the scalar kernel when one does not; in place the range is checked first.
        /// AlexNet norm1 channels-last, one thread, n = 5: float32 0.52-0.56 -> 0.38-0.39 ms, float64 1.44-1.47 -> 1.39-1.41
        /// (five alternating runs of each build, 2026-11-27). Without AVX-512 the slides take two instructions
        /// (<see cref="Lanes"/>) and the loop fits 16 registers: on a Zen 2 EPYC (Vector256), against the squares
        /// written out and read back, float32 one thread 1.97-1.99 -> 1.74-1.78 ms, two 1.03-1.11 -> 0.91-0.96, beta 0.6
        /// 2.06-2.16 -> 1.92-1.94, n = 3 1.64-1.70 -> 1.49-1.51, float64 4.70-4.80 -> 4.18-4.24 (three alternating runs).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ForwardAlongChannelsInRegisters<T, TPower, TWindow>(T* x, T* y, long o0, long o1, Span<double> scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            for (long o = o0; o < o1;)
            {
                o = ForwardAlongChannelsInRegisters<T, TPower, TWindow>(x, y, o, o1);
                if (o < o1)
                {
                    ScalarKernel.ForwardLanes(_plan, x, y, o, 0, 1, scratch);
                    o++;
                }
            }
        }

        /// <summary>Positions o0, o0 + 1, ... until one has a float32 value outside the plan's range, whose index it returns (o1 if none).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long ForwardAlongChannelsInRegisters<T, TPower, TWindow>(T* x, T* y, long o0, long o1)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            int count = Vector128<T>.Count;
            int channels = _plan.Channels;
            Vector128<T> k = Vec.Create(T.CreateTruncating(_plan.K));
            Vector128<T> a = Vec.Create(T.CreateTruncating(_plan.A));
            Vector128<T> max = Vec.Create(T.CreateTruncating(_plan.Float32MaxAbs));
            Vector128<T> min = Vec.Create(T.CreateTruncating(_plan.Float32MinAbs));
            bool checkMin = _plan.Float32MinAbs > 0;
            bool float32 = typeof(T) == typeof(float);
            bool inPlace = x == y;
            for (long o = o0; o < o1; o++)
            {
                T* xo = x + (o * channels);
                T* yo = y + (o * channels);
                Vector128<T> inRange = Vector128<T>.AllBitsSet;
                Vector128<int> widest = Vector128<int>.Zero;
                if (float32 && inPlace)
                {
                    for (int c = 0; c < channels; c += count)
                    {
                        TrackFloat32Range(Vec.Load(xo + c), min, max, checkMin, ref inRange, ref widest);
                    }

                    if (!InFloat32Range(inRange, widest, max))
                    {
                        return o;
                    }
                }

                // Squares of the previous, this and the next vector of channels; the inputs of this one. In place the
                // range was checked above.
                bool check = float32 && !inPlace;
                Vector128<T> xThis = Vec.Load(xo);
                if (check)
                {
                    TrackFloat32Range(xThis, min, max, checkMin, ref inRange, ref widest);
                }

                Vector128<T> zBefore = Vector128<T>.Zero;
                Vector128<T> zThis = xThis * xThis;
                for (int c = 0; c < channels; c += count)
                {
                    Vector128<T> xNext = Vector128<T>.Zero;
                    if (c + count < channels)
                    {
                        xNext = Vec.Load(xo + c + count);
                        if (check)
                        {
                            TrackFloat32Range(xNext, min, max, checkMin, ref inRange, ref widest);
                        }
                    }

                    Vector128<T> zNext = xNext * xNext;
                    Vector128<T> s = k + (a * Window<T, TWindow>(zBefore, zThis, zNext, false));
                    Vector128<T> output = float32
                        ? Scaled<TPower>(xThis.AsSingle(), s.AsSingle()).As<float, T>()
                        : xThis * NegativePower<TPower>(s.AsDouble()).As<double, T>();
                    Vec.Store(output, yo + c);
                    zBefore = zThis;
                    zThis = zNext;
                    xThis = xNext;
                }

                if (check && !InFloat32Range(inRange, widest, max))
                {
                    return o;
                }
            }

            return o1;
        }

        /// <summary>
        /// Adds v to a range check over many vectors: where the plan's float32 range has no lower bound (checkMin false,
        /// the usual case) only the largest magnitude is kept, as the bits of |v| (which order as the magnitudes do, and
        /// put NaN above infinity): a mask and a maximum, where the comparison took four instructions (channels-last
        /// forward 0.36-0.39 -> 0.34-0.36 ms; channels-first unchanged, waiting on memory; AlexNet norm1, one thread,
        /// five alternating runs of each build, 2026-11-27); else
        /// <see cref="InFloat32Range{T}(Vector128{T}, Vector128{T}, Vector128{T}, bool)"/> is and-ed into inRange.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void TrackFloat32Range<T>(Vector128<T> v, Vector128<T> min, Vector128<T> max, bool checkMin, ref Vector128<T> inRange, ref Vector128<int> widest)
        {
            if (checkMin)
            {
                inRange &= InFloat32Range(v, min, max, true);
                return;
            }

            widest = Vec.Max(widest, v.AsInt32() & Vec.Create(int.MaxValue));
        }

        /// <summary>
        /// <see cref="TrackFloat32Range{T}"/> for inputs x whose squares q = x^2 the loop takes anyway: where the range has
        /// no lower bound, the largest square, as the bits of an unsigned integer: one instruction, against two for |x|.
        /// Squares are never negative (x = -0 gives +0), and a NaN square of either sign compares above infinity, which
        /// compares above every finite square; |x| &lt;= max exactly when q &lt;= <see cref="LrnPlan.Float32MaxSquare"/>
        /// (see there). <see cref="SquaresInFloat32Range"/> tells the result.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void TrackSquareRange(VF x, VF q, VF min, VF max, bool checkMin, ref VF inRange, ref VI widest)
        {
            if (checkMin)
            {
                inRange &= InFloat32Range(x, min, max, true);
                return;
            }

            widest = Vec.Max(widest.AsUInt32(), q.AsUInt32()).AsInt32();
        }

        /// <summary>Whether every vector given to <see cref="TrackSquareRange"/> lay in the plan's float32 range.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool SquaresInFloat32Range(VF inRange, VI widest) =>
            Vec.EqualsAll(inRange.AsInt32(), Vec.Create(-1))
            && Vec.LessThanOrEqualAll(widest.AsUInt32(), Vec.Create(BitConverter.SingleToUInt32Bits(_plan.Float32MaxSquare)));

        /// <summary>Whether every vector given to <see cref="TrackFloat32Range{T}"/> lay in the plan's float32 range.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool InFloat32Range<T>(Vector128<T> inRange, Vector128<int> widest, Vector128<T> max) =>
            // inRange compared as integers: all-bits-set is a NaN as a float, and NaN never equals itself.
            Vec.EqualsAll(inRange.AsInt32(), Vec.Create(-1)) && Vec.LessThanOrEqualAll(widest, max.AsInt32());

        /// <summary>
        /// All bits set in the lanes where v is 0 or min &lt;= |v| &lt;= max (the plan's float32 range), none elsewhere.
        /// NaN fails every comparison, so it is out of range; the lower bound is usually 0 and then skipped.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<T> InFloat32Range<T>(Vector128<T> v, Vector128<T> min, Vector128<T> max, bool checkMin)
        {
            Vector128<T> magnitude = Vec.Abs(v);
            Vector128<T> inRange = Vec.LessThanOrEqual(magnitude, max);
            if (checkMin)
            {
                inRange &= Vec.GreaterThanOrEqual(magnitude, min) | Vec.Equals(v, Vector128<T>.Zero);
            }

            return inRange;
        }

        /// <summary>
        /// z[m] = x[m - lo]^2 for the C channels of one channels-last vector (the pads around them stay zero, so the
        /// window of channel c is z[c .. c + w - 1]). False when a float32 value lies outside the plan's float32 range.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool SquaresAlongChannels<T>(T* x, T* z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int count = Vector128<T>.Count;
            int channels = _plan.Channels;
            int bulk = channels - (channels % count);
            z += _plan.Lo;
            Vector128<T> inRange = Vector128<T>.AllBitsSet;
            Vector128<int> widest = Vector128<int>.Zero;
            Vector128<T> min = Vec.Create(T.CreateTruncating(_plan.Float32MinAbs));
            Vector128<T> max = Vec.Create(T.CreateTruncating(_plan.Float32MaxAbs));
            bool checkMin = _plan.Float32MinAbs > 0;
            int c = 0;
            for (; c < bulk; c += count)
            {
                Vector128<T> v = Vec.Load(x + c);
                if (typeof(T) == typeof(float))
                {
                    TrackFloat32Range(v, min, max, checkMin, ref inRange, ref widest);
                }

                Vec.Store(v * v, z + c);
            }

            for (; c < channels; c++)
            {
                T v = x[c];
                if (typeof(T) == typeof(float) && !(T.Abs(v) <= max[0] && (T.Abs(v) >= min[0] || v == T.Zero)))
                {
                    return false;
                }

                z[c] = v * v;
            }

            return typeof(T) != typeof(float) || InFloat32Range(inRange, widest, max);
        }

        /// <summary>y for one channels-last vector from its squares z (see <see cref="SquaresAlongChannels"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void WindowsAlongChannels<T, TPower>(T* z, T* x, T* y)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TPower : struct, IExponent
        {
            int count = Vector128<T>.Count;
            int channels = _plan.Channels;
            int bulk = channels - (channels % count);
            int w = _plan.Width;
            Vector128<T> k = Vec.Create(T.CreateTruncating(_plan.K));
            Vector128<T> a = Vec.Create(T.CreateTruncating(_plan.A));
            int c = 0;
            for (; c < bulk; c += count)
            {
                Vector128<T> s = k + (a * SumOfRows(z + c, 1, w));
                Vector128<T> output = typeof(T) == typeof(float)
                    ? Scaled<TPower>(Vec.Load(x + c).AsSingle(), s.AsSingle()).As<float, T>()
                    : Vec.Load(x + c) * NegativePower<TPower>(s.AsDouble()).As<double, T>();
                Vec.Store(output, y + c);
            }

            // The last channels, fewer than a vector: float64 sums of the same squares, as exact as the reference.
            for (; c < channels; c++)
            {
                double sum = 0;
                for (int d = 0; d < w; d++)
                {
                    sum += double.CreateTruncating(z[c + d]);
                }

                y[c] = T.CreateTruncating(double.CreateTruncating(x[c]) * Power.Negative(_plan.K + (_plan.A * sum), _plan.Beta));
            }
        }

        /// <summary>Zeroes the lo entries before a row of squares and the hi after it, which the windows read and nothing writes.</summary>
        private void ClearPads<T>(T* z)
            where T : unmanaged
        {
            new Span<T>(z, _plan.Lo).Clear();
            new Span<T>(z + _plan.Lo + _plan.Channels, _plan.Hi).Clear();
        }

        /// <summary>Zeroes the padding around the rows that <see cref="BackwardAlongChannels{T, TPower}(T*, T*, T*, T*)"/> sums and never writes: once per work item, and again after anything else has used the scratch.</summary>
        public void ClearBackwardPads()
        {
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int channels = _plan.Channels;
            new Span<double>(_z, lo).Clear();
            new Span<double>(_z + lo + channels, hi).Clear();
            new Span<double>(_p, hi).Clear();
            new Span<double>(_p + hi + channels, lo).Clear();
        }

        /// <summary>
        /// Whether the channels-last float32 backward may take float32 arithmetic (<see cref="TryBackwardAlongChannelsFloat32{TPower}"/>):
        /// as <see cref="Float32Backward"/>, and AVX-512 (the windows slide lanes across neighbouring vectors) with C a
        /// multiple of VF.Count.
        /// </summary>
        public bool Float32BackwardAlongChannels =>
            Avx512F.IsSupported && Float32Backward && _plan.Channels % VF.Count == 0;

        /// <summary>
        /// The channels-last backward of vectors o0 .. o1 - 1 (y recomputed where null, else given) in float32 arithmetic, as
        /// <see cref="BackwardAlongChannelsInRegisters{T, TPower, TWindow}"/> does it in float64, VF.Count channels at a
        /// time, with s^-beta and 1/s as in <see cref="TryBackwardFloat32InRegisters{TPower}"/>. It writes dx before knowing
        /// whether the values allow float32 arithmetic (<see cref="Float32BackwardInRange"/>, checked once for all the
        /// vectors); on false the caller computes them all again in float64.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryBackwardAlongChannelsFloat32<TPower>(float* x, float* y, float* dy, float* dx, long o0, long o1)
            where TPower : struct, IExponent
        {
            switch ((_plan.Lo, _plan.Hi))
            {
                case (1, 1): return TryBackwardAlongChannelsFloat32<TPower, Window11>(x, y, dy, dx, o0, o1);
                case (1, 2): return TryBackwardAlongChannelsFloat32<TPower, Window12>(x, y, dy, dx, o0, o1);
                case (2, 1): return TryBackwardAlongChannelsFloat32<TPower, Window21>(x, y, dy, dx, o0, o1);
                case (2, 2): return TryBackwardAlongChannelsFloat32<TPower, Window22>(x, y, dy, dx, o0, o1);
                default: return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private bool TryBackwardAlongChannelsFloat32<TPower, TWindow>(float* x, float* y, float* dy, float* dx, long o0, long o1)
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            int channels = _plan.Channels;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            VF twoABeta = Vec.Create((float)(2 * _plan.A * _plan.Beta));
            var xRange = new Magnitudes();
            var dyRange = new Magnitudes();
            var yRange = new Magnitudes();
            for (long o = o0; o < o1; o++)
            {
                float* xo = x + (o * channels);
                float* yo = y == null ? null : y + (o * channels);
                float* dyo = dy + (o * channels);
                float* dxo = dx + (o * channels);

                // Squares of groups g - 1, g and g + 1; t of groups g - 2, g - 1 and g; dy s^-beta of group g - 1.
                VF zBefore = VF.Zero;
                VF z = Vec.Load(xo);
                xRange.Add(z);
                z *= z;
                VF tBefore = VF.Zero;
                VF tLast = VF.Zero;
                VF rLast = VF.Zero;
                for (int g = 0; g <= channels; g += VF.Count)
                {
                    VF zNext = VF.Zero;
                    if (g + VF.Count < channels)
                    {
                        zNext = Vec.Load(xo + g + VF.Count);
                        xRange.Add(zNext);
                        zNext *= zNext;
                    }

                    VF t = VF.Zero;
                    VF r = VF.Zero;
                    if (g < channels)
                    {
                        VF p = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, Window<float, TWindow>(zBefore, z, zNext, false), k), out VF reciprocal);
                        VF gradient = Vec.Load(dyo + g);
                        dyRange.Add(gradient);
                        r = gradient * p;
                        if (yo == null)
                        {
                            t = r * (Vec.Load(xo + g) * reciprocal);
                        }
                        else
                        {
                            VF output = Vec.Load(yo + g);
                            yRange.Add(output);
                            t = gradient * (output * reciprocal);
                        }
                    }

                    if (g > 0)
                    {
                        // Group g - 1: its mirrored windows [j - hi, j + lo].
                        VF window = Window<float, TWindow>(tBefore, tLast, t, true);
                        Vec.Store(rLast - (twoABeta * Vec.Load(xo + g - VF.Count) * window), dxo + g - VF.Count);
                    }

                    zBefore = z;
                    z = zNext;
                    tBefore = tLast;
                    tLast = t;
                    rLast = r;
                }
            }

            return Float32BackwardInRange(xRange, dyRange, yRange, y != null);
        }

        /// <summary>
        /// Whether the channels-last float32 backward may take float32 arithmetic with windows summed directly along the
        /// channels (<see cref="TryBackwardAlongChannelsFloat32Direct{TPower}"/>): windows of up to
        /// <see cref="DirectWindowMax"/> channels that <see cref="Float32BackwardAlongChannels"/> does not take
        /// (TensorFlow's NHWC with its default depth_radius 5, n = 11), the plan's float32 range and k &gt; 0.
        /// </summary>
        public bool Float32BackwardAlongChannelsDirect =>
            _plan.Float32Allowed && _plan.K > 0 && _plan.Width <= DirectWindowMax && !Float32BackwardAlongChannels;

        /// <summary>
        /// <see cref="BackwardAlongChannels{T, TPower}(T*, T*, T*, T*)"/>'s direct sums in float32 arithmetic for vectors
        /// o0 .. o1 - 1 (C &gt;= VF.Count; a last group of fewer channels is the last VF.Count again), with s^-beta, 1/s
        /// and t as in <see cref="TryBackwardFloat32InRegisters{TPower}"/>; the ranges are checked once for all the vectors,
        /// and on false the caller computes them all again in float64. Two of each row, so that the windows' unaligned
        /// loads never read a row just stored (which the store buffer cannot forward; see
        /// <see cref="ForwardAlongChannels{T, TPower}"/>): the squares of vector o + 1 are stored before the terms of o
        /// are computed, and the gradients of o - 1 after. AlexNet norm1, one thread, n = 11: float64 2.86-3.08 ms,
        /// float32 one row each 2.58-2.65, two 1.77-1.84 (five alternating runs of each build, 2026-11-27).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryBackwardAlongChannelsFloat32Direct<TPower>(float* x, float* y, float* dy, float* dx, long o0, long o1)
            where TPower : struct, IExponent
        {
            int channels = _plan.Channels;
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int padded = channels + _plan.Width - 1;

            // Two of each row, for vectors o and o + 1 in turn: z[m] = x[m - lo]^2 and, for the mirrored window
            // [j - hi, j + lo], t[m] at m - hi, zero outside; r = dy s^-beta.
            float* z = (float*)_z;
            float* t = (float*)_p;
            float* r = (float*)_q;
            for (int row = 0; row < 2; row++)
            {
                new Span<float>(z + (row * padded), lo).Clear();
                new Span<float>(z + (row * padded) + lo + channels, hi).Clear();
                new Span<float>(t + (row * padded), hi).Clear();
                new Span<float>(t + (row * padded) + hi + channels, lo).Clear();
            }

            var xRange = new Magnitudes();
            var dyRange = new Magnitudes();
            var yRange = new Magnitudes();
            SquaresAlong(x + (o0 * channels), z + ((o0 & 1) * padded) + lo, ref xRange);
            for (long o = o0; o < o1; o++)
            {
                int row = (int)(o & 1) * padded;
                if (o + 1 < o1)
                {
                    SquaresAlong(x + ((o + 1) * channels), z + (padded - row) + lo, ref xRange);
                }

                TermsAlong<TPower>(x + (o * channels), y == null ? null : y + (o * channels), dy + (o * channels), z + row, t + row + hi, r + row, ref dyRange, ref yRange);
                if (o > o0)
                {
                    GradientsAlong(x + ((o - 1) * channels), t + (padded - row), r + (padded - row), dx + ((o - 1) * channels));
                }
            }

            int lastRow = (int)((o1 - 1) & 1) * padded;
            GradientsAlong(x + ((o1 - 1) * channels), t + lastRow, r + lastRow, dx + ((o1 - 1) * channels));
            return Float32BackwardInRange(xRange, dyRange, yRange, y != null);
        }

        /// <summary>z = x^2 for one channels-last vector (see <see cref="TryBackwardAlongChannelsFloat32Direct{TPower}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void SquaresAlong(float* x, float* z, ref Magnitudes xRange)
        {
            int last = _plan.Channels - VF.Count;
            for (int c = 0; c < _plan.Channels; c += VF.Count)
            {
                int at = Math.Min(c, last);
                VF input = Vec.Load(x + at);
                xRange.Add(input);
                Vec.Store(input * input, z + at);
            }
        }

        /// <summary>r = dy s^-beta and t for one channels-last vector, the windows summed from z (see <see cref="TryBackwardAlongChannelsFloat32Direct{TPower}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void TermsAlong<TPower>(float* x, float* y, float* dy, float* z, float* t, float* r, ref Magnitudes dyRange, ref Magnitudes yRange)
            where TPower : struct, IExponent
        {
            int last = _plan.Channels - VF.Count;
            int w = _plan.Width;
            VF k = Vec.Create((float)_plan.K);
            VF a = Vec.Create((float)_plan.A);
            for (int c = 0; c < _plan.Channels; c += VF.Count)
            {
                int at = Math.Min(c, last);
                VF p = NegativePowerAndReciprocal<TPower>(Vec.FusedMultiplyAdd(a, SumOfRows(z + at, 1, w), k), out VF reciprocal);
                VF gradient = Vec.Load(dy + at);
                dyRange.Add(gradient);
                VF scaled = gradient * p;
                VF term;
                if (y == null)
                {
                    term = scaled * (Vec.Load(x + at) * reciprocal);
                }
                else
                {
                    VF output = Vec.Load(y + at);
                    yRange.Add(output);
                    term = gradient * (output * reciprocal);
                }

                Vec.Store(scaled, r + at);
                Vec.Store(term, t + at);
            }
        }

        /// <summary>dx = r - 2 a beta x (the mirrored window's sum of t) for one channels-last vector (see <see cref="TryBackwardAlongChannelsFloat32Direct{TPower}"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void GradientsAlong(float* x, float* t, float* r, float* dx)
        {
            int last = _plan.Channels - VF.Count;
            int w = _plan.Width;
            VF twoABeta = Vec.Create((float)(2 * _plan.A * _plan.Beta));
            for (int c = 0; c < _plan.Channels; c += VF.Count)
            {
                int at = Math.Min(c, last);
                Vec.Store(Vec.Load(r + at) - (twoABeta * Vec.Load(x + at) * SumOfRows(t + at, 1, w)), dx + at);
            }
        }

        /// <summary>
        /// The backward of one channels-last vector of C &gt;= B contiguous channels in float64, with the window summed
        /// directly along the channels (w &lt;= <see cref="DirectWindowMax"/>): no gathering into lane-major rows. The
        /// same formula, in the same order, as <see cref="Backward{T, TPower}(T*, T*, T*, T*, nint)"/>'s direct sums, B channels at a time; a last group
        /// of fewer than B channels is the last B channels again (their values computed again from the same inputs, the
        /// second kept; the result depends on the shape alone, not on the threads). Before
        /// it, gathering and scattering B channel vectors element by element made the channels-last backward 2.5x the
        /// channels-first one (AlexNet norm1, one thread, 2026-11-27).
        /// </summary>
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void BackwardAlongChannels<T, TPower>(T* x, T* y, T* dy, T* dx)
            where T : unmanaged
            where TPower : struct, IExponent
        {
            if (Avx512F.IsSupported && !double.IsNaN(TPower.Beta) && _plan.Channels % B == 0)
            {
                switch ((_plan.Lo, _plan.Hi))
                {
                    case (1, 1): BackwardAlongChannelsInRegisters<T, TPower, Window11>(x, y, dy, dx); return;
                    case (1, 2): BackwardAlongChannelsInRegisters<T, TPower, Window12>(x, y, dy, dx); return;
                    case (2, 1): BackwardAlongChannelsInRegisters<T, TPower, Window21>(x, y, dy, dx); return;
                    case (2, 2): BackwardAlongChannelsInRegisters<T, TPower, Window22>(x, y, dy, dx); return;
                }
            }

            int channels = _plan.Channels;
            int lo = _plan.Lo;
            int hi = _plan.Hi;
            int w = _plan.Width;
            int last = channels - B;

            // z[m] = x[m - lo]^2 and, for the mirrored window [j - hi, j + lo], t[m] = dy y / s at m - hi; zero outside
            // (ClearBackwardPads).
            double* z = _z;
            double* t = _p;
            double* r = _q;
            for (int c = 0; c < channels; c += B)
            {
                int at = Math.Min(c, last);
                Load2(x + at, out VD x0, out VD x1);
                Vec.Store(x0 * x0, z + lo + at);
                Vec.Store(x1 * x1, z + lo + at + VD.Count);
            }

            var k = Vec.Create(_plan.K);
            var a = Vec.Create(_plan.A);
            for (int c = 0; c < channels; c += B)
            {
                int at = Math.Min(c, last);
                WindowAlong(z + at, w, out VD s0, out VD s1);
                s0 = k + (a * s0);
                s1 = k + (a * s1);
                NegativePowersAndReciprocals<TPower>(s0, s1, out VD p0, out VD p1, out VD reciprocal0, out VD reciprocal1);
                Load2(x + at, out VD x0, out VD x1);
                Load2(dy + at, out VD g0, out VD g1);
                VD y0, y1;
                if (y != null)
                {
                    Load2(y + at, out y0, out y1);
                }
                else
                {
                    y0 = x0 * p0;
                    y1 = x1 * p1;
                }

                Vec.Store(g0 * p0, r + at);
                Vec.Store(g1 * p1, r + at + VD.Count);
                Vec.Store(g0 * y0 * reciprocal0, t + hi + at);
                Vec.Store(g1 * y1 * reciprocal1, t + hi + at + VD.Count);
            }

            var twoABeta = Vec.Create(2 * _plan.A * _plan.Beta);
            for (int c = 0; c < channels; c += B)
            {
                int at = Math.Min(c, last);
                WindowAlong(t + at, w, out VD w0, out VD w1);
                Load2(x + at, out VD x0, out VD x1);
                Store2(dx + at, Vec.Load(r + at) - (twoABeta * x0 * w0), Vec.Load(r + at + VD.Count) - (twoABeta * x1 * w1));
            }
        }

        /// <summary>
        /// <see cref="BackwardAlongChannels{T, TPower}(T*, T*, T*, T*)"/> for windows of lo, hi &lt;= 2 and C a multiple of
        /// B, in one pass over the position's channels, B at a time (two float64 vectors, "lower" and "upper"): group
        /// g + 1 is squared, group g gets s, dy s^-beta and t = dy y / s (its windows slid across the squares of its
        /// neighbours, <see cref="Lanes"/>), and group g - 1 gets dx (its mirrored windows slid across the values of t).
        /// The same sums in the same order as the three passes through Z, T and R. AlexNet norm1 channels-last, one
        /// thread, dx from x and dy: float32 data 2.29-2.44 -> 1.80-1.86 ms, float64 3.58-3.82 -> 1.66-1.71 (five
        /// alternating runs of each build, 2026-11-27).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BackwardAlongChannelsInRegisters<T, TPower, TWindow>(T* x, T* y, T* dy, T* dx)
            where T : unmanaged
            where TPower : struct, IExponent
            where TWindow : struct, IWindowShape
        {
            int channels = _plan.Channels;
            VD k = Vec.Create(_plan.K);
            VD a = Vec.Create(_plan.A);
            VD twoABeta = Vec.Create(2 * _plan.A * _plan.Beta);

            // Squares: the upper half of group g - 1, group g, group g + 1. t: the upper half of group g - 2, group
            // g - 1, group g. dy s^-beta: group g - 1.
            VD zBeforeUpper = VD.Zero;
            Load2(x, out VD zLower, out VD zUpper);
            zLower *= zLower;
            zUpper *= zUpper;
            VD tBeforeUpper = VD.Zero, tLastLower = VD.Zero, tLastUpper = VD.Zero;
            VD rLastLower = VD.Zero, rLastUpper = VD.Zero;
            for (int g = 0; g <= channels; g += B)
            {
                VD zNextLower = VD.Zero;
                VD zNextUpper = VD.Zero;
                if (g + B < channels)
                {
                    Load2(x + g + B, out zNextLower, out zNextUpper);
                    zNextLower *= zNextLower;
                    zNextUpper *= zNextUpper;
                }

                VD tLower = VD.Zero;
                VD tUpper = VD.Zero;
                VD rLower = VD.Zero;
                VD rUpper = VD.Zero;
                if (g < channels)
                {
                    VD sLower = k + (a * Window<double, TWindow>(zBeforeUpper, zLower, zUpper, false));
                    VD sUpper = k + (a * Window<double, TWindow>(zLower, zUpper, zNextLower, false));
                    NegativePowersAndReciprocals<TPower>(sLower, sUpper, out VD pLower, out VD pUpper, out VD reciprocalLower, out VD reciprocalUpper);
                    Load2(dy + g, out VD gLower, out VD gUpper);
                    VD yLower, yUpper;
                    if (y != null)
                    {
                        Load2(y + g, out yLower, out yUpper);
                    }
                    else
                    {
                        Load2(x + g, out VD xLower, out VD xUpper);
                        yLower = xLower * pLower;
                        yUpper = xUpper * pUpper;
                    }

                    rLower = gLower * pLower;
                    rUpper = gUpper * pUpper;
                    tLower = gLower * yLower * reciprocalLower;
                    tUpper = gUpper * yUpper * reciprocalUpper;
                }

                if (g > 0)
                {
                    // Group g - B: its mirrored windows [j - hi, j + lo].
                    VD wLower = Window<double, TWindow>(tBeforeUpper, tLastLower, tLastUpper, true);
                    VD wUpper = Window<double, TWindow>(tLastLower, tLastUpper, tLower, true);
                    Load2(x + g - B, out VD xLower, out VD xUpper);
                    Store2(dx + g - B, rLastLower - (twoABeta * xLower * wLower), rLastUpper - (twoABeta * xUpper * wUpper));
                }

                zBeforeUpper = zUpper;
                zLower = zNextLower;
                zUpper = zNextUpper;
                tBeforeUpper = tLastUpper;
                tLastLower = tLower;
                tLastUpper = tUpper;
                rLastLower = rLower;
                rLastUpper = rUpper;
            }
        }

        /// <summary>
        /// The windows of the lanes of <paramref name="current"/>, from lo lanes before to hi after (mirrored: hi before
        /// to lo after), slid across its neighbours and added from the first lane of the window on, as
        /// <see cref="SumOfRows{TE}(TE*, nint, int)"/> adds them.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<T> Window<T, TWindow>(Vector128<T> before, Vector128<T> current, Vector128<T> after, bool mirrored)
            where T : unmanaged
            where TWindow : struct, IWindowShape
        {
            int back = mirrored ? TWindow.Hi : TWindow.Lo;
            int ahead = mirrored ? TWindow.Lo : TWindow.Hi;
            Vector128<T> sum = back == 2 ? Lanes.SlideBack(before, current, 2) + Lanes.SlideBack(before, current, 1) : Lanes.SlideBack(before, current, 1);
            sum += current;
            sum += Lanes.Slide(current, after, 1);
            return ahead == 2 ? sum + Lanes.Slide(current, after, 2) : sum;
        }

        /// <summary>rows[0..w) summed for B consecutive channels, as two vectors: the window of each starts at its own index.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void WindowAlong(double* rows, int w, out VD sum0, out VD sum1) => SumOfRows(rows, 1, w, out sum0, out sum1);

        /// <summary>
        /// rows[0] + rows[pitch] + ... + rows[(w - 1) pitch], added in that order, for the vector at rows and the one
        /// after it; four rows per loop step and the last one to three written out, instead of a loop of one row per
        /// step: the channels-first float32 forward 0.84-0.91 -> 0.77-0.89 ms (AlexNet norm1, one thread, five
        /// alternating runs of each build, 2026-11-27); channels-last and float64 unchanged within the noise.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SumOfRows<TE>(TE* rows, nint pitch, int w, out Vector128<TE> sum0, out Vector128<TE> sum1)
            where TE : unmanaged
        {
            int count = Vector128<TE>.Count;
            sum0 = Vec.Load(rows);
            sum1 = Vec.Load(rows + count);
            int d = 1;
            for (; d + 4 <= w; d += 4)
            {
                TE* r = rows + (d * pitch);
                sum0 = sum0 + Vec.Load(r) + Vec.Load(r + pitch) + Vec.Load(r + (2 * pitch)) + Vec.Load(r + (3 * pitch));
                sum1 = sum1 + Vec.Load(r + count) + Vec.Load(r + pitch + count) + Vec.Load(r + (2 * pitch) + count) + Vec.Load(r + (3 * pitch) + count);
            }

            if (d + 2 <= w)
            {
                TE* r = rows + (d * pitch);
                sum0 = sum0 + Vec.Load(r) + Vec.Load(r + pitch);
                sum1 = sum1 + Vec.Load(r + count) + Vec.Load(r + pitch + count);
                d += 2;
            }

            if (d < w)
            {
                TE* r = rows + (d * pitch);
                sum0 += Vec.Load(r);
                sum1 += Vec.Load(r + count);
            }
        }

        /// <summary>The row of a ring of <see cref="RingSlots"/> rows that holds channel (or step) t, t &gt;= -RingSlots.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Slot(int t) => t & (RingSlots - 1);

        /// <summary>
        /// The rows of channels first .. first + w - 1 (w &lt;= 5) in a ring, then as many of <paramref name="zeros"/> as
        /// make five: <see cref="SumOfFive"/> adds them in the order of
        /// <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/> (adding +0 changes no sum of
        /// squares or terms), with no index arithmetic per vector. Instead of a loop over the window's rows for each
        /// vector: AlexNet norm1 on a Zen 2 EPYC (Vector256), one thread, forward 1.85-1.86 -> 1.58-1.62 ms, backward
        /// 4.11-4.17 -> 3.54; two threads, forward 0.96-0.97 -> 0.83-0.84 (alternating runs, 2026-11-27).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Five RingWindow(float* ring, int first, int w, int rowLength, float* zeros) => new(
            ring + (Slot(first) * rowLength),
            w > 1 ? ring + (Slot(first + 1) * rowLength) : zeros,
            w > 2 ? ring + (Slot(first + 2) * rowLength) : zeros,
            w > 3 ? ring + (Slot(first + 3) * rowLength) : zeros,
            w > 4 ? ring + (Slot(first + 4) * rowLength) : zeros);

        /// <summary>The vector at <paramref name="at"/> of five rows, added in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF SumOfFive(in Five rows, int at) =>
            Vec.Load(rows.R0 + at) + Vec.Load(rows.R1 + at) + Vec.Load(rows.R2 + at) + Vec.Load(rows.R3 + at) + Vec.Load(rows.R4 + at);

        /// <summary>The vector at <paramref name="rows"/> of five rows <paramref name="pitch"/> apart, added in <see cref="PairedFive"/>'s order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static VF SumOfFivePaired(float* rows, nint pitch) =>
            Vec.Load(rows) + Vec.Load(rows + pitch) + Vec.Load(rows + (2 * pitch)) + (Vec.Load(rows + (3 * pitch)) + Vec.Load(rows + (4 * pitch)));

        /// <summary>Five rows of a ring window (see <see cref="RingWindow"/>).</summary>
        private readonly struct Five(float* r0, float* r1, float* r2, float* r3, float* r4)
        {
            public readonly float* R0 = r0;
            public readonly float* R1 = r1;
            public readonly float* R2 = r2;
            public readonly float* R3 = r3;
            public readonly float* R4 = r4;
        }

        /// <summary>The one-vector form of <see cref="SumOfRows{TE}(TE*, nint, int, out Vector128{TE}, out Vector128{TE})"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<TE> SumOfRows<TE>(TE* rows, nint pitch, int w)
            where TE : unmanaged
        {
            Vector128<TE> sum = Vec.Load(rows);
            int d = 1;
            for (; d + 4 <= w; d += 4)
            {
                TE* r = rows + (d * pitch);
                sum = sum + Vec.Load(r) + Vec.Load(r + pitch) + Vec.Load(r + (2 * pitch)) + Vec.Load(r + (3 * pitch));
            }

            if (d + 2 <= w)
            {
                TE* r = rows + (d * pitch);
                sum = sum + Vec.Load(r) + Vec.Load(r + pitch);
                d += 2;
            }

            if (d < w)
            {
                sum += Vec.Load(rows + (d * pitch));
            }

            return sum;
        }

        /// <summary>
        /// Hints the run of <paramref name="blockElements"/> two blocks further along a channels-first row into the cache:
        /// this item's next block but one, or the next item's. A block reads one short run from each channel's row,
        /// rows a plane apart, which the hardware prefetchers do not follow: with the hints the channels-first float32
        /// forward took 0.8 ms instead of 1.6 (AlexNet norm1, one thread, thread CPU time, lower quartile of 21;
        /// 2026-11-27). On gathered channels-last rows it hints scratch, harmlessly.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PrefetchAhead<T>(T* row, int blockElements)
            where T : unmanaged => Prefetch.Range(row + (2 * blockElements), blockElements * sizeof(T));

        /// <summary>
        /// Hints the run of <paramref name="blockElements"/> that this block reads from row t + <see cref="PrefetchRows"/>,
        /// or, past the last row, from the next block's row. With four-vector runs on AlexNet norm1 (in the caches) this
        /// beat <see cref="PrefetchAhead{T}(T*, int)"/>: one thread 0.36-0.40 -> 0.36-0.37 ms, two 0.19-0.22 ->
        /// 0.185-0.21 (n = 5, four alternating runs of each build twice, 2026-11-27), n = 31 0.60-0.67 -> 0.59-0.61 and
        /// 0.32-0.35 -> 0.315-0.32; 16 rows ahead gained nothing, 64 less.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PrefetchDown(float* x, int t, int channels, nint stride, int blockElements)
        {
            int u = t + PrefetchRows;
            Prefetch.Range(u < channels ? x + (u * stride) : x + ((u - channels) * stride) + blockElements, blockElements * sizeof(float));
        }

        /// <summary>How many rows ahead <see cref="PrefetchDown"/> hints.</summary>
        private const int PrefetchRows = 32;

        /// <summary>Z = x^2 in float64 with lo zero rows before the channels and hi after.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void LoadSquares<T>(T* x, nint stride)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int lo = _plan.Lo;
            new Span<double>(_z, lo * B).Clear();
            new Span<double>(_z + ((lo + _plan.Channels) * B), _plan.Hi * B).Clear();
            for (int c = 0; c < _plan.Channels; c++)
            {
                PrefetchAhead(x + (c * stride), B);
                Load2(x + (c * stride), out VD x0, out VD x1);
                double* z = _z + ((lo + c) * B);
                Vec.Store(x0 * x0, z);
                Vec.Store(x1 * x1, z + VD.Count);
            }
        }

        /// <summary>P and Q of Z (the block's own scratch, float64 rows): see the generic overload.</summary>
        private void PrefixAndSuffix() => PrefixAndSuffix(_z, _p, _q);

        /// <summary>
        /// P and Q of Z, each row two vectors of TE: sums within blocks of w rows, from each block's start (P) and to
        /// its end (Q). phase = m % w is stepped rather than divided: an integer division per row would cost more than the row.
        /// One loop builds both, P upwards and Q downwards, with the running sums in registers: two passes that reloaded
        /// the row just stored were a chain of store-to-load latencies, and n = 31 (block sums) took 1.85x the time of
        /// n = 5 (direct sums; BenchmarkDotNet, AlexNet norm1, 2026-11-27). The sums and their order are unchanged.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PrefixAndSuffix<TE>(TE* z, TE* p, TE* q)
            where TE : unmanaged
        {
            int count = Vector128<TE>.Count;
            int rowLength = 2 * count;
            int length = _plan.PaddedLength;
            int w = _plan.Width;
            Vector128<TE> p0 = default, p1 = default, q0 = default, q1 = default;
            for (int m = 0, phase = 0, mq = length - 1, phaseQ = (length - 1) % w; m < length;
                m++, phase = phase == w - 1 ? 0 : phase + 1, mq--, phaseQ = phaseQ == 0 ? w - 1 : phaseQ - 1)
            {
                TE* zm = z + (m * rowLength);
                Vector128<TE> z0 = Vec.Load(zm);
                Vector128<TE> z1 = Vec.Load(zm + count);
                if (phase != 0)
                {
                    z0 += p0;
                    z1 += p1;
                }

                p0 = z0;
                p1 = z1;
                Vec.Store(p0, p + (m * rowLength));
                Vec.Store(p1, p + (m * rowLength) + count);

                TE* zq = z + (mq * rowLength);
                Vector128<TE> u0 = Vec.Load(zq);
                Vector128<TE> u1 = Vec.Load(zq + count);
                if (mq != length - 1 && phaseQ != w - 1)
                {
                    u0 += q0;
                    u1 += q1;
                }

                q0 = u0;
                q1 = u1;
                Vec.Store(q0, q + (mq * rowLength));
                Vec.Store(q1, q + (mq * rowLength) + count);
            }
        }

        /// <summary>
        /// The window sum starting at row m of <paramref name="rows"/>: added row by row when <paramref name="direct"/>
        /// (small windows), else from the block sums P and Q that <see cref="PrefixAndSuffix()"/> built from Z.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Sum(double* rows, bool direct, int m, bool blockStart, out VD sum0, out VD sum1)
        {
            if (!direct)
            {
                Window(_p, _q, m, blockStart, out sum0, out sum1);
                return;
            }

            SumOfRows(rows + (m * B), B, _plan.Width, out sum0, out sum1);
        }

        /// <summary>
        /// Z[m] + ... + Z[m+w-1] for both vectors of a row: one whole block (P at its end) when m starts a block
        /// (m % w == 0, which the caller tracks), else Q[m] + P[m+w-1].
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Window<TE>(TE* p, TE* q, int m, bool blockStart, out Vector128<TE> sum0, out Vector128<TE> sum1)
            where TE : unmanaged
        {
            int count = Vector128<TE>.Count;
            TE* head = p + ((m + _plan.Width - 1) * 2 * count);
            sum0 = Vec.Load(head);
            sum1 = Vec.Load(head + count);
            if (!blockStart)
            {
                TE* tail = q + (m * 2 * count);
                sum0 = Vec.Load(tail) + sum0;
                sum1 = Vec.Load(tail + count) + sum1;
            }
        }

        /// <summary>
        /// <see cref="NegativePower{TPower}(VD)"/> of two vectors, for the channels-first float64 loops (blocks and flat
        /// order, which must give the same bits): for beta 0.75 on 16 registers the pair shares one float32 estimate
        /// (<see cref="Float64Powers"/>; with AVX-512 the square roots stay, where estimates refined by Newton steps
        /// measured slower: see ForwardInRegisters).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void NegativePowers<TPower>(VD s0, VD s1, out VD p0, out VD p1)
            where TPower : struct, IExponent
        {
            if (TPower.Beta == 0.75 && !ThirtyTwoRegisters)
            {
                Float64Powers.NegativeThreeQuarterPower(s0, s1, out p0, out p1);
                return;
            }

            if (double.IsNaN(TPower.Beta))
            {
                OtherNegativePowers(s0, s1, out p0, out p1);
                return;
            }

            p0 = NegativePower<TPower>(s0);
            p1 = NegativePower<TPower>(s1);
        }

        /// <summary>
        /// s^-beta, as <see cref="Power.Negative"/> does it, lane by lane for 0.5, 0.75 and 1; other exponents through
        /// <see cref="Float64Power"/> where it applies (Math.Pow for the vectors it declines). One vector at a time
        /// (the channels-last loops) 0.75 keeps the square roots: <see cref="Float64Powers"/>' estimate for a vector paired with itself cost more
        /// than the divider there (channels-last float64 AlexNet norm1, two threads, 2.2 -> 3.8 ms).
        /// <see cref="NegativePowers{TPower}(VD, VD, out VD, out VD)"/> takes it for pairs.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VD NegativePower<TPower>(VD s)
            where TPower : struct, IExponent
        {
            if (TPower.Beta == 0.75)
            {
                VD root = Vec.Sqrt(s);
                return VD.One / (root * Vec.Sqrt(root));
            }

            if (TPower.Beta == 0.5)
            {
                return VD.One / Vec.Sqrt(s);
            }

            if (TPower.Beta == 1)
            {
                return VD.One / s;
            }

            return TPower.Beta == 0 ? VD.One : OtherNegativePower(s);
        }

        /// <summary>
        /// s^-beta and 1/s with one division: s^-0.75 = sqrt(1/s) sqrt(sqrt(1/s)) and s^-0.5 = sqrt(1/s), about two
        /// float64 ulps, and 0 for s = infinity as Math.Pow gives (1/s times a root of s would give 0 * infinity = NaN)
        /// (the backward's t = dy y / s divided again before: one division fewer took the one-pass backward from
        /// 1.70-1.82 to 1.54-1.59 ms, AlexNet norm1, one thread, float32 data, five alternating runs of each build). 1/s is
        /// subnormal only for s above 2^1022, where it keeps 50 of its 52 bits. The backward's passes use it too:
        /// channels-last 2.45-2.59 -> 2.35-2.45 ms, channels-first n = 7 2.67-2.78 -> 2.44-2.52 (same runs).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private VD NegativePowerAndReciprocal<TPower>(VD s, out VD reciprocal)
            where TPower : struct, IExponent
        {
            reciprocal = VD.One / s;
            if (TPower.Beta == 0.75)
            {
                VD root = Vec.Sqrt(reciprocal);
                return root * Vec.Sqrt(root);
            }

            if (TPower.Beta == 0.5)
            {
                return Vec.Sqrt(reciprocal);
            }

            return TPower.Beta == 1 ? reciprocal : NegativePower<TPower>(s);
        }

        /// <summary>
        /// <see cref="NegativePowerAndReciprocal{TPower}(VD, out VD)"/> of two vectors, for the backward loops: other
        /// exponents take <see cref="OtherNegativePowers"/>, one call for both.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void NegativePowersAndReciprocals<TPower>(VD s0, VD s1, out VD p0, out VD p1, out VD reciprocal0, out VD reciprocal1)
            where TPower : struct, IExponent
        {
            if (double.IsNaN(TPower.Beta))
            {
                reciprocal0 = VD.One / s0;
                reciprocal1 = VD.One / s1;
                OtherNegativePowers(s0, s1, out p0, out p1);
                return;
            }

            p0 = NegativePowerAndReciprocal<TPower>(s0, out reciprocal0);
            p1 = NegativePowerAndReciprocal<TPower>(s1, out reciprocal1);
        }

        /// <summary>
        /// s^-beta for beta other than 0.5, 0.75 and 1 (see <see cref="NegativePower{TPower}(VD)"/>), out of line so that
        /// the root powers inline small.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private VD OtherNegativePower(VD s)
        {
            double beta = _plan.Beta;
            if (beta == 0.0)
            {
                return VD.One;
            }

            return Float64PowerOrMathPow(s, beta);
        }

        /// <summary>
        /// <see cref="OtherNegativePower(VD)"/> of two vectors in one call: the two long chains of dependent
        /// instructions overlap, and the loop around pays for one call instead of two.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void OtherNegativePowers(VD s0, VD s1, out VD p0, out VD p1)
        {
            Float64PowerPairOrMathPow(s0, s1, _plan.Beta, out p0, out p1);
        }
    }

    /// <summary>
    /// s^-beta = 2^(-beta log2 s) in float64 arithmetic, for exponents other than 0, 0.5, 0.75 and 1: within 1-2 float64
    /// ulps of Math.Pow for beta up to 1.5 and 4-5 for 3.75 (measured; the tests hold it to 4 + 2 beta; the error grows
    /// with beta, about 14 ulps at 10), at any magnitude of s. With s = m 2^e, m in [sqrt(1/2), sqrt(2)): log2 m from
    /// the atanh series to z^19 (|z| &lt;= 0.172: the next term is about 1e-17 absolute), |log2 m| &lt;= 1/2, known to
    /// about 2e-16 absolute. -beta e, which can be near 1000, would lose ulps in its last bits if rounded with the rest
    /// (exp(-beta log s) in one piece loses |beta log s| ulps, hundreds for s near 1e300): it is split exactly (a fused
    /// multiply-add gives the product's rounding error) into an integer j1 and a fraction, the fraction and -beta log2 m
    /// summed (|r| &lt;= 1/2 + beta/2), r split again into an integer j2 and f, |f| &lt;= 1/2, and 2^f from the Taylor
    /// series of e^(f ln 2) to degree 13 (|f ln 2| &lt;= 0.35: the next term is below 5e-18). Both series partly by
    /// Estrin's scheme: the power is one long chain of dependent instructions, whose latency rather than count bounds
    /// the loops (Horner throughout took 21 ns per four lanes on a Zen 2 EPYC, this 16; Math.Pow takes 70). False, and
    /// the caller goes lane by lane through Math.Pow, when a lane's s is not a positive normal float64 or 2^(j1 + j2) is
    /// not (a power just below 2^-1022, p 2^-1022 with p &lt; 1, comes out subnormal, rounded once). Replaced Math.Pow
    /// lane by lane in the float32 backward (beta 0.6 was 7x slower than 0.75: 22 ms against 3.0, AlexNet norm1, one
    /// thread, 2026-11-27) and in every float64 loop (AlexNet norm1 float64 forward, beta 0.6, two threads: 25.4 ->
    /// 7.3 ms, 2026-11-28).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Float64Power(VD s, double beta, out VD power)
    {
        Float64Log2(s, out VD exponent, out VD log2M);
        return Float64Exp2(s, beta, exponent, log2M, out power);
    }

    /// <summary>
    /// <see cref="Float64Power(VD, double, out VD)"/> of two vectors, in halves (the logarithms of both, then the
    /// powers of both), so that the two long chains of dependent instructions overlap in the core's window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Float64PowerPair(VD s0, VD s1, double beta, out VD p0, out VD p1)
    {
        Float64Log2(s0, out VD exponent0, out VD log2M0);
        Float64Log2(s1, out VD exponent1, out VD log2M1);
        bool taken0 = Float64Exp2(s0, beta, exponent0, log2M0, out p0);
        return Float64Exp2(s1, beta, exponent1, log2M1, out p1) & taken0;
    }

    /// <summary>The first half of <see cref="Float64Power(VD, double, out VD)"/>: log2 s = exponent + log2M, |log2M| &lt;= 1/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Float64Log2(VD s, out VD exponent, out VD log2M)
    {
        // e as a float64 from its biased bits put under 2^52, without an int64-to-float64 conversion (AVX2 has none).
        Vector128<long> bits = s.AsInt64();
        exponent = (Vec.ShiftRightLogical(bits, 52) | Vec.Create(0x4330_0000_0000_0000L)).AsDouble() - Vec.Create(4503599627370496.0 + 1023);
        VD m = ((bits & Vec.Create(0x000F_FFFF_FFFF_FFFFL)) | Vec.Create(0x3FF0_0000_0000_0000L)).AsDouble();
        VD big = Vec.GreaterThan(m, Vec.Create(1.4142135623730951));
        m = Vec.ConditionalSelect(big, m * Vec.Create(0.5), m);
        exponent += big & VD.One;
        VD z = (m - VD.One) / (m + VD.One);
        VD w = z * z;

        // The series 1 + w/3 + ... + w^9/19 in w = z^2 by Estrin's scheme: four dependent steps instead of Horner's
        // nine (the power is one long chain of dependent instructions, and its latency, not its count of
        // instructions, bounds the loops). The first four terms by Horner, so that the sum is rounded near 1 last.
        VD w2 = w * w;
        VD w4 = w2 * w2;
        VD head = Vec.FusedMultiplyAdd(Vec.FusedMultiplyAdd(Vec.FusedMultiplyAdd(Vec.Create(1.0 / 7), w, Vec.Create(1.0 / 5)), w, Vec.Create(1.0 / 3)), w, VD.One);
        VD tail = Vec.FusedMultiplyAdd(w2, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 15), w, Vec.Create(1.0 / 13)), Vec.FusedMultiplyAdd(Vec.Create(1.0 / 11), w, Vec.Create(1.0 / 9)));
        tail = Vec.FusedMultiplyAdd(w4, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 19), w, Vec.Create(1.0 / 17)), tail);
        VD series = Vec.FusedMultiplyAdd(w4, tail, head);
        log2M = z * series * Vec.Create(2.8853900817779268); // 2 / ln 2
    }

    /// <summary>The second half of <see cref="Float64Power(VD, double, out VD)"/>: 2^(-beta (exponent + log2M)), and whether every lane applies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Float64Exp2(VD s, double beta, VD exponent, VD log2M, out VD power)
    {
        VD negativeBeta = Vec.Create(-beta);
        VD product = negativeBeta * exponent;
        VD productError = Vec.FusedMultiplyAdd(negativeBeta, exponent, -product); // exact: -beta e = product + productError
        VD j1 = Vec.Round(product);
        VD r = Vec.FusedMultiplyAdd(negativeBeta, log2M, (product - j1) + productError); // product - j1 is exact
        VD j2 = Vec.Round(r);
        VD j = j1 + j2;
        VD g = (r - j2) * Vec.Create(0.69314718055994531);

        // 2^f = e^(f ln 2) = 1 + g + g^2/2 + ... + g^13/13!, g = f ln 2: the terms from g^4/4! by Estrin's scheme, the
        // rest by Horner, the last step rounding near 1.
        VD g2 = g * g;
        VD g4 = g2 * g2;
        VD high = Vec.FusedMultiplyAdd(g2, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 5040), g, Vec.Create(1.0 / 720)), Vec.FusedMultiplyAdd(Vec.Create(1.0 / 120), g, Vec.Create(1.0 / 24)));
        VD higher = Vec.FusedMultiplyAdd(g2, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 39916800), g, Vec.Create(1.0 / 3628800)), Vec.FusedMultiplyAdd(Vec.Create(1.0 / 362880), g, Vec.Create(1.0 / 40320)));
        higher = Vec.FusedMultiplyAdd(g4, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 6227020800), g, Vec.Create(1.0 / 479001600)), higher);
        high = Vec.FusedMultiplyAdd(g4, higher, high);
        VD low = Vec.FusedMultiplyAdd(g2, high, Vec.FusedMultiplyAdd(Vec.Create(1.0 / 6), g, Vec.Create(0.5)));
        VD p = Vec.FusedMultiplyAdd(Vec.FusedMultiplyAdd(low, g, VD.One), g, VD.One);

        // Normal positive s (NaN fails both comparisons) and |j| <= 1022, so that 2^j is a normal float64. j + 1.5 2^52
        // holds j in its low bits: the integer without a float64-to-int64 conversion, which AVX2 lacks.
        VD valid = Vec.GreaterThanOrEqual(s, Vec.Create(2.2250738585072014E-308))
            & Vec.LessThanOrEqual(s, Vec.Create(double.MaxValue))
            & Vec.LessThanOrEqual(Vec.Abs(j), Vec.Create(1022.0));
        Vector128<long> shifted = (j + Vec.Create(6755399441055744.0)).AsInt64(); // the bits 0x4338_0000_0000_0000 + j
        Vector128<long> twoToJ = Vec.ShiftLeft(shifted - Vec.Create(0x4338_0000_0000_0000L - 1023L), 52);
        power = p * twoToJ.AsDouble();
        return Vec.EqualsAll(valid.AsInt64(), Vec.Create(-1L));
    }

    /// <summary>
    /// s^-beta for exponents other than 0.5, 0.75 and 1: <see cref="Float64Power"/>, or <see cref="PowerByLanes"/> for
    /// a vector it declines. The across-channel loops' and the within-channel kernels' general power.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static VD Float64PowerOrMathPow(VD s, double beta) =>
        Float64Power(s, beta, out VD power) ? power : PowerByLanes(s, beta);

    /// <summary>
    /// <see cref="Float64PowerOrMathPow"/> of two vectors through <see cref="Float64PowerPair"/>; where it declines,
    /// each vector alone (so each gets the bits it would get alone).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Float64PowerPairOrMathPow(VD s0, VD s1, double beta, out VD p0, out VD p1)
    {
        if (!Float64PowerPair(s0, s1, beta, out p0, out p1))
        {
            p0 = Float64PowerOrMathPow(s0, beta);
            p1 = Float64PowerOrMathPow(s1, beta);
        }
    }

    /// <summary>
    /// s^-beta through Math.Pow lane by lane, as the scalar kernel does, for vectors with a lane that
    /// <see cref="Float64Power"/> declines: s zero, subnormal, infinite, negative or NaN, or 2^j out of the normal range.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VD PowerByLanes(VD s, double beta)
    {
        Span<double> lanes = stackalloc double[VD.Count];
        s.CopyTo(lanes);
        for (int l = 0; l < lanes.Length; l++)
        {
            lanes[l] = Math.Pow(lanes[l], -beta);
        }

        return Vec.Create<double>(lanes);
    }

    /// <summary>Two float64 vectors from 2 x VD.Count values (float32 widened); the within-channel plane kernel's too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Load2<T>(T* source, out VD first, out VD second)
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

    /// <summary>Two float64 vectors to 2 x VD.Count values (float32 narrowed, each rounded once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store2<T>(T* destination, VD first, VD second)
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
