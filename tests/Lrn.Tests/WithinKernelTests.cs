namespace Lrn.Tests;

/// <summary>
/// The within-channel fast kernels (the plane kernel for channels-first 2-D windows up to 16 per axis, the block-sum
/// kernel otherwise) against the within-channel reference over named edge shapes (1, 2 and 3 spatial
/// axes) and seeded random shapes, both layouts, the three conventions, float and double, forward and backward; bit
/// identity across thread counts; in place; non-finite and huge inputs. Bounds come from <see cref="Tolerance"/>, with
/// the window's largest number of terms as its length.
/// </summary>
public class WithinKernelTests
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };

    /// <summary>
    /// Kernel kinds that run a fast kernel within channel (every kind but the reference; Auto included). The SIMD kinds
    /// compute float32 data in float32 arithmetic where <see cref="Lrn.Within.WithinPlaneKernel"/> runs; scalar in float64.
    /// </summary>
    public static readonly LrnKernelKind[] FastKernels = [.. TestData.FastKernels, LrnKernelKind.Auto];

    /// <summary>
    /// The float32 forward bound for a kernel kind within channel, with <paramref name="terms"/> squares in the largest
    /// window: <see cref="Tolerance.Float32ArithmeticUlps"/> of n^d terms for the SIMD kinds (the plane kernel's float32
    /// arithmetic), <see cref="Tolerance.Float32ForwardUlps"/> for the scalar kind (float64 arithmetic).
    /// </summary>
    public static long Float32Ulps(LrnKernelKind kernel, int terms, double beta) =>
        Tolerance.Float32ForwardUlpsFor(Resolved(kernel), terms, beta);

    /// <summary>The kind Auto stands for on this machine.</summary>
    public static LrnKernelKind Resolved(LrnKernelKind kernel) =>
        Enum.Parse<LrnKernelKind>(LocalResponseNorm.KernelName(new LrnOptions { Kernel = kernel }), ignoreCase: true);

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
        ("row_of_one_float32_vector", [1, 2, 5, 16]),
        ("row_one_past_a_float32_vector", [2, 2, 4, 17]),
        ("row_one_short_of_two_float32_vectors", [1, 3, 6, 31]),
        ("row_of_one_float64_vector", [1, 2, 9, 8]),
        ("row_one_past_a_float64_vector", [1, 2, 3, 9]),
        ("tall_plane_of_wide_rows", [1, 2, 40, 23]),
        ("alexnet_norm1_plane", [1, 2, 55, 55]),
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
        new("cudnn", 15, 2, 0.5, 1),
        new("caffe", 17, 1, 1, 1),
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

    public static TheoryData<LrnKernelKind> Kernels() => [.. FastKernels];

    /// <summary>
    /// Exponents other than 0.5, 0.75 and 1 in the plane kernel's float32 arithmetic: near k (LRN's usual case, a S far
    /// below k) from the binomial series, as across channels, and vectors with any s beyond k (1 + 1/16) (every 97th
    /// value 30x larger) from the float64 power; both within the float32 bound, on planes of 23 x 37 (a partial last
    /// vector in each row).
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void General_exponents_near_k_and_beyond_it_hold_the_float32_bound(LrnKernelKind kernel)
    {
        LrnShape shape = LrnShape.ChannelsFirst(2, 3, 23, 37);
        foreach (double beta in new[] { 0.6, 0.3, 1.15 })
        {
            LrnParameters p = LrnParameters.OneDnnWithinChannel(5, 1e-2, beta, 2);
            var random = new Random(StableSeed.Of(kernel, beta));
            float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
            for (int i = 0; i < x.Length; i += 97)
            {
                x[i] *= 30;
            }

            float[] expected = new float[x.Length];
            float[] actual = new float[x.Length];
            TestData.Forward(x, expected, shape, p, Reference);
            TestData.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
            TestData.AssertUlps(expected, actual, Float32Ulps(kernel, 25, beta), shape, $"{kernel} beta {beta}");
        }
    }

    /// <summary>
    /// Exponents above <see cref="Lrn.Kernels.LrnPlan.Float32MaxBeta"/> keep float32 planes out of float32 arithmetic,
    /// as across channels: s within the plane's float32 range (2^-100 to 2^101) raised to -1.5 or -2 leaves float32's
    /// range (s = 2^-90 with k = 0 gives 2^135, s = 2^90 with k = 1 gives 2^-180), which the float64 reference keeps
    /// finite and nonzero (found in review: infinity and 0 from the plane kernel's float32 power).
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void Exponents_above_the_float32_limit_keep_planes_out_of_float32_arithmetic(LrnKernelKind kernel)
    {
        LrnShape shape = LrnShape.ChannelsFirst(1, 2, 4, 16);
        foreach ((double k, double beta, double value) in new[] { (0.0, 1.3, Math.ScaleB(1, -50)), (0.0, 1.5, Math.ScaleB(1, -45)), (1.0, 2.0, Math.ScaleB(1, 45)), (1.0, 1.5, 1.1 * Math.ScaleB(1, 47)) })
        {
            LrnParameters p = LrnParameters.OneDnnWithinChannel(1, 1, beta, k);
            float[] x = Enumerable.Repeat((float)value, (int)shape.ElementCount).ToArray();
            float[] expected = new float[x.Length];
            float[] actual = new float[x.Length];
            TestData.Forward(x, expected, shape, p, Reference);
            TestData.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
            Assert.True(float.IsFinite(expected[0]) && expected[0] != 0, $"the reference's {expected[0]} is not finite and nonzero: the case tests nothing");
            TestData.AssertUlps(expected, actual, Float32Ulps(kernel, 1, beta), shape, $"{kernel} k {k} beta {beta} x {value}");
        }
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
                dims[d] = random.Next(1, rank == 3 ? 60 : rank == 4 ? 40 : 6);
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
            bool useDouble = random.Next(2) != 0;
            foreach (LrnKernelKind kernel in new[] { LrnKernelKind.Scalar, LrnKernelKind.Auto })
            {
                if (useDouble)
                {
                    CompareAll<double>(kernel, shape, convention, seed + trial, kernel + " " + context);
                }
                else
                {
                    CompareAll<float>(kernel, shape, convention, seed + trial, kernel + " " + context);
                }
            }
        }
    }

    [Theory]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsFirst, 7)]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsLast, 7)]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsFirst, 37)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsFirst, 7)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsFirst, 37)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsLast, 37)]
    public void Results_are_bit_identical_for_any_thread_count(LrnKernelKind kernel, LrnLayout layout, int width)
    {
        LrnShape shape = TestData.Shape(layout, [3, 21, 9, width]);
        LrnParameters p = LrnParameters.OneDnnWithinChannel(5, 2, 0.75, 1);
        float[] x = TestData.As<float>(TestData.Random(new Random(5), shape.ElementCount));
        float[] dy = TestData.As<float>(TestData.Random(new Random(6), shape.ElementCount));
        float[]? firstY = null;
        float[]? firstDx = null;
        foreach (int threads in new[] { 1, 2, 3, 8, -1 })
        {
            var options = new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = threads };
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
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsFirst)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsLast)]
    public void The_forward_runs_in_place(LrnKernelKind kernel, LrnLayout layout)
    {
        LrnParameters p = LrnParameters.CaffeWithinChannel(3, 2, 0.75);
        var options = new LrnOptions { Kernel = kernel };

        // Rows of 4 (narrower than a vector), 9 (one float64 vector and one element), 37 (float32 vectors whose last
        // one overlaps the one before: its x must be read before that one's y is written).
        foreach (int width in new[] { 4, 9, 37 })
        {
            LrnShape shape = TestData.Shape(layout, [2, 18, 5, width]);
            double[] x = TestData.Random(new Random(9), shape.ElementCount);
            var expected = new double[x.Length];
            LocalResponseNorm.Forward(x, expected, shape, p, options);
            LocalResponseNorm.Forward(x, x, shape, p, options);
            Assert.Equal(expected, x);

            float[] xf = TestData.As<float>(TestData.Random(new Random(10), shape.ElementCount));
            var expectedF = new float[xf.Length];
            LocalResponseNorm.Forward(xf, expectedF, shape, p, options);
            LocalResponseNorm.Forward(xf, xf, shape, p, options);
            Assert.Equal(expectedF, xf);
        }
    }

    [Theory]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsFirst, 4)]
    [InlineData(LrnKernelKind.Scalar, LrnLayout.ChannelsLast, 4)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsFirst, 4)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsFirst, 20)]
    [InlineData(LrnKernelKind.Auto, LrnLayout.ChannelsLast, 20)]
    public void Huge_float32_values_do_not_overflow_in_their_squares(LrnKernelKind kernel, LrnLayout layout, int width)
    {
        // x^2 overflows float32 above ~1.8e19 (TensorFlow #46996); squared in float64 it is exact, and y stays finite.
        // Planes of 20 columns under a SIMD kind run the plane kernel: the plane holding the huge values is out of its
        // float32 range and is computed in float64 (1 ulp); the other plane is computed in float32.
        LrnShape shape = TestData.Shape(layout, [1, 2, 4, width]);
        LrnParameters p = LrnParameters.CuDnnWithinChannel(3, 1, 0.75, 2);
        float[] x = TestData.As<float>(TestData.Random(new Random(3), shape.ElementCount, scale: 1));
        x[3] = 3e38f;
        x[7] = -1e20f;
        x[20] = 2e19f;
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, Reference);
        LocalResponseNorm.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
        Assert.All(actual, v => Assert.True(float.IsFinite(v)));
        TestData.AssertUlps(expected, actual, Float32Ulps(kernel, 9, p.Beta), shape, "huge values");
        if (layout == LrnLayout.ChannelsFirst)
        {
            int plane = 4 * width;
            LrnShape first = TestData.Shape(layout, [1, 1, 4, width]);
            TestData.AssertUlps(expected[..plane], actual[..plane], Tolerance.Float32ForwardUlps, first, "the plane with huge values, in float64");
        }

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

    [Theory]
    [InlineData(LrnKernelKind.Scalar)]
    [InlineData(LrnKernelKind.Auto)]
    public void Float32_NaN_and_infinity_reach_exactly_the_windows_the_reference_puts_them_in(LrnKernelKind kernel)
    {
        // Channel 0 holds a NaN and an infinity: out of the float32 range, so its plane is computed in float64 and its
        // NaNs, infinities and zeros are the reference's. Channel 1 is finite: float32 arithmetic under a SIMD kind.
        LrnShape shape = TestData.Shape(LrnLayout.ChannelsFirst, [1, 2, 7, 20]);
        LrnParameters p = LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 1);
        float[] x = TestData.As<float>(TestData.Random(new Random(4), shape.ElementCount));
        x[20 + 1] = float.NaN;
        x[(5 * 20) + 15] = float.PositiveInfinity;
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, Reference);
        LocalResponseNorm.Forward(x, actual, shape, p, new LrnOptions { Kernel = kernel });
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(float.IsNaN(expected[i]), float.IsNaN(actual[i]));
            Assert.Equal(float.IsFinite(expected[i]), float.IsFinite(actual[i]));
            Assert.True(!float.IsFinite(expected[i]) || Ulps.Between(expected[i], actual[i]) <= (i < 140 ? Tolerance.Float32ForwardUlps : Float32Ulps(kernel, 9, p.Beta)), $"y at {i}: {expected[i]} against {actual[i]}");
        }

        Assert.Equal(10, expected[..140].Count(float.IsNaN));
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
        long ulps = typeof(T) == typeof(float) ? Float32Ulps(kernel, terms, p.Beta) : Tolerance.Float64ForwardUlps(terms, p.Beta);
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

    [Fact]
    public void The_kernel_name_tells_the_plane_kernel_from_the_block_sums()
    {
        var p = LrnParameters.CaffeWithinChannel(5);
        var scalar = new LrnOptions { Kernel = LrnKernelKind.Scalar };
        // The plane kernel runs at the widest accelerated width under the scalar kind (WithinPlaneKernel); without SIMD
        // the block sums take the plane.
        string plane = System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "within-plane" : "within-block-sum";
        Assert.Equal(plane, LocalResponseNorm.KernelName(LrnShape.ChannelsFirst(2, 3, 9, 9), p, scalar));
        Assert.Equal("within-block-sum", LocalResponseNorm.KernelName(LrnShape.ChannelsLast(2, 9, 9, 3), p, scalar));
        Assert.Equal("within-block-sum", LocalResponseNorm.KernelName(LrnShape.ChannelsFirst(2, 3, 9, 9, 9), p, scalar));
        Assert.Equal("within-reference", LocalResponseNorm.KernelName(LrnShape.ChannelsFirst(2, 3, 9, 9), p, new LrnOptions { Kernel = LrnKernelKind.Reference }));
        Assert.Equal("scalar", LocalResponseNorm.KernelName(LrnShape.ChannelsFirst(2, 3, 9, 9), LrnParameters.PyTorch(5), scalar));
        foreach (LrnKernelKind kind in TestData.FastKernels.Where(k => k != LrnKernelKind.Scalar))
        {
            // Each SIMD kind runs the plane kernel at its own width.
            Assert.Equal("within-plane", LocalResponseNorm.KernelName(LrnShape.ChannelsFirst(2, 3, 9, 9), p, new LrnOptions { Kernel = kind }));
        }
    }
}
