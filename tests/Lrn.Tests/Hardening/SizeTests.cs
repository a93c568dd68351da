using System.Globalization;
using System.Runtime.InteropServices;
using Lrn.Kernels;
using Lrn.Within;

namespace Lrn.Tests;

/// <summary>
/// Sizes: an element count that overflows is refused with a clear error, never wrapped; spans that cannot hold a shape's
/// element count are refused by length; plans index past 2^31 in 64 bits. The tests marked <see cref="HugeFactAttribute"/>
/// run the kernels on real tensors of more than 2^31 elements (opt-in: LRN_HUGE_TESTS=1, about 9 GB, see
/// docs/guarantees.md).
/// </summary>
public class SizeTests
{
    /// <summary>7 x 306783379 = 2^31 + 5 elements: past int.MaxValue, so every offset above 2^31 - 1 must be a 64-bit integer.</summary>
    private const int HugeForwardCount7 = 306783379;

    private const long HugeForwardCount = 7L * HugeForwardCount7;

    public static TheoryData<int[]> OverflowingDims() => new()
    {
        { [1 << 21, 1 << 21, 1 << 21] },                          // exactly 2^63: one past long.MaxValue
        { [65536, 65536, 65536, 65536] },                         // 2^64: wraps to 0 in 64 bits
        { [int.MaxValue, int.MaxValue, int.MaxValue, 2] },
        { [3, 1 << 30, 1 << 30, 4, 5] },
    };

    [Theory]
    [MemberData(nameof(OverflowingDims))]
    public void A_shape_whose_element_count_overflows_64_bits_is_refused_naming_dims(int[] dims)
    {
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => new LrnShape(layout, dims));
            Assert.Equal("dims", e.ParamName);
            Assert.Contains("overflows", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Element_counts_up_to_2_63_minus_1_are_exact()
    {
        Assert.Equal(long.MaxValue - (1L << 42) + 1, LrnShape.ChannelsFirst(1 << 21, 1 << 21, (1 << 21) - 1).ElementCount);
        Assert.Equal(1L << 32, LrnShape.ChannelsLast(65536, 65536).ElementCount);
        Assert.Equal(HugeForwardCount, LrnShape.ChannelsFirst(1, 7, HugeForwardCount7).ElementCount);

        // An empty tensor never overflows: a zero dimension makes the count 0 whatever the others are.
        Assert.Equal(0, LrnShape.ChannelsFirst(0, int.MaxValue, int.MaxValue, int.MaxValue).ElementCount);
    }

    public static TheoryData<int[], int> CountsBeyondInt() => new()
    {
        { [65536, 65536], 0 },                   // 2^32 elements: a 32-bit count would wrap to 0 and accept empty spans
        { [3, 1431655767], 5 },                  // 2^32 + 5 elements: a 32-bit count would wrap to 5
        { [2, 4, 268435457], 4 },                // 2^31 + 8 elements: a 32-bit count would wrap to a negative number
    };

    [Theory]
    [MemberData(nameof(CountsBeyondInt))]
    public void Spans_are_compared_with_the_64_bit_element_count_not_a_wrapped_one(int[] dims, int spanLength)
    {
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            var shape = new LrnShape(layout, dims);
            Assert.True(shape.ElementCount > int.MaxValue);
            string count = shape.ElementCount.ToString(CultureInfo.InvariantCulture);
            var f = new float[spanLength];
            var d = new double[spanLength];
            foreach (LrnParameters p in new[] { LrnParameters.PyTorch(3), LrnParameters.CuDnnWithinChannel(3) })
            {
                if (p.Region == LrnRegion.WithinChannel && dims.Length < 3)
                {
                    continue;
                }

                AssertRefused(() => LocalResponseNorm.Forward(f, new float[spanLength], shape, p), count);
                AssertRefused(() => LocalResponseNorm.Forward(d, d, shape, p), count);
                AssertRefused(() => LocalResponseNorm.Backward(f, f, new float[spanLength], shape, p), count);
                AssertRefused(() => LocalResponseNorm.Backward(d, d, d, new double[spanLength], shape, p), count);
            }
        }
    }

