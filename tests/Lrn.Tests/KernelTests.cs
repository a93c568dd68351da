using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// The fast kernel against the reference over named edge shapes and seeded random shapes, both layouts, every
/// convention, float and double, forward and backward. Bounds come from <see cref="Tolerance"/>.
/// </summary>
public class KernelTests
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };

    private static readonly ConventionCase[] Conventions =
    [
        new(LrnConvention.PyTorch, 1, 0.3, 0.75, 1.5),
        new(LrnConvention.PyTorch, 4, 0.3, 0.75, 1.5),
        new(LrnConvention.Onnx, 4, 0.2, 0.6, 1),
        new(LrnConvention.Onnx, 5, 0.2, 0.6, 1),
        new(LrnConvention.CuDnn, 16, 0.25, 1, 2),
        new(LrnConvention.PyTorch, 31, 0.3, 0.75, 1.5),
        new(LrnConvention.Onnx, 18, 0.3, 0.5, 1),
        new(LrnConvention.Caffe, 5, 0.5, 0.75, 1),
        new(LrnConvention.OneDnn, 6, 0.4, 0.5, 1),
        new(LrnConvention.MXNet, 3, 0.3, 0.75, 2),
        new(LrnConvention.TensorFlow, 2, 0.1, 0.5, 1),
        new(LrnConvention.Paper, 2, 0.05, 1.3, 0.5),
    ];

    public static TheoryData<LrnKernelKind, string, LrnLayout, bool> EdgeCases()
    {
        var data = new TheoryData<LrnKernelKind, string, LrnLayout, bool>();
        foreach (LrnKernelKind kernel in TestData.FastKernels)
        {
            foreach ((string name, _) in TestData.EdgeShapes)
            {
                foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
                {
                    data.Add(kernel, name, layout, false);
                    data.Add(kernel, name, layout, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Fast_kernels_match_the_reference_on_edge_shapes(LrnKernelKind kernel, string shapeName, LrnLayout layout, bool useDouble)
    {
        int[] dims = Array.Find(TestData.EdgeShapes, s => s.Name == shapeName).Dims;
        LrnShape shape = TestData.Shape(layout, dims);
        foreach (ConventionCase convention in Conventions)
        {
            int seed = StableSeed.Of(shapeName, layout, convention.Convention, convention.Size);
            string context = $"{kernel} {shapeName} {convention.Create().Describe()} seed {seed}";
            if (useDouble)
            {
                CompareAll<double>(kernel, shape, convention.Create(), seed, context);
            }
            else
            {
                CompareAll<float>(kernel, shape, convention.Create(), seed, context);
            }
        }
    }

    public static TheoryData<LrnKernelKind, int> RandomCases()
    {
        var data = new TheoryData<LrnKernelKind, int>();
        foreach (LrnKernelKind kernel in TestData.FastKernels)
        {
            data.Add(kernel, 20261126);
            data.Add(kernel, 7);
        }

        return data;
    }

    [Fact]
    public void Kernels_this_machine_cannot_run_are_refused_by_name()
    {
        foreach (LrnKernelKind kind in Enum.GetValues<LrnKernelKind>())
        {
            if (kind != LrnKernelKind.Auto && !TestData.IsSupported(kind))
            {
                PlatformNotSupportedException e = Assert.Throws<PlatformNotSupportedException>(
                    () => LocalResponseNorm.Forward(new float[2], new float[2], LrnShape.ChannelsFirst(1, 2), LrnParameters.PyTorch(1), new LrnOptions { Kernel = kind }));
                Assert.Contains("options.Kernel asks for the", e.Message, StringComparison.Ordinal);
            }
        }

        // Auto always finds one, and it is the first supported in the documented order.
        Assert.Equal(TestData.FastKernels[0].ToString().ToUpperInvariant(), LocalResponseNorm.KernelName().ToUpperInvariant());
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Fast_kernels_match_the_reference_on_seeded_random_shapes(LrnKernelKind kernel, int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            int rank = random.Next(2, 6);
            int[] dims = new int[rank];
            dims[0] = random.Next(1, 3);
            dims[1] = random.Next(1, 40);
            for (int d = 2; d < rank; d++)
            {
                dims[d] = random.Next(1, rank == 3 ? 90 : 7);
            }

            LrnLayout layout = random.Next(2) == 0 ? LrnLayout.ChannelsFirst : LrnLayout.ChannelsLast;
            LrnShape shape = TestData.Shape(layout, dims);
            var p = LrnParameters.Canonical(random.Next(0, 20), random.Next(0, 20), random.NextDouble(), 0.5 + random.NextDouble(), 2 * random.NextDouble());
            string context = $"{kernel} trial {trial} of seed {seed}: {p.Describe()}";
            if (random.Next(2) == 0)
            {
                CompareAll<float>(kernel, shape, p, seed + trial, context);
            }
            else
            {
                CompareAll<double>(kernel, shape, p, seed + trial, context);
            }
        }
    }

    /// <summary>
    /// The SIMD kernels' float32 power for exponents other than 0.5, 0.75 and 1 (exp2 of -beta log2 s, written out)
    /// keeps the float32-arithmetic bound for s from about 2^-100 to 2^100, the whole range that takes float32 arithmetic.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void General_exponents_in_float32_hold_the_bound_across_the_float32_range(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 9, 40);
        var random = new Random(20261127);
        foreach (double beta in new[] { 0.1, 0.37, 0.6, 0.9, 1.1, 1.2 })
        {
            foreach (int decade in new[] { -15, -9, -4, -1, 0, 2, 6, 11, 14 })
            {
                var p = LrnParameters.Canonical(2, 2, 1, 1e-30, beta);
                float[] x = [.. TestData.Random(random, shape.ElementCount).Select(v => (float)(v * Math.Pow(10, decade)))];
                float[] expected = new float[x.Length], actual = new float[x.Length];
                TestData.Forward(x, expected, shape, p, Reference);
                TestData.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
                TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, beta), shape, $"{kernel}, beta {beta}, x ~ 1e{decade}");
            }
        }
    }

    /// <summary>
    /// The SIMD kernels compile their loops once for each of beta = 0, 0.5, 0.75 and 1 and once for any other exponent,
    /// and pick one per call: each of them, float and double, forward and backward, both layouts, for windows summed
    /// in registers (n = 5), directly (n = 9 channels-last, float64) and by block sums (n = 9 and 31 float32
    /// channels-first, n = 31 elsewhere), over enough positions that the SIMD blocks, not the scalar tails, do the work,
    /// and 48 channels, a multiple of every width's channels-last group.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Every_exponent_the_kernels_are_compiled_for_matches_the_reference(LrnKernelKind kernel)
    {
        foreach (double beta in new[] { 0, 0.5, 0.75, 1, 0.6, 1.3 })
        {
            foreach (int reach in new[] { 2, 4, 15 })
            {
                foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
                {
                    LrnShape shape = TestData.Shape(layout, [2, 48, 70]);
                    var p = LrnParameters.Canonical(reach, reach, 0.3, 1.5, beta);
                    string context = $"{kernel} {layout} beta {beta}, window {2 * reach + 1}";
                    int seed = StableSeed.Of(kernel.ToString(), layout, LrnConvention.Canonical, reach);
                    CompareAll<float>(kernel, shape, p, seed, context);
                    CompareAll<double>(kernel, shape, p, seed, context);
                }
            }
        }
    }

    /// <summary>
    /// Where x and y together exceed 32 MiB the SIMD one-pass forwards run loops compiled to hint each output row into
    /// the cache first (smaller tensors, as in every other test, take the loops without): those loops against the
    /// reference, float32 in registers (n = 5) and by block sums (n = 31), float64 in registers.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Tensors_larger_than_the_caches_take_loops_that_match_the_reference(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 96, 150, 150);
        var random = new Random(20261130);
        var options = new LrnOptions { Kernel = kernel };
        float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
        foreach (int n in new[] { 5, 31 })
        {
            var p = LrnParameters.PyTorch(n, alpha: 0.5, beta: 0.75, k: 1);
            float[] expected = new float[x.Length], actual = new float[x.Length];
            TestData.Forward(x, expected, shape, p, Reference);
            TestData.Forward(x, actual, shape, p, options);
            TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta), shape, $"{kernel} float32 n = {n}");
        }

        double[] xd = TestData.ToDouble(x);
        var p5 = LrnParameters.PyTorch(5, alpha: 0.5, beta: 0.75, k: 1);
        double[] expectedD = new double[xd.Length], actualD = new double[xd.Length];
        TestData.Forward(xd, expectedD, shape, p5, Reference);
        TestData.Forward(xd, actualD, shape, p5, options);
        TestData.AssertUlps(expectedD, actualD, Tolerance.Float64ForwardUlps(p5.WindowLength, p5.Beta), shape, $"{kernel} float64 n = 5");
    }

    /// <summary>
    /// Where x and y exceed the caches, the AVX-512 float32 forward for windows of one or two channels each side (in
    /// registers) or over five channels (block sums) writes y with streaming stores of whole aligned vectors, each
    /// row's results joined with its previous block's and the last lanes of a run written after it
    /// (<see cref="LrnPlan.StreamsOutputs"/>). Runs take four vectors per row visit, then two. Against the reference: y
    /// at four offsets (rows of 150 x 150 floats then start at every lane of a vector), blocks with a value outside the
    /// float32 range (computed again in float64 after their stream) first, in the middle and last in their rows, rows
    /// of 40 floats (a run of one two-vector block and a tail), and one thread against two, bit for bit.
    /// </summary>
    [StreamsFact]
    public void Streamed_outputs_match_the_reference_at_every_alignment_and_around_blocks_computed_again()
    {
        // (shape, spoiled (image, channel, position)): planes of 22,500 take items of 4096 positions, the last of 2020
        // (31 four-vector blocks, one two-vector block, 4 positions left); planes of 40 one two-vector block and 8 left.
        var cases = new (LrnShape Shape, (int N, int C, int At)[] Spoiled)[]
        {
            (LrnShape.ChannelsFirst(2, 96, 150, 150), [(0, 7, 3), (0, 8, 40), (1, 50, 11_000), (1, 51, 11_031), (0, 95, 22_470), (1, 0, 22_495)]),
            (LrnShape.ChannelsFirst(1100, 96, 5, 8), [(0, 0, 3), (7, 40, 31), (1099, 95, 20)]),
        };
        var options = new LrnOptions { Kernel = LrnKernelKind.Vector512 };
        foreach ((LrnShape shape, (int N, int C, int At)[] spoiled) in cases)
        {
            int plane = (int)(shape.ElementCount / (shape.Dims[0] * 96));
            float[] x = TestData.As<float>(TestData.Random(new Random(20261128), shape.ElementCount));
            foreach ((int n, int c, int at) in spoiled)
            {
                x[(((n * 96) + c) * plane) + at] = (at % 2 == 0 ? 3 : -2) * 1e30f;
            }

            foreach (int size in new[] { 4, 5, 31 })
            {
                var p = LrnParameters.PyTorch(size, alpha: 0.5, beta: 0.75, k: 1);
                Assert.True(new LrnPlan(shape, p, streamable: true).StreamsOutputs, "the shape must stream for this test to mean anything");
                float[] expected = new float[x.Length];
                TestData.Forward(x, expected, shape, p, Reference);
                var y = new float[x.Length + 3];
                foreach (int offset in size == 5 ? new[] { 0, 1, 2, 3 } : new[] { 1, 2 })
                {
                    Array.Fill(y, float.NaN);
                    LocalResponseNorm.Forward(x, y.AsSpan(offset, x.Length), shape, p, options);
                    float[] actual = y.AsSpan(offset, x.Length).ToArray();
                    TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(LrnKernelKind.Vector512, p.WindowLength, p.Beta), shape, $"n = {size}, y at offset {offset}");
                    Assert.True(y.AsSpan(0, offset).ToArray().All(float.IsNaN) && y.AsSpan(offset + x.Length).ToArray().All(float.IsNaN), "written outside y");
                }

                float[] oneThread = new float[x.Length];
                LocalResponseNorm.Forward(x, oneThread, shape, p, new LrnOptions { Kernel = LrnKernelKind.Vector512, MaxDegreeOfParallelism = 1 });
                float[] twoThreads = new float[x.Length];
                LocalResponseNorm.Forward(x, twoThreads, shape, p, new LrnOptions { Kernel = LrnKernelKind.Vector512, MaxDegreeOfParallelism = 2 });
                Assert.Equal(oneThread, twoThreads);
            }
        }
    }

    /// <summary>
    /// The channels-first float32 forward in blocks of eight vectors, as the SIMD kernels run it where the one-pass
    /// loops would spill (16 vector registers: AVX2 without AVX-512, or DOTNET_EnableAVX512=0): one pass through a ring
    /// of squares out of place, two passes in place, and block sums in one pass for wider windows (some wider than the
    /// channels). Every window of up to five channels (lo, hi = 0..4), exponents
    /// with and without their own power, planes of 200 positions (three or six blocks and a tail) and 700 (three items),
    /// one channel (the rings outgrow the rest of the scratch),
    /// blocks holding a value outside the float32 range first, in the middle and last among their channels (computed
    /// again), and nothing written outside y. With 32 registers these shapes take the one-pass loops, which must hold
    /// the same bound.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Blocks_of_eight_vectors_match_the_reference_for_every_small_window_and_wide_ones_in_and_out_of_place(LrnKernelKind kernel)
    {
        var shapes = new (LrnShape Shape, (int N, int C, int At)[] Spoiled)[]
        {
            (LrnShape.ChannelsFirst(3, 12, 10, 20), [(0, 0, 5), (1, 6, 70), (2, 11, 190)]),
            (LrnShape.ChannelsFirst(1, 9, 700), [(0, 4, 300)]),
            (LrnShape.ChannelsFirst(2, 1, 200), [(1, 0, 100)]),
        };
        foreach ((LrnShape shape, (int N, int C, int At)[] spoiled) in shapes)
        {
            int channels = shape.Dims[1];
            int plane = (int)(shape.ElementCount / (shape.Dims[0] * channels));
            float[] clean = TestData.As<float>(TestData.Random(new Random(20261127), shape.ElementCount));
            float[] spoilt = (float[])clean.Clone();
            foreach ((int n, int c, int at) in spoiled)
            {
                spoilt[(((n * channels) + c) * plane) + at] = (at % 2 == 0 ? 3 : -2) * 1e30f;
            }

            foreach (float[] x in new[] { clean, spoilt })
            {
                foreach ((int lo, int hi) in SmallWindows.Concat([(3, 3), (5, 2), (0, 8), (15, 15)]))
                {
                    foreach (double beta in new[] { 0.75, 0.5, 0.6 })
                    {
                        var p = LrnParameters.Canonical(lo, hi, 0.3, 1.5, beta);
                        var options = new LrnOptions { Kernel = kernel };
                        float[] expected = new float[x.Length];
                        TestData.Forward(x, expected, shape, p, Reference);
                        long ulps = Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta);
                        string context = $"{kernel} lo = {lo}, hi = {hi}, beta = {beta}{(x == spoilt ? ", spoilt" : "")}";

                        var y = new float[x.Length + 2];
                        Array.Fill(y, float.NaN);
                        LocalResponseNorm.Forward(x, y.AsSpan(1, x.Length), shape, p, options);
                        TestData.AssertUlps(expected, y.AsSpan(1, x.Length).ToArray(), ulps, shape, context);
                        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[^1]), $"{context}: written outside y");

                        float[] inPlace = (float[])x.Clone();
                        LocalResponseNorm.Forward(inPlace, inPlace, shape, p, options);
                        TestData.AssertUlps(expected, inPlace, ulps, shape, context + ", in place");
                    }
                }
            }
        }
    }

    /// <summary>Every window of up to five channels, as (lo, hi).</summary>
    private static IEnumerable<(int Lo, int Hi)> SmallWindows =>
        from lo in Enumerable.Range(0, 5) from hi in Enumerable.Range(0, 5 - lo) select (lo, hi);

    /// <summary>
    /// The float32 backward in blocks of eight vectors, as the SIMD kernels run it where the in-registers backward would
    /// spill (16 vector registers): one pass through three rings (squares, r and t). Every window of up to five
    /// channels, y recomputed and given, exponents with and without their own power, the shapes of the forward's test,
    /// and blocks holding a value outside the float32 range (dx written, then computed again in float64).
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Backward_blocks_of_eight_vectors_match_the_reference_for_every_small_window(LrnKernelKind kernel)
    {
        var shapes = new (LrnShape Shape, (int N, int C, int At)[] Spoiled)[]
        {
            (LrnShape.ChannelsFirst(3, 12, 10, 20), [(0, 0, 5), (1, 6, 70), (2, 11, 190)]),
            (LrnShape.ChannelsFirst(1, 9, 700), [(0, 4, 300)]),
            (LrnShape.ChannelsFirst(2, 1, 200), [(1, 0, 100)]),
        };
        foreach ((LrnShape shape, (int N, int C, int At)[] spoiled) in shapes)
        {
            int channels = shape.Dims[1];
            int plane = (int)(shape.ElementCount / (shape.Dims[0] * channels));
            var random = new Random(20261127);
            float[] clean = TestData.As<float>(TestData.Random(random, shape.ElementCount));
            float[] dy = TestData.As<float>(TestData.Random(random, shape.ElementCount));
            float[] spoilt = (float[])clean.Clone();
            foreach ((int n, int c, int at) in spoiled)
            {
                spoilt[(((n * channels) + c) * plane) + at] = (at % 2 == 0 ? 3 : -2) * 1e30f;
            }

            foreach (float[] x in new[] { clean, spoilt })
            {
                foreach ((int lo, int hi) in SmallWindows)
                {
                    foreach (double beta in new[] { 0.75, 1, 0.6 })
                    {
                        var p = LrnParameters.Canonical(lo, hi, 0.3, 1.5, beta);
                        double[] scale = TestData.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape, p);
                        double tolerance = Tolerance.GradientRelativeFor<float>(kernel, p.WindowLength, p.Beta);
                        float[] y = new float[x.Length];
                        TestData.Forward(x, y, shape, p, Reference);
                        foreach (bool withY in new[] { false, true })
                        {
                            float[] expected = new float[x.Length], actual = new float[x.Length];
                            TestData.Backward(x, withY ? y : null, dy, expected, shape, p, Reference);
                            TestData.Backward(x, withY ? y : null, dy, actual, shape, p, new LrnOptions { Kernel = kernel });
                            TestData.AssertScaled(TestData.ToDouble(expected), TestData.ToDouble(actual), scale, tolerance, shape, $"{kernel} lo = {lo}, hi = {hi}, beta = {beta}, y given: {withY}{(x == spoilt ? ", spoilt" : "")}");
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Wide windows whose squares differ by orders of magnitude: some channels of each position are large and the rest
    /// small (|x| ~ 0.02). A subtracting running sum would take the small squares into a large sum, rounding each to
    /// the large sum's ulp, and keep those errors after the large squares have left the window: with a float64 running
    /// sum at |x| ~ 1e6 (sums ~ 3e13, ulp 2^-8, against s ~ 1) that cost thousands of float32 ulps (checked, when the
    /// SIMD float32 forward used one). Block sums and direct sums only add squares, and must hold the bound at every scale.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Wide_windows_keep_the_bound_when_large_squares_leave_the_window(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 96, 70);
        var p = LrnParameters.Canonical(15, 15, 1, 1, 0.75);
        var random = new Random(20261128);
        foreach (double large in new[] { 1, 1e1, 1e3, 1e6 })
        {
            foreach ((int first, int count) in new[] { (0, 31), (40, 6) })
            {
                double[] values = TestData.Random(random, shape.ElementCount, 0.02);
                for (int n = 0; n < 2; n++)
                {
                    for (int c = first; c < first + count; c++)
                    {
                        for (int i = 0; i < 70; i++)
                        {
                            long at = ((n * 96L) + c) * 70 + i;
                            values[at] = Math.Sign(values[at] + 1e-9) * large * (1 + Math.Abs(values[at]));
                        }
                    }
                }

                float[] x = [.. values.Select(v => (float)v)];
                float[] expected = new float[x.Length], actual = new float[x.Length];
                TestData.Forward(x, expected, shape, p, Reference);
                TestData.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
                TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta), shape, $"{kernel}, |x| ~ {large} in channels {first}..{first + count - 1}");
            }
        }
    }

    /// <summary>
    /// The SIMD float32 forward computes a block in one pass, out of place, for windows of at most two channels on
    /// each side (n = 3, 4, 5) and, channels-first, for windows over five channels, writing y before it has seen every
    /// channel, and computes the block (channels-last: the position) again in float64 when a value lies outside the
    /// float32 range; in place, the range is checked first, or the narrow channels-first windows take two passes.
    /// A huge value (x^2 overflows float32), a tiny one (below the plan's range when k = 0), NaN or infinity in the
    /// first, a middle or the last channel must give the reference's results, and in place the same bits as out of
    /// place; at position 3 alone it spoils one half of a four-vector run (positions 0..63 with AVX-512), whose other
    /// half is computed again in float32, and at 3 and 52 both halves (with AVX2, two runs). Without the second computation, y at x = 1e30 is NaN (x^2 overflows, and the reciprocal square root's
    /// Newton step gives 0 * infinity) where the reference gives about 1e-15.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Blocks_leaving_the_float32_range_are_computed_again_in_place_and_out_of_place(LrnKernelKind kernel)
    {
        const int channels = 48, positions = 70;
        var random = new Random(20261129);
        var options = new LrnOptions { Kernel = kernel };
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, [2, channels, positions]);
            long At(int n, int c, int i) => layout == LrnLayout.ChannelsFirst ? (((n * channels) + c) * positions) + i : (((n * positions) + i) * channels) + c;
            foreach ((int lo, int hi) in new[] { (1, 1), (1, 2), (2, 1), (2, 2), (3, 3), (2, 5), (15, 15) })
            {
                foreach ((float bad, double k) in new[] { (1e30f, 1.0), (1e-30f, 0.0), (float.NaN, 1.0), (float.PositiveInfinity, 1.0) })
                {
                    var p = LrnParameters.Canonical(lo, hi, 0.3, k, 0.75);
                    foreach ((int channel, bool both) in new[] { (0, true), (17, true), (channels - 1, true), (17, false) })
                    {
                        float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                        x[At(1, channel, 3)] = bad;
                        if (both)
                        {
                            x[At(1, channel, 32 + 20)] = -bad;
                        }

                        float[] expected = new float[x.Length], actual = new float[x.Length];
                        TestData.Forward(x, expected, shape, p, Reference);
                        TestData.Forward(x, actual, shape, p, options);
                        string context = $"{kernel} {layout}, window {lo}..{hi}, {bad} in channel {channel} at position 3{(both ? " and 52" : "")}";
                        TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta), shape, context);
                        TestData.Forward(x, x, shape, p, options);
                        Assert.True(x.AsSpan().SequenceEqual(actual), context + ": in place differs from out of place");
                    }
                }
            }
        }
    }

    /// <summary>
    /// For exponents other than 0.5, 0.75 and 1 the float32 forward takes s^-beta from the binomial series near k
    /// where a vector's every s lies within k (1 + 1/16) (AlexNet's parameters and activations of a few units), and
    /// from the log2 / exp2 tables elsewhere: activations up to 10 with a scattering of 300s (a S up to about 9 with
    /// k = 2) mix both within one block, both layouts, windows n = 1 to 7; every result within the float32-arithmetic
    /// bound of the reference, forward and backward (whose float32 arithmetic takes the same power).
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void General_exponents_near_k_and_beyond_it_match_the_reference_forward_and_backward(LrnKernelKind kernel)
    {
        var random = new Random(20261131);
        var options = new LrnOptions { Kernel = kernel };
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, [2, 24, 96]);
            foreach (int n in new[] { 1, 3, 5, 7 })
            {
                foreach (double beta in new[] { 0.3, 0.6, 1.15 })
                {
                    var p = LrnParameters.PyTorch(n, 1e-4, beta, 2);
                    float[] x = [.. TestData.Random(random, shape.ElementCount).Select(v => (float)(v * 10))];
                    for (int i = 0; i < x.Length; i += 97)
                    {
                        x[i] = 300;
                    }

                    float[] expected = new float[x.Length], actual = new float[x.Length];
                    TestData.Forward(x, expected, shape, p, Reference);
                    TestData.Forward(x, actual, shape, p, options);
                    TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, beta), shape, $"{kernel} {layout}, n {n}, beta {beta}");

                    float[] dy = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                    double[] scale = TestData.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape, p);
                    TestData.Backward(x, null, dy, expected, shape, p, Reference);
                    TestData.Backward(x, null, dy, actual, shape, p, options);
                    TestData.AssertScaled(TestData.ToDouble(expected), TestData.ToDouble(actual), scale, Tolerance.GradientRelativeFor<float>(kernel, p.WindowLength, beta), shape, $"backward {kernel} {layout}, n {n}, beta {beta}");
                }
            }
        }
    }

    /// <summary>
    /// The float32 backward computes dx in float32 arithmetic (SIMD kernels, windows up to 16 channels, both layouts;
    /// the case list takes windows 0..1 to 10..10, which reach every float32 loop) only where the block's smallest and
    /// largest nonzero |x| and |dy| keep every product a normal float32, and computes the block again in float64
    /// elsewhere (channels-last: the work item). Each case spoils one position of one block (positions 0..31 with
    /// AVX-512) and, in some, one of the next (32..63): dy = 1e-42 (subnormal) with no other dy in its window, so dy
    /// s^-beta and t are subnormal in float32; dy = 3e38 at x = 4, so dy y overflows; with k = 1e-10, x = 1e-5 and dy =
    /// 0 in one channel, x = 1e-21 and dy y about 1e-41 (subnormal) in the four on each side, so that t = dy y / s
    /// carries the subnormal's error into the normal range, and so does the middle channel's 2 a beta x sum t, its only
    /// term. Each must hold the float32-arithmetic bound against the reference, which it misses by orders of magnitude
    /// (or gives infinity) if the block is not computed again (checked). NaN dy, which float32 arithmetic propagates as
    /// the reference does, is computed again too. Each case runs with y recomputed and with y given (the reference's
    /// forward, whose range is checked as well); in the last, y given is 3e38 at dy = 4 among x = 1e-3, so t = dy y / s
    /// overflows float32 while dx, scaled by 2 a beta x, does not (checked).
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void Backward_blocks_whose_products_leave_the_float32_range_are_computed_again(LrnKernelKind kernel)
    {
        const int channels = 48, positions = 70;
        var random = new Random(20261130);
        var options = new LrnOptions { Kernel = kernel };
        var cases = new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast }.SelectMany(l => new[] { (1, 1), (1, 2), (2, 1), (2, 2), (0, 1), (3, 3), (2, 5), (7, 8), (10, 10) }.Select(w => (l, w.Item1, w.Item2)));
        foreach ((LrnLayout layout, int lo, int hi) in cases)
        {
            LrnShape shape = TestData.Shape(layout, [2, channels, positions]);
            long At(int n, int c, int i) => layout == LrnLayout.ChannelsFirst ? (((n * channels) + c) * positions) + i : (((n * positions) + i) * channels) + c;
            foreach (double beta in new[] { 0.5, 0.6, 0.75, 1 })
            {
                foreach (string spoil in new[] { "subnormal dy", "huge dy", "amplified underflow", "NaN dy", "huge y" })
                {
                    var p = LrnParameters.Canonical(lo, hi, 0.3, spoil == "amplified underflow" ? 1e-10 : 1, beta);
                    float tinyDy = (float)(1e-20 * Math.Pow(1e-10, beta)); // dy y = dy 1e-21 s^-beta, about 1e-41
                    foreach ((int channel, bool both) in new[] { (0, false), (17, true), (channels - 1, false), (20, false) })
                    {
                        float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                        float[] dy = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                        foreach (int position in both ? new[] { 3, 52 } : new[] { 3 })
                        {
                            for (int c = Math.Max(0, channel - 4); c <= Math.Min(channels - 1, channel + 4); c++)
                            {
                                switch (spoil)
                                {
                                    case "subnormal dy": dy[At(1, c, position)] = c == channel ? 1e-42f : 0; break;
                                    case "huge dy": (x[At(1, c, position)], dy[At(1, c, position)]) = c == channel ? (4f, 3e38f) : (x[At(1, c, position)], 0f); break;
                                    case "amplified underflow": (x[At(1, c, position)], dy[At(1, c, position)]) = c == channel ? (1e-5f, 0f) : (1e-21f, tinyDy); break;
                                    case "NaN dy": dy[At(1, c, position)] = c == channel ? float.NaN : dy[At(1, c, position)]; break;
                                    case "huge y": (x[At(1, c, position)], dy[At(1, c, position)]) = (1e-3f, c == channel ? 4 : dy[At(1, c, position)]); break;
                                }
                            }
                        }

                        double[] scale = TestData.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape, p);
                        float[] y = new float[x.Length];
                        TestData.Forward(x, y, shape, p, Reference);
                        if (spoil == "huge y")
                        {
                            y[At(1, channel, 3)] = 3e38f; // not the forward's y, but the backward takes y as given
                        }
                        foreach (float[]? given in new[] { null, y })
                        {
                            float[] expected = new float[x.Length], actual = new float[x.Length];
                            TestData.Backward(x, given, dy, expected, shape, p, Reference);
                            TestData.Backward(x, given, dy, actual, shape, p, options);
                            string context = $"{kernel} {layout}, window {lo}..{hi}, beta {beta}, {spoil} in channel {channel} at position 3{(both ? " and 52" : "")}, y {(given is null ? "recomputed" : "given")}";
                            TestData.AssertScaled(TestData.ToDouble(expected), TestData.ToDouble(actual), scale, Tolerance.GradientRelativeFor<float>(kernel, p.WindowLength, beta), shape, context);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The float32 backward's s^-beta for exponents other than 0.5, 0.75 and 1 (float64 exp2 of -beta log2 s, written out,
    /// for float32 data) keeps the gradient bound for s from about 1e-30 to 1e300, with exponents whose powers underflow
    /// float64 (which go through Math.Pow) and subnormal s among them.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestData.AllKernelData), MemberType = typeof(TestData))]
    public void General_exponents_in_the_float32_backward_hold_the_bound_across_the_float64_range(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 9, 40);
        var random = new Random(20261128);
        int checkedCases = 0;
        foreach (double beta in new[] { 0.1, 0.6, 1.3, 2.5, 4.2 })
        {
            foreach ((double a, double k, int decade) in new[] { (1.0, 1e-30, -15), (1.0, 1e-30, -4), (1.0, 1e-30, 0), (1.0, 1e-30, 3), (1.0, 1e-30, 14), (1e240, 1e-30, 30), (1e-290, 1e-310, -30) })
            {
                var p = LrnParameters.Canonical(2, 2, a, k, beta);
                float[] x = [.. TestData.Random(random, shape.ElementCount).Select(v => (float)(v * Math.Pow(10, decade)))];
                float[] dy = [.. TestData.Random(random, shape.ElementCount).Select(v => (float)v)];
                double[] scale = TestData.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape, p);
                float[] expected = new float[x.Length], actual = new float[x.Length];
                TestData.Backward(x, null, dy, expected, shape, p, Reference);
                if (!expected.All(float.IsFinite))
                {
                    continue; // s^-beta beyond float32's range: nothing to compare but infinities
                }

                checkedCases++;
                TestData.Backward(x, null, dy, actual, shape, p, new LrnOptions { Kernel = kernel });
                TestData.AssertScaled(TestData.ToDouble(expected), TestData.ToDouble(actual), scale, Tolerance.GradientRelativeFor<float>(kernel, p.WindowLength, p.Beta), shape, $"{kernel}, beta {beta}, a {a}, k {k}, x ~ 1e{decade}");
            }
        }

        Assert.True(checkedCases >= 20, $"only {checkedCases} of 35 cases had finite results");
    }

    private static void CompareAll<T>(LrnKernelKind kernel, LrnShape shape, LrnParameters p, int seed, string context)
    {
        var random = new Random(seed);
        T[] x = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        T[] dy = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        var options = new LrnOptions { Kernel = kernel };

        T[] expectedY = new T[x.Length];
        T[] actualY = new T[x.Length];
        TestData.Forward(x, expectedY, shape, p, Reference);
        TestData.Forward(x, actualY, shape, p, options);
        long ulps = typeof(T) == typeof(float) ? Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta) : Tolerance.Float64ForwardUlps(p.WindowLength, p.Beta);
        TestData.AssertUlps(expectedY, actualY, ulps, shape, "forward " + context);

        double[] scale = TestData.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape, p);
        double tolerance = Tolerance.GradientRelativeFor<T>(kernel, p.WindowLength, p.Beta);
        foreach (bool withY in new[] { false, true })
        {
            T[] expectedDx = new T[x.Length];
            T[] actualDx = new T[x.Length];
            TestData.Backward(x, withY ? expectedY : null, dy, expectedDx, shape, p, Reference);
            TestData.Backward(x, withY ? expectedY : null, dy, actualDx, shape, p, options);
            TestData.AssertScaled(TestData.ToDouble(expectedDx), TestData.ToDouble(actualDx), scale, tolerance, shape, $"backward (y given: {withY}) {context}");
        }
    }
}

/// <summary>A fact that needs the AVX-512 streaming stores (<see cref="Streams.Supported(Vector512{float})"/>); elsewhere it is reported as skipped.</summary>
internal sealed class StreamsFactAttribute : FactAttribute
{
    public StreamsFactAttribute()
    {
        if (!Streams.Supported(Vector512<float>.Zero))
        {
            Skip = "needs AVX-512 (streaming stores of whole lines, vpermt2ps)";
        }
    }
}
