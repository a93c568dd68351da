namespace Lrn.Tests;

/// <summary>
/// The within-channel block-sum kernel against the within-channel reference over named edge shapes (1, 2 and 3 spatial
/// axes) and seeded random shapes, both layouts, the three conventions, float and double, forward and backward; bit
/// identity across thread counts; in place; non-finite and huge inputs. Bounds come from <see cref="Tolerance"/>, with
/// the window's largest number of terms as its length.
/// </summary>
public class WithinKernelTests
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };

    /// <summary>Kernel kinds that run the block-sum kernel within channel (every kind but the reference; Auto included).</summary>
    public static readonly LrnKernelKind[] FastKernels = [LrnKernelKind.Scalar, LrnKernelKind.Auto];

    /// <summary>
    /// Shapes named for the edge they exercise, given channels-first as (N, C, spatial...); the channels-last twin moves
    /// C to the end. The kernel takes 16 channels per work item and sums up to 64 lines per tile: runs of whole rows of
    /// several outer indices (channels_between_vector_and_tile), chunks of one long row with a short last chunk
    /// (wide_rows_past_a_line_tile: 9 x 16 = 144 lanes), or lines gathered one by one when an item has fewer than 8
    /// channels.
    /// </summary>
    public static readonly (string Name, int[] Dims)[] EdgeShapes =
    [
        ("plane_of_1", [2, 3, 1, 1]),
        ("plane_smaller_than_n", [2, 3, 2, 2]),
        ("one_row", [1, 2, 1, 9]),
        ("one_column", [1, 2, 9, 1]),
        ("odd_plane", [2, 3, 7, 5]),
        ("even_plane", [1, 2, 8, 6]),
        ("lines_one_past_a_tile", [1, 2, 33, 3]),
        ("line_longer_than_a_tile", [1, 1, 3, 70]),
        ("spatial_1d", [2, 3, 11]),
        ("spatial_1d_of_1", [1, 4, 1]),
        ("spatial_3d", [1, 2, 3, 4, 5]),
        ("spatial_3d_thin", [2, 1, 1, 1, 6]),
        ("spatial_4d", [1, 2, 2, 3, 2, 3]),
        ("channels_one_past_a_tile", [1, 17, 3, 4]),
        ("channels_between_vector_and_tile", [2, 10, 7, 5]),
        ("wide_rows_past_a_line_tile", [1, 16, 3, 9]),
        ("alexnet_norm1_slice", [1, 96, 6, 6]),
        ("empty_batch", [0, 2, 3, 3]),
        ("empty_plane", [2, 2, 0, 3]),
    ];

    private static readonly WithinOracle[] Conventions =
    [
        new("caffe", 3, 2, 0.75, 1),
        new("caffe", 5, 1.5, 0.6, 1),
        new("cudnn", 1, 0.5, 1, 2),
        new("cudnn", 7, 3, 0.75, 1.5),
        new("onednn", 3, 1, 0.5, 1),
        new("onednn", 5, 4, 1.3, 0.5),
    ];

    public static TheoryData<LrnKernelKind, string, LrnLayout, bool> EdgeCases()
    {
        var data = new TheoryData<LrnKernelKind, string, LrnLayout, bool>();
        foreach (LrnKernelKind kernel in FastKernels)
        {
            foreach ((string name, _) in EdgeShapes)
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
    public void The_block_sum_kernel_matches_the_reference_on_edge_shapes(LrnKernelKind kernel, string shapeName, LrnLayout layout, bool useDouble)
    {
        int[] dims = Array.Find(EdgeShapes, s => s.Name == shapeName).Dims;
        LrnShape shape = TestData.Shape(layout, dims);
        foreach (WithinOracle convention in Conventions)
        {
            LrnParameters p = convention.Create();
            int seed = StableSeed.Of(shapeName, layout, convention.Framework, convention.Size);
            string context = $"{kernel} {shapeName} {p.Describe()} seed {seed}";
            if (useDouble)
            {
                CompareAll<double>(kernel, shape, convention, seed, context);
            }
            else
            {
                CompareAll<float>(kernel, shape, convention, seed, context);
            }
        }
    }

    [Theory]
    [InlineData(20261126)]
    [InlineData(11)]
    public void The_block_sum_kernel_matches_the_reference_on_seeded_random_shapes(int seed)
    {
        var random = new Random(seed);
        string[] frameworks = ["caffe", "cudnn", "onednn"];
        for (int trial = 0; trial < 30; trial++)
        {
            int rank = random.Next(3, 6);
            int[] dims = new int[rank];
            dims[0] = random.Next(1, 3);
            dims[1] = random.Next(1, 20);
            for (int d = 2; d < rank; d++)
            {
                dims[d] = random.Next(1, rank == 3 ? 60 : rank == 4 ? 14 : 6);
            }

            LrnLayout layout = random.Next(2) == 0 ? LrnLayout.ChannelsFirst : LrnLayout.ChannelsLast;
            LrnShape shape = TestData.Shape(layout, dims);
            int n = (2 * random.Next(0, 6)) + 1;
            if (frameworks[trial % 3] == "cudnn" && n > 15)
            {
                n = 15;
            }

            var convention = new WithinOracle(frameworks[trial % 3], n, 4 * random.NextDouble(), 2 * random.NextDouble(), 0.5 + random.NextDouble());
            string context = $"trial {trial} of seed {seed}: {convention.Create().Describe()} on {shape}";
            if (random.Next(2) == 0)
            {
                CompareAll<float>(LrnKernelKind.Scalar, shape, convention, seed + trial, context);
            }
            else
            {
                CompareAll<double>(LrnKernelKind.Scalar, shape, convention, seed + trial, context);
            }
        }
    }

    [Theory]
    [InlineData(LrnLayout.ChannelsFirst)]
    [InlineData(LrnLayout.ChannelsLast)]
    public void Results_are_bit_identical_for_any_thread_count(LrnLayout layout)
    {
        LrnShape shape = TestData.Shape(layout, [3, 21, 9, 7]);
        LrnParameters p = LrnParameters.OneDnnWithinChannel(5, 2, 0.75, 1);
        float[] x = TestData.As<float>(TestData.Random(new Random(5), shape.ElementCount));
        float[] dy = TestData.As<float>(TestData.Random(new Random(6), shape.ElementCount));
        float[]? firstY = null;
        float[]? firstDx = null;
        foreach (int threads in new[] { 1, 2, 3, 8, -1 })
        {
            var options = new LrnOptions { Kernel = LrnKernelKind.Scalar, MaxDegreeOfParallelism = threads };
            var y = new float[x.Length];
            var dx = new float[x.Length];
            LocalResponseNorm.Forward(x, y, shape, p, options);
            LocalResponseNorm.Backward(x, dy, dx, shape, p, options);
            firstY ??= y;
            firstDx ??= dx;
            Assert.Equal(firstY, y);
            Assert.Equal(firstDx, dx);
        }
    }

    [Theory]
    [InlineData(LrnKernelKind.Reference, LrnLayout.ChannelsFirst)]
    [InlineData(LrnKernelKind.Reference, LrnLayout.ChannelsLast)]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsFirst)]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsLast)]
    public void The_forward_runs_in_place(LrnKernelKind kernel, LrnLayout layout)
    {
        LrnShape shape = TestData.Shape(layout, [2, 18, 5, 4]);
        LrnParameters p = LrnParameters.CaffeWithinChannel(3, 2, 0.75);
        var options = new LrnOptions { Kernel = kernel };
        double[] x = TestData.Random(new Random(9), shape.ElementCount);
        var expected = new double[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, options);
        LocalResponseNorm.Forward(x, x, shape, p, options);
        Assert.Equal(expected, x);
    }

    [Theory]
    [InlineData(LrnLayout.ChannelsFirst)]
    [InlineData(LrnLayout.ChannelsLast)]
    public void Huge_float32_values_do_not_overflow_in_their_squares(LrnLayout layout)
    {
        // x^2 overflows float32 above ~1.8e19 (TensorFlow #46996); squared in float64 it is exact, and y stays finite.
        LrnShape shape = TestData.Shape(layout, [1, 2, 4, 4]);
        LrnParameters p = LrnParameters.CuDnnWithinChannel(3, 1, 0.75, 2);
        float[] x = TestData.As<float>(TestData.Random(new Random(3), shape.ElementCount, scale: 1));
        x[3] = 3e38f;
        x[7] = -1e20f;
        x[20] = 2e19f;
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, Reference);
        LocalResponseNorm.Forward(x, actual, shape, p, new LrnOptions { Kernel = LrnKernelKind.Scalar });
        Assert.All(actual, v => Assert.True(float.IsFinite(v)));
        TestData.AssertUlps(expected, actual, Tolerance.Float32ForwardUlps, shape, "huge values");
        Assert.True(Math.Abs(actual[3]) > 0, "the huge element itself is normalized, not flushed to 0");
    }

    [Theory]
    [InlineData(LrnLayout.ChannelsFirst)]
    [InlineData(LrnLayout.ChannelsLast)]
    public void NaN_and_infinity_reach_exactly_the_windows_that_hold_them(LrnLayout layout)
    {
        // One NaN and one infinity in channel 0 of a 7 x 7 plane, n = 3: the block sums never carry a value outside its
        // window, so NaN and 0 appear exactly where the float64 reference puts them.
        LrnShape shape = TestData.Shape(layout, [1, 2, 7, 7]);
        LrnParameters p = LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 1);
        double[] x = TestData.Random(new Random(4), shape.ElementCount);
        x[ConventionCase.Index(shape, 0, 0, 8)] = double.NaN;          // (1, 1)
        x[ConventionCase.Index(shape, 0, 0, 40)] = double.PositiveInfinity; // (5, 5)
        double[] dy = TestData.Random(new Random(5), shape.ElementCount);
        var expected = new double[x.Length];
        var actual = new double[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, Reference);
        LocalResponseNorm.Forward(x, actual, shape, p, new LrnOptions { Kernel = LrnKernelKind.Scalar });
        TestData.AssertUlps(expected, actual, Tolerance.Float64ForwardUlps(9, p.Beta), shape, "non-finite forward");

        // The NaN's 3 x 3 window is NaN, and so is the infinity itself (inf * inf^-beta = inf * 0); the infinity's other
        // neighbours get s = inf and y = 0. Channel 1 is untouched by either.
        int nans = 0;
        for (int q = 0; q < 49; q++)
        {
            bool nearNaN = Math.Abs((q / 7) - 1) <= 1 && Math.Abs((q % 7) - 1) <= 1;
            bool nearInfinity = Math.Abs((q / 7) - 5) <= 1 && Math.Abs((q % 7) - 5) <= 1;
            double yq = actual[ConventionCase.Index(shape, 0, 0, q)];
            Assert.Equal(nearNaN || q == 40, double.IsNaN(yq));
            Assert.True(!nearInfinity || q == 40 || yq == 0, $"y at {q} beside the infinity should be 0, got {yq}");
            nans += double.IsNaN(actual[ConventionCase.Index(shape, 0, 1, q)]) ? 1 : 0;
        }

        Assert.Equal(0, nans);

        var expectedDx = new double[x.Length];
        var actualDx = new double[x.Length];
        LocalResponseNorm.Backward(x, dy, expectedDx, shape, p, Reference);
        LocalResponseNorm.Backward(x, dy, actualDx, shape, p, new LrnOptions { Kernel = LrnKernelKind.Scalar });
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(double.IsNaN(expectedDx[i]), double.IsNaN(actualDx[i]));
            Assert.Equal(double.IsFinite(expectedDx[i]), double.IsFinite(actualDx[i]));
        }
    }

    private static void CompareAll<T>(LrnKernelKind kernel, LrnShape shape, WithinOracle convention, int seed, string context)
    {
        LrnParameters p = convention.Create();
        var random = new Random(seed);
        T[] x = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        T[] dy = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        var options = new LrnOptions { Kernel = kernel };
        int terms = shape.ElementCount == 0 ? 1 : WithinOracle.MaxTerms(shape, p.Size);

        T[] expectedY = new T[x.Length];
        T[] actualY = new T[x.Length];
        TestData.Forward(x, expectedY, shape, p, Reference);
        TestData.Forward(x, actualY, shape, p, options);
        long ulps = typeof(T) == typeof(float) ? Tolerance.Float32ForwardUlps : Tolerance.Float64ForwardUlps(terms, p.Beta);
        TestData.AssertUlps(expectedY, actualY, ulps, shape, "forward " + context);

        // The reference against the independent oracle, in the same bound (float64 only: the oracle does not round).
        if (typeof(T) == typeof(double) && shape.ElementCount <= 4096)
        {
            TestData.AssertUlps(convention.Forward(TestData.ToDouble(x), shape), TestData.ToDouble(expectedY), Tolerance.Float64ForwardUlps(terms, p.Beta), shape, "oracle " + context);
        }

        double[] scale = convention.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy), shape);
        double tolerance = Tolerance.GradientRelative<T>(terms);
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