    public static TheoryData<int[]> PlanDims() => new()
    {
        { [3, 3, 238609295] },       // channels-first: the last channel plane starts past 2^31
        { [429496731, 5] },          // rank 2: outer index times C passes 2^31
        { [2, 96, 11184811] },       // AlexNet-like channel count
        { [2, 1, int.MaxValue] },
        { [int.MaxValue, 1, 2] },
    };

    [Theory]
    [MemberData(nameof(PlanDims))]
    public void Plans_of_more_than_2_31_elements_tile_the_tensor_with_64_bit_offsets(int[] channelsFirstDims)
    {
        // The work items must cover [0, Outer) x [0, Inner) exactly, and the element offsets the kernels form,
        // (o * C + c) * Inner + i, must reach ElementCount - 1 without wrapping.
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, channelsFirstDims);
            var plan = new LrnPlan(shape, LrnParameters.PyTorch(5));
            Assert.True(shape.ElementCount > int.MaxValue);
            Assert.Equal(shape.ElementCount, plan.Outer * plan.Channels * plan.Inner);
            Assert.Equal(plan.OuterBlocks * plan.InnerBlocks, plan.ItemCount);

            plan.ItemBounds(plan.ItemCount - 1, out long o0, out long o1, out long i0, out long i1);
            Assert.Equal(plan.Outer, o1);
            Assert.Equal(plan.Inner, i1);
            Assert.True(o0 < o1 && i0 < i1 && i1 - i0 <= LrnPlan.InnerTile);
            long last = (((o1 - 1) * plan.Channels) + plan.Channels - 1) * plan.Inner + (i1 - 1);
            Assert.Equal(shape.ElementCount - 1, last);

