namespace Lrn.Kernels;

/// <summary>
/// Everything a kernel needs, derived once per call from the shape and the parameters, so kernels never re-derive
/// the window. The tensor is seen as [Outer, Channels, Inner] with element (o, c, i) at (o*Channels + c)*Inner + i.
/// </summary>
internal readonly struct LrnPlan
{
    /// <summary>
    /// Spatial positions per work item (the lanes a kernel carries through the channel window together). 256 rather
    /// than 64: each item then walks one image's rows in four blocks of 64 positions, so the next block is the same
    /// rows further along, which the forward's hints (the SIMD kernels' PrefetchDown) reach; AlexNet norm1 forward, one
    /// thread, 0.34-0.36 -> 0.32-0.35 ms, two 0.18-0.19 -> 0.17-0.18 (1024 no better; norm2, GoogLeNet, the backward
    /// and n = 31 unchanged within noise; four or five alternating runs of each build, 2026-11-27). The scalar kernel's
    /// scratch, (3 (C + window) + C) x 256 doubles, is then about 800 KiB per thread for C = 96; the SIMD kernels'
    /// does not depend on it.
    /// </summary>
    public const int InnerTile = 256;

    /// <summary>
    /// Spatial positions per work item where a forward streams its float32 outputs past the caches
    /// (<see cref="StreamsOutputs"/>): each item and row then ends in a line shared with the neighbouring item, written
    /// with ordinary stores that read it first, so items as long as whole planes (of up to this many positions) keep
    /// those lines few. [32,96,55,55] forward, one thread: 64 positions 2.9-3.3 ms (slower than without streaming,
    /// 2.4), 256 2.25-2.42, 512 1.93-2.10, 1024 1.72-1.73, 4096 (whole planes) 1.55-1.66 (four alternating runs of each
    /// build, 2026-11-27). Tensors in the caches keep <see cref="InnerTile"/>.
    /// </summary>
    public const int StreamedInnerTile = 4096;

    /// <summary>
    /// The SIMD kernels' channels-first float32 forward sums windows up to this many channels directly (two passes,
    /// or one in registers for lo, hi of 1 or 2) and wider ones by block sums in one pass; the one-pass loops are those
    /// that stream (<see cref="StreamsOutputs"/>). Measured in Vector512Kernel's constant of this name.
    /// </summary>
    public const int DirectWindowMaxFloat32 = 5;

    /// <summary>
    /// x and y together over this many bytes are taken to be beyond the caches between calls (the L3 cache of the
    /// machine the kernels were tuned on holds 32 MiB).
    /// </summary>
    public const double CachedTensorBytes = 32 << 20;

    /// <summary>About how many elements a work item covers when items group whole channel vectors (channels-last). Not tuned yet.</summary>
    public const int TargetItemElements = 16 * 1024;

    /// <param name="shape">The tensor's shape.</param>
    /// <param name="parameters">The LRN's parameters.</param>
    /// <param name="streamable">
    /// Whether the call may stream float32 outputs (a forward of float32 data, out of place, on a kernel that can): see
    /// <see cref="StreamsOutputs"/>.
    /// </param>
    public LrnPlan(LrnShape shape, LrnParameters parameters, bool streamable = false)
    {
        (Outer, Channels, Inner) = shape.ChannelView;
        // A window reaching past both ends of the channel axis sums the same channels as one reaching exactly to them,
        // so lo and hi are clipped to C-1: scratch and work then never depend on an oversized window.
        int maxReach = Math.Max(Channels - 1, 0);
        Lo = Math.Min(parameters.Lo, maxReach);
        Hi = Math.Min(parameters.Hi, maxReach);
        A = parameters.A;
        K = parameters.K;
        Beta = parameters.Beta;

        (Float32Allowed, Float32MinAbs, Float32MaxAbs) = Float32Range(Width, A, K, Beta);
        Near = NearSeries.For(K, Beta, Float32Allowed);

        // Work items are fixed by the shape alone, never by the thread count, so every degree of parallelism
        // computes each element in the same order: results are bit-identical.
        StreamsOutputs = streamable && ((Lo is 1 or 2 && Hi is 1 or 2) || Width > DirectWindowMaxFloat32)
            && 2.0 * Outer * Channels * Inner * sizeof(float) > CachedTensorBytes;
        Lanes = (int)Math.Min(Inner, StreamsOutputs ? StreamedInnerTile : InnerTile);
        long itemElements = Math.Max(1L, (long)Channels * Math.Max(Lanes, 1));
        OuterPerItem = Math.Max(1L, TargetItemElements / itemElements);
        InnerBlocks = Lanes == 0 ? 0 : (Inner + Lanes - 1) / Lanes;
        OuterBlocks = (Outer + OuterPerItem - 1) / OuterPerItem;
        ItemCount = Channels == 0 ? 0 : OuterBlocks * InnerBlocks;
    }

    public long Outer { get; }

    public int Channels { get; }

    public long Inner { get; }

    /// <summary>Channels before c in the window, clipped to C-1.</summary>
    public int Lo { get; }

    /// <summary>Channels after c in the window, clipped to C-1.</summary>
    public int Hi { get; }

    /// <summary>The per-term coefficient a.</summary>
    public double A { get; }

    public double K { get; }

    public double Beta { get; }

    /// <summary>The clipped window's length, lo + hi + 1.</summary>
    public int Width => Lo + Hi + 1;

    /// <summary>The channel axis with lo zeros before it and hi after (or hi before and lo after, for the mirrored window).</summary>
    public int PaddedLength => Lo + Channels + Hi;

    /// <summary>
    /// Whether the float32 forward writes y with streaming stores, past the caches, where the kernel has them: x and y
    /// exceed <see cref="CachedTensorBytes"/>, the call is streamable (see the constructor), and the window is one that
    /// a one-pass loop takes (lo and hi of 1 or 2, or over <see cref="DirectWindowMaxFloat32"/> channels). Items then
    /// span up to <see cref="StreamedInnerTile"/> positions.
    /// </summary>
    public bool StreamsOutputs { get; }

    /// <summary>Spatial positions per item (at most <see cref="InnerTile"/>, or <see cref="StreamedInnerTile"/> where the plan <see cref="StreamsOutputs"/>); the last item of a row may have fewer.</summary>
    public int Lanes { get; }

    public long OuterPerItem { get; }

    public long InnerBlocks { get; }

    public long OuterBlocks { get; }

    public long ItemCount { get; }

    /// <summary>
    /// Whether float32 arithmetic may be used for float32 data at all. Where it is, a block of inputs qualifies when
    /// every x is 0 or has <see cref="Float32MinAbs"/> &lt;= |x| &lt;= <see cref="Float32MaxAbs"/>; other blocks (huge,
    /// tiny, NaN or infinite values) take the float64 path, so float32 results never overflow, underflow or lose
    /// precision where the float64 reference does not.
    /// </summary>
    public bool Float32Allowed { get; }

    /// <summary>
    /// The largest exponent float32 arithmetic takes (<see cref="Float32Allowed"/> is false above it): the SIMD
    /// kernels' float32 power keeps |beta log2 s| below 126 for s up to 2^101, so that 2^-beta log2 s is a normal
    /// float32. Larger exponents (rare: LRN's are 0.5 to 1) are computed in float64 arithmetic instead; before, the
    /// float32 power called float64 exp and log for them, and that call, though never taken for beta 0.75, made the
    /// JIT keep the hot loops' values on the stack: the forward took 0.77-0.85 ms with it and 0.67-0.73 without
    /// (channels-first; channels-last 0.72-0.78 and 0.56-0.59; AlexNet norm1, one thread, 2026-11-27).
    /// </summary>
    public const double Float32MaxBeta = 1.2;

    public float Float32MinAbs { get; }

    public float Float32MaxAbs { get; }

    /// <summary>
    /// <see cref="Float32MaxAbs"/> squared in float32, for loops that check the range on the squares they take: for a
    /// float32 x, fl(x^2) &lt;= this exactly when |x| &lt;= <see cref="Float32MaxAbs"/> = m. Rounding is monotonic, which
    /// gives one way and the other wherever fl(m'^2) &gt; fl(m^2) for m' the float32 after m (any |x| &gt; m squares to
    /// at least fl(m'^2)); and it is: m'^2 - m^2 &gt; 2 m ulp(m), which is at least 1.4 ulps of m^2 (the fewest where
    /// m^2 is just above a power of two), so the two never round to the same float32.
    /// </summary>
    public float Float32MaxSquare => Float32MaxAbs * Float32MaxAbs;

    /// <summary>The SIMD kernels' float32 s^-beta near k for exponents other than 0, 0.5, 0.75 and 1.</summary>
    public NearSeries Near { get; }

    /// <summary>
    /// The range of |x| within which float32 arithmetic keeps every square, window sum and s a normal float32 with
    /// full relative precision: sums stay below 2^100 / max(a, 1), so a * sum and s stay below 2^101; and either k is
    /// large enough that denormal squares are negligible against it (below 2^-40 of k) or every nonzero square
    /// and a times it stay above 2^-100.
    /// </summary>
    private static (bool Allowed, float MinAbs, float MaxAbs) Float32Range(int width, double a, double k, double beta)
    {
        double top = Math.ScaleB(1, 100);
        double bottom = Math.ScaleB(1, -100);
        bool allowed = k < top && (k == 0 || k >= bottom) && a <= top && (a == 0 || a >= bottom) && (k > 0 || a > 0)
            && beta <= Float32MaxBeta;
        if (!allowed)
        {
            return (false, 0, 0);
        }

        float maxAbs = (float)Math.Sqrt(top / (width * Math.Max(a, 1)));
        double denormalError = a * width * Math.ScaleB(1, -149);
        float minAbs = k >= bottom && denormalError <= k * Math.ScaleB(1, -40)
            ? 0
            : (float)Math.Sqrt(bottom / Math.Min(Math.Max(a, bottom), 1));
        return (true, minAbs, maxAbs);
    }

    /// <summary>The outer range [o0, o1) and inner range [i0, i1) of a work item.</summary>
    public void ItemBounds(long item, out long o0, out long o1, out long i0, out long i1)
    {
        long outerBlock = item / InnerBlocks;
        long innerBlock = item % InnerBlocks;
        o0 = outerBlock * OuterPerItem;
        o1 = Math.Min(o0 + OuterPerItem, Outer);
        i0 = innerBlock * Lanes;
        i1 = Math.Min(i0 + Lanes, Inner);
    }
}