            // Neighbouring items meet without gap or overlap: check the first and last blocks along each axis.
            foreach (long outerBlock in new[] { 0, 1, plan.OuterBlocks - 2, plan.OuterBlocks - 1 }.Where(b => b >= 0 && b < plan.OuterBlocks))
            {
                foreach (long innerBlock in new[] { 0, 1, plan.InnerBlocks - 2, plan.InnerBlocks - 1 }.Where(b => b >= 0 && b < plan.InnerBlocks))
                {
                    plan.ItemBounds((outerBlock * plan.InnerBlocks) + innerBlock, out long a0, out long a1, out long b0, out long b1);
                    Assert.Equal(outerBlock * plan.OuterPerItem, a0);
                    Assert.Equal(Math.Min(a0 + plan.OuterPerItem, plan.Outer), a1);
                    Assert.Equal(innerBlock * plan.Lanes, b0);
                    Assert.Equal(Math.Min(b0 + plan.Lanes, plan.Inner), b1);
                }
            }
        }
    }

    [Fact]
    public void Within_channel_plans_of_more_than_2_31_elements_index_with_64_bit_offsets()
    {
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, [64, 64, 512, 1025]);
            var plan = new WithinPlan(shape, LrnParameters.CuDnnWithinChannel(3));
            Assert.True(shape.ElementCount > int.MaxValue);
            Assert.Equal(shape.ElementCount - 1, plan.Index(plan.Batch - 1, plan.Channels - 1, plan.Positions - 1));
            plan.ItemBounds(plan.ItemCount - 1, out long b, out int c0, out int c1);
            Assert.Equal(plan.Batch - 1, b);
            Assert.Equal(plan.Channels, c1);
            Assert.True(c0 < c1);
        }
    }

    [LinuxTheory]
    [InlineData(LrnKernelKind.Vector512, 1 << 25, 16)]
    [InlineData(LrnKernelKind.Vector256, 1 << 26, 8)]
    [InlineData(LrnKernelKind.Scalar, 1 << 24, 64)]
    public unsafe void A_channel_count_too_large_for_the_scratch_is_refused_before_anything_is_touched(LrnKernelKind kernel, int channels, int plane)
    {
        // ScalarKernel.ScratchLength = (3 (C + lo + hi) + C) * lanes and the SIMD kernels' ((3 (C + lo + hi) + 5 C) * B)
        // are computed in int: for (1, 2^25, 16) the Vector512 one is 2^32 + 192, which wraps to 192 doubles, and the
        // kernel then writes C * 16 doubles of squares into them. The tensor here is a reserved, never-accessible mapping
        // of 2 GiB (it costs no memory): a kernel that touches it before refusing crashes the test host.
        if (!TestData.IsSupported(kernel))
        {
            return;
        }

        var shape = LrnShape.ChannelsFirst(1, channels, plane);
        using var tensor = new GuardedBuffer<float>(shape.ElementCount, GuardPlacement.StartsAfterGuard, accessible: false);
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => LocalResponseNorm.Forward(tensor.Span, tensor.Span, shape, LrnParameters.PyTorch(5), new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = 1 }));
        Assert.Equal("shape", e.ParamName);
    }

    [Fact]
    public void The_SIMD_kernels_scratch_holds_the_rings_of_the_16_register_loops_for_any_channel_count()
    {
        // Where the in-registers loops would spill (16 vector registers), the float32 forward keeps one ring and the
        // backward three rings of 8 rows of 8 vectors, and a row of zeros after them (4 vectors between each), in the
        // scratch, whatever C is; the rest of the scratch grows with C, and for C = 1 was 64 doubles (Vector256)
        // against the backward's 848.
        foreach (LrnKernel kernel in KernelRegistry.All.Where(k => k.Kind is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128))
        {
            int floatsPerVector = kernel.Kind switch { LrnKernelKind.Vector512 => 16, LrnKernelKind.Vector256 => 8, _ => 4 };
            long skew = 4 * floatsPerVector;
            long ringsDoubles = ((((3L * 8) + 1) * 8 * floatsPerVector) + (3 * skew)) / 2;
            for (int channels = 1; channels <= 4; channels++)
            {
                for (int n = 1; n <= 5; n++)
                {
                    var plan = new LrnPlan(LrnShape.ChannelsFirst(1, channels, 200), LrnParameters.PyTorch(n));
                    Assert.True(kernel.ScratchLength(plan) >= ringsDoubles, $"{kernel.Kind}, C = {channels}, n = {n}: {kernel.ScratchLength(plan)} doubles");
                }

            }

            // Wider windows: a ring of w rows of squares, w rows of suffix sums and a row of prefix sums, 8 vectors each,
            // with 4 vectors between the three (w is the plan's window, at most 2 C - 1). For C = 20 and n = 31 the rest
            // of the scratch was 2000 doubles (Vector256) against these 2048.
            foreach (int channels in new[] { 4, 16, 20 })
            {
                foreach (int n in new[] { 7, 31 })
                {
                    var plan = new LrnPlan(LrnShape.ChannelsFirst(1, channels, 200), LrnParameters.PyTorch(n));
                    long wideDoubles = ((((2L * plan.Width) + 1) * 8 * floatsPerVector) + (2 * skew)) / 2;
                    Assert.True(kernel.ScratchLength(plan) >= wideDoubles, $"{kernel.Kind}, C = {channels}, n = {n}: {kernel.ScratchLength(plan)} doubles");
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 96, 150)]
    [InlineData(1, 1100, 70)]
    public void Streamed_plans_items_of_whole_planes_leave_the_SIMD_kernels_scratch_as_it_was(int batch, int channels, int side)
    {
        // A forward whose x and y exceed the caches streams its outputs and takes items of up to
        // LrnPlan.StreamedInnerTile positions instead of 64. The SIMD kernels hand the scalar kernel fewer lanes than a
        // block, so their scratch must not grow with the items: sized by the plan's lanes, the scalar rows alone came
        // to (3 (C + 4) + C) * 4096 doubles, 144 MB per thread for C = 1100.
        var shape = LrnShape.ChannelsFirst(batch, channels, side, side);
        var p = LrnParameters.PyTorch(5);
        var plain = new LrnPlan(shape, p);
        var streamed = new LrnPlan(shape, p, streamable: true);
        Assert.True(streamed.StreamsOutputs && streamed.Lanes > plain.Lanes, $"{shape} should stream, in items wider than {plain.Lanes}");
        foreach (LrnKernel kernel in KernelRegistry.All.Where(k => k.Kind is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128))
        {
            Assert.Equal(kernel.ScratchLength(plain), kernel.ScratchLength(streamed));
        }
    }

    // ---------------------------------------------------------------- opt-in: real tensors of more than 2^31 elements

    private static readonly LrnParameters HugeParameters = LrnParameters.PyTorch(5, alpha: 0.5, beta: 0.75, k: 1);

    [HugeFact]
    public unsafe void Every_kernel_computes_a_forward_of_more_than_2_31_elements_in_place()
    {
        // 2^31 + 5 floats (8.6 GB), in place, so one tensor is all the memory it needs. The values are a function of the
        // flat index, so any sampled element's window can be recomputed from the formula.
        foreach (LrnShape shape in new[] { LrnShape.ChannelsFirst(1, 7, HugeForwardCount7), LrnShape.ChannelsLast(HugeForwardCount7, 7) })
        {
            Assert.True(shape.ElementCount > int.MaxValue, shape.ToString());
            float* x = (float*)NativeMemory.Alloc((nuint)shape.ElementCount, sizeof(float));
            try
            {
                var plan = new LrnPlan(shape, HugeParameters);
                foreach (LrnKernel kernel in KernelRegistry.All.Where(k => k.IsSupported))
                {
                    Fill(x, shape.ElementCount);
                    kernel.Forward(plan, x, x, -1);
                    long ulps = Tolerance.Float32ForwardUlpsFor(kernel.Kind, plan.Width, plan.Beta);
                    foreach (long at in Samples(shape.ElementCount))
                    {
                        double expected = ExpectedForward(plan, at);
                        Assert.True(
                            Ulps.Between((float)expected, x[at]) <= ulps,
                            $"{kernel.Name} {shape} at {at}: expected {(float)expected}, got {x[at]}");
                    }
                }
            }
            finally
            {
                NativeMemory.Free(x);
            }
        }
    }

    [HugeFact]
    public unsafe void Every_kernel_computes_a_backward_of_more_than_2_31_elements()
    {
        // x doubles as dy (the kernels only require dx to be disjoint from its inputs): 2 x 8.6 GB.
        LrnShape shape = LrnShape.ChannelsFirst(3, 3, 238609295);
        long n = shape.ElementCount;
        Assert.True(n > int.MaxValue);
        RequireMemory(2 * n * sizeof(float));
        float* x = (float*)NativeMemory.Alloc((nuint)n, sizeof(float));
        float* dx = (float*)NativeMemory.Alloc((nuint)n, sizeof(float));
        try
        {
            Fill(x, n);
            var plan = new LrnPlan(shape, HugeParameters);
            foreach (LrnKernel kernel in KernelRegistry.All.Where(k => k.IsSupported))
            {
                kernel.Backward(plan, x, null, x, dx, -1);
                foreach (long at in Samples(n))
                {
                    (double expected, double scale) = ExpectedBackward(plan, at);
                    Assert.True(
                        Math.Abs(expected - dx[at]) <= (Tolerance.GradientRelative<float>(plan.Width) * scale) + float.Epsilon,
                        $"{kernel.Name} {shape} at {at}: expected {expected}, got {dx[at]}");
                }
            }
        }
        finally
        {
            NativeMemory.Free(x);
            NativeMemory.Free(dx);
        }
    }

    [HugeFact]
    public unsafe void Both_within_channel_kernels_compute_a_forward_of_more_than_2_31_elements_in_place()
    {
        LrnParameters p = LrnParameters.CuDnnWithinChannel(3, 2, 0.75, 1);
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, [64, 64, 512, 1025]);
            long n = shape.ElementCount;
            Assert.True(n > int.MaxValue);
            float* x = (float*)NativeMemory.Alloc((nuint)n, sizeof(float));
            try
            {
                var plan = new WithinPlan(shape, p);
                foreach (bool reference in new[] { false, true })
                {
                    Fill(x, n);
                    if (reference)
                    {
                        WithinReferenceKernel.Forward(plan, x, x);
                    }
                    else
                    {
                        WithinBlockSumKernel.Forward(plan, x, x, -1);
                    }

                    foreach (long at in Samples(n))
                    {
                        double expected = ExpectedWithinForward(plan, shape, at);
                        Assert.True(Ulps.Between((float)expected, x[at]) <= Tolerance.Float32ForwardUlps, $"{(reference ? "reference" : "block-sum")} {shape} at {at}: expected {(float)expected}, got {x[at]}");
                    }
                }
            }
            finally
            {
                NativeMemory.Free(x);
            }
        }
    }

    private static void AssertRefused(Action call, string count)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(call);
        Assert.Contains("element count " + count, e.Message, StringComparison.Ordinal);
        Assert.True(e.ParamName is "x" or "y" or "dy" or "dx", e.ParamName);
    }

    private static void RequireMemory(long bytes)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.True(available > bytes + (2L << 30), $"needs {bytes >> 30} GiB plus headroom; {available >> 30} GiB available");
    }

    /// <summary>A value in [-2, 2) that depends only on the flat index (SplitMix64), so it can be recomputed anywhere.</summary>
    private static float Value(long index)
    {
        ulong z = (ulong)index + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 40) * (4f / (1 << 24))) - 2f;
    }

    private static unsafe void Fill(float* x, long n)
    {
        const long chunk = 1 << 22;
        Parallel.For(0, (n + chunk - 1) / chunk, block =>
        {
            long end = Math.Min(n, (block + 1) * chunk);
            for (long i = block * chunk; i < end; i++)
            {
                x[i] = Value(i);
            }
        });
    }

    /// <summary>The first and last elements, those around 2^31, and a seeded spread in between.</summary>
    private static IEnumerable<long> Samples(long n)
    {
        long[] fixedPoints = [0, 1, int.MaxValue - 1L, int.MaxValue, 1L << 31, (1L << 31) + 1, n - 2, n - 1];
        var random = new Random(31);
        return fixedPoints.Where(i => i < n).Concat(Enumerable.Range(0, 2000).Select(_ => random.NextInt64(n)));
    }

    private static (long O, int C, long I) Split(in LrnPlan plan, long at) =>
        (at / ((long)plan.Channels * plan.Inner), (int)(at / plan.Inner % plan.Channels), at % plan.Inner);

    private static double S(in LrnPlan plan, long o, int c, long i)
    {
        double sum = 0;
        for (int j = Math.Max(0, c - plan.Lo); j <= Math.Min(plan.Channels - 1, c + plan.Hi); j++)
        {
            double v = Value((((o * plan.Channels) + j) * plan.Inner) + i);
            sum += v * v;
        }

        return plan.K + (plan.A * sum);
    }

    private static double ExpectedForward(in LrnPlan plan, long at)
    {
        (long o, int c, long i) = Split(plan, at);
        return Value(at) * Math.Pow(S(plan, o, c, i), -plan.Beta);
    }

    /// <summary>dx at <paramref name="at"/> with dy = x, and the magnitude of its two terms.</summary>
    private static (double Dx, double Scale) ExpectedBackward(in LrnPlan plan, long at)
    {
        (long o, int j, long i) = Split(plan, at);
        double sum = 0;
        double magnitude = 0;
        for (int c = Math.Max(0, j - plan.Hi); c <= Math.Min(plan.Channels - 1, j + plan.Lo); c++)
        {
            double xc = Value((((o * plan.Channels) + c) * plan.Inner) + i);
            double sc = S(plan, o, c, i);
            double t = xc * xc * Math.Pow(sc, -plan.Beta) / sc;
            sum += t;
            magnitude += Math.Abs(t);
        }

        double xj = Value(at);
        double term1 = xj * Math.Pow(S(plan, o, j, i), -plan.Beta);
        double twoABeta = 2 * plan.A * plan.Beta;
        return (term1 - (twoABeta * xj * sum), Math.Abs(term1) + (twoABeta * Math.Abs(xj) * magnitude));
    }

    private static double ExpectedWithinForward(WithinPlan plan, LrnShape shape, long at)
    {
        int height = plan.Dims[0];
        int width = plan.Dims[1];
        long b;
        int c;
        long p;
        if (shape.Layout == LrnLayout.ChannelsFirst)
        {
            p = at % plan.Positions;
            c = (int)(at / plan.Positions % plan.Channels);
            b = at / plan.Positions / plan.Channels;
        }
        else
        {
            c = (int)(at % plan.Channels);
            p = at / plan.Channels % plan.Positions;
            b = at / plan.Channels / plan.Positions;
        }

        long row = p / width;
        long column = p % width;
        double sum = 0;
        for (long r = Math.Max(0, row - plan.Lo); r <= Math.Min(height - 1, row + plan.Hi); r++)
        {
            for (long q = Math.Max(0, column - plan.Lo); q <= Math.Min(width - 1, column + plan.Hi); q++)
            {
                double v = Value(plan.Index(b, c, (r * width) + q));
                sum += v * v;
            }
        }

        return Value(at) * Math.Pow(plan.K + (plan.A * sum), -plan.Beta);
    }
}
