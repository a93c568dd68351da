namespace Lrn.Tests;

/// <summary>
/// Within-channel LRN on cases small enough to work out by hand (SPEC.md section 3): a 3 x 3 plane with n = 3, borders
/// included, under Caffe (k fixed at 1), cuDNN (k) and oneDNN (alpha/n^d), on 1, 2 and 3 spatial axes; and the parameters'
/// factories, defaults, coefficients, names and equality.
/// </summary>
public class WithinByHandTests
{
    public static TheoryData<LrnKernelKind, LrnLayout> KernelsAndLayouts()
    {
        var data = new TheoryData<LrnKernelKind, LrnLayout>();
        foreach (LrnKernelKind kernel in new[] { LrnKernelKind.Reference, LrnKernelKind.Scalar, LrnKernelKind.Auto })
        {
            data.Add(kernel, LrnLayout.ChannelsFirst);
            data.Add(kernel, LrnLayout.ChannelsLast);
        }

        return data;
    }

    // x = 1..9 on a 3 x 3 plane. With n = 3 each window is the 3 x 3 box around p, clipped at the borders:
    //   1 2 3     sums of x^2:   46  91  74      (corner 1+4+16+25, edge 1+4+9+16+25+36, ...)
    //   4 5 6                   159 285 219
    //   7 8 9                   154 271 206
    private static readonly double[] Plane = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    private static readonly double[] PlaneSums = [46, 91, 74, 159, 285, 219, 154, 271, 206];

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void A_3x3_plane_with_n_3_gives_the_hand_derived_values_caffe_with_k_1_cudnn_and_onednn_with_k(LrnKernelKind kernel, LrnLayout layout)
    {
        LrnShape shape = TestData.Shape(layout, [1, 1, 3, 3]);
        var options = new LrnOptions { Kernel = kernel };

        // alpha = 9 and n^2 = 9, so a = 1; beta = 1, so y = x / s.
        // Caffe: s = 1 + sum (its own engine has no k). cuDNN with k = 2: s = 2 + sum. oneDNN on 2 spatial axes: alpha/n^2, the same.
        AssertForward([1.0 / 47, 2.0 / 92, 3.0 / 75, 4.0 / 160, 5.0 / 286, 6.0 / 220, 7.0 / 155, 8.0 / 272, 9.0 / 207], Plane, shape, LrnParameters.CaffeWithinChannel(3, alpha: 9, beta: 1), options);
        AssertForward([1.0 / 48, 2.0 / 93, 3.0 / 76, 4.0 / 161, 5.0 / 287, 6.0 / 221, 7.0 / 156, 8.0 / 273, 9.0 / 208], Plane, shape, LrnParameters.CuDnnWithinChannel(3, lrnAlpha: 9, lrnBeta: 1, lrnK: 2), options);
        AssertForward([1.0 / 48, 2.0 / 93, 3.0 / 76, 4.0 / 161, 5.0 / 287, 6.0 / 221, 7.0 / 156, 8.0 / 273, 9.0 / 208], Plane, shape, LrnParameters.OneDnnWithinChannel(3, alpha: 9, beta: 1, k: 2), options);
    }

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void On_3_spatial_axes_onednn_divides_by_n_cubed_and_caffe_and_cudnn_by_n_squared(LrnKernelKind kernel, LrnLayout layout)
    {
        // The same plane as a 1 x 3 x 3 volume: a depth of 1 adds no terms, so the sums are the plane's.
        LrnShape shape = TestData.Shape(layout, [1, 1, 1, 3, 3]);
        var options = new LrnOptions { Kernel = kernel };

        // oneDNN: a = 9 / 27 = 1/3, s = 2 + sum/3, y = 3x / (6 + sum).
        double[] onednn = new double[9];
        for (int i = 0; i < 9; i++)
        {
            onednn[i] = 3 * Plane[i] / (6 + PlaneSums[i]);
        }

        Assert.Equal([3.0 / 52, 6.0 / 97, 9.0 / 80, 12.0 / 165, 15.0 / 291, 18.0 / 225, 21.0 / 160, 24.0 / 277, 27.0 / 212], onednn);
        AssertForward(onednn, Plane, shape, LrnParameters.OneDnnWithinChannel(3, alpha: 9, beta: 1, k: 2), options);
        AssertForward([1.0 / 47, 2.0 / 92, 3.0 / 75, 4.0 / 160, 5.0 / 286, 6.0 / 220, 7.0 / 155, 8.0 / 272, 9.0 / 207], Plane, shape, LrnParameters.CaffeWithinChannel(3, alpha: 9, beta: 1), options);
        AssertForward([1.0 / 48, 2.0 / 93, 3.0 / 76, 4.0 / 161, 5.0 / 287, 6.0 / 221, 7.0 / 156, 8.0 / 273, 9.0 / 208], Plane, shape, LrnParameters.CuDnnWithinChannel(3, lrnAlpha: 9, lrnBeta: 1, lrnK: 2), options);
    }

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void On_1_spatial_axis_onednn_divides_by_n_and_caffe_and_cudnn_by_n_squared(LrnKernelKind kernel, LrnLayout layout)
    {
        // x = 1, 2, 3 with n = 3: sums of x^2 are 1+4 = 5, 1+4+9 = 14, 4+9 = 13. alpha = 3, beta = 1.
        LrnShape shape = TestData.Shape(layout, [1, 1, 3]);
        var options = new LrnOptions { Kernel = kernel };
        double[] x = [1, 2, 3];

        // oneDNN: a = 3/3 = 1, k = 2: s = 7, 16, 15.
        AssertForward([1.0 / 7, 2.0 / 16, 3.0 / 15], x, shape, LrnParameters.OneDnnWithinChannel(3, alpha: 3, beta: 1, k: 2), options);

        // Caffe: a = 3/9, k = 1: s = 1 + sum/3, y = 3x / (3 + sum). (Caffe itself sees this as an N x C x 1 x 3 blob: the same.)
        AssertForward([3.0 / 8, 6.0 / 17, 9.0 / 16], x, shape, LrnParameters.CaffeWithinChannel(3, alpha: 3, beta: 1), options);

        // cuDNN: a = 3/9, k = 2: y = 3x / (6 + sum).
        AssertForward([3.0 / 11, 6.0 / 20, 9.0 / 19], x, shape, LrnParameters.CuDnnWithinChannel(3, lrnAlpha: 3, lrnBeta: 1, lrnK: 2), options);
    }

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void Channels_are_normalized_separately(LrnKernelKind kernel, LrnLayout layout)
    {
        // Channel 0 is the 1..9 plane, channel 1 all ones: its window sums count the positions in each window,
        // 4 at a corner, 6 on an edge, 9 in the centre. Caffe with a = 1: s = 1 + sum.
        LrnShape shape = TestData.Shape(layout, [1, 2, 3, 3]);
        var x = new double[18];
        var expected = new double[18];
        double[] counts = [4, 6, 4, 6, 9, 6, 4, 6, 4];
        for (int p = 0; p < 9; p++)
        {
            x[ConventionCase.Index(shape, 0, 0, p)] = Plane[p];
            x[ConventionCase.Index(shape, 0, 1, p)] = 1;
            expected[ConventionCase.Index(shape, 0, 0, p)] = Plane[p] / (1 + PlaneSums[p]);
            expected[ConventionCase.Index(shape, 0, 1, p)] = 1 / (1 + counts[p]);
        }

        AssertForward(expected, x, shape, LrnParameters.CaffeWithinChannel(3, alpha: 9, beta: 1), new LrnOptions { Kernel = kernel });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(99)]
    [InlineData(int.MaxValue)]
    public void A_window_larger_than_the_plane_sums_the_whole_plane(int n)
    {
        // Every window covers all nine positions: sum = 285. alpha = n^2 gives a = 1.
        LrnShape shape = LrnShape.ChannelsFirst(1, 1, 3, 3);
        double[] expected = Array.ConvertAll(Plane, v => v / 286);
        foreach (LrnKernelKind kernel in new[] { LrnKernelKind.Reference, LrnKernelKind.Scalar })
        {
            AssertForward(expected, Plane, shape, LrnParameters.CaffeWithinChannel(n, alpha: (double)n * n, beta: 1), new LrnOptions { Kernel = kernel });
        }
    }

    [Fact]
    public void The_factories_carry_each_frameworks_defaults_and_rules()
    {
        LrnParameters caffe = LrnParameters.CaffeWithinChannel();
        Assert.Equal((LrnConvention.Caffe, LrnRegion.WithinChannel, 5, 1.0, 0.75, 1.0, 2, 2), (caffe.Convention, caffe.Region, caffe.Size, caffe.Alpha, caffe.Beta, caffe.K, caffe.Lo, caffe.Hi));
        Assert.Equal(1.0 / 25, caffe.A);
        Assert.Equal("caffe-within", caffe.Name);

        // cuDNN's divisive normalization takes its parameters from the LRN descriptor, whose defaults are 5, 1e-4, 0.75, 2.
        LrnParameters cudnn = LrnParameters.CuDnnWithinChannel();
        Assert.Equal((LrnConvention.CuDnn, LrnRegion.WithinChannel, 5, 1e-4, 0.75, 2.0), (cudnn.Convention, cudnn.Region, cudnn.Size, cudnn.Alpha, cudnn.Beta, cudnn.K));
        Assert.Equal(1e-4 / 25, cudnn.A);
        Assert.Equal("cudnn-within", cudnn.Name);

        LrnParameters onednn = LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 1);
        Assert.Equal("onednn-within", onednn.Name);
        Assert.Equal(1.0 / 3, onednn.Coefficient(1));
        Assert.Equal(1.0 / 9, onednn.Coefficient(2));
        Assert.Equal(1.0 / 27, onednn.Coefficient(3));
        Assert.Equal(1.0 / 81, onednn.Coefficient(4));
        Assert.Equal(onednn.Coefficient(2), onednn.A);

        // Caffe and cuDNN divide by n^2 whatever the number of spatial axes; across channels a never depends on it.
        Assert.Equal(1.0 / 25, caffe.Coefficient(1));
        Assert.Equal(1.0 / 25, caffe.Coefficient(3));
        Assert.Equal(LrnParameters.OneDnn(3, 1, 0.75, 1).A, LrnParameters.OneDnn(3, 1, 0.75, 1).Coefficient(0));
        Assert.Equal(LrnParameters.OneDnn(3, 1, 0.75, 1).A, LrnParameters.OneDnn(3, 1, 0.75, 1).Coefficient(3));

        // Existing factories stay across channels.
        Assert.Equal(LrnRegion.AcrossChannels, LrnParameters.Caffe().Region);
        Assert.Equal("caffe", LrnParameters.Caffe().Name);
    }

    [Fact]
    public void Create_builds_the_within_channel_conventions_from_optional_values()
    {
        Assert.Equal(LrnParameters.CaffeWithinChannel(), LrnParameters.Create(LrnConvention.Caffe, region: LrnRegion.WithinChannel));
        Assert.Equal(LrnParameters.CaffeWithinChannel(3, 2, 0.5), LrnParameters.Create(LrnConvention.Caffe, size: 3, alpha: 2, beta: 0.5, k: 1, region: LrnRegion.WithinChannel));
        Assert.Equal(LrnParameters.CuDnnWithinChannel(), LrnParameters.Create(LrnConvention.CuDnn, region: LrnRegion.WithinChannel));
        Assert.Equal(LrnParameters.CuDnnWithinChannel(7, 0.5, 1, 3), LrnParameters.Create(LrnConvention.CuDnn, size: 7, alpha: 0.5, beta: 1, k: 3, region: LrnRegion.WithinChannel));
        Assert.Equal(LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 2), LrnParameters.Create(LrnConvention.OneDnn, size: 3, alpha: 1, beta: 0.75, k: 2, region: LrnRegion.WithinChannel));
        Assert.Equal(LrnRegion.WithinChannel, LrnParameters.Create(LrnConvention.OneDnn, size: 3, alpha: 1, beta: 0.75, k: 2, region: LrnRegion.WithinChannel).Region);
        Assert.Equal(LrnParameters.Caffe(), LrnParameters.Create(LrnConvention.Caffe, region: LrnRegion.AcrossChannels));
    }

    [Fact]
    public void Equality_means_the_same_function_region_and_rule_for_a_included()
    {
        // k = 1 and a = 9/9 both ways: Caffe's and cuDNN's within-channel functions coincide.
        Assert.Equal(LrnParameters.CaffeWithinChannel(3, 9, 1), LrnParameters.CuDnnWithinChannel(3, 9, 1, 1));
        Assert.Equal(LrnParameters.CaffeWithinChannel(3, 9, 1).GetHashCode(), LrnParameters.CuDnnWithinChannel(3, 9, 1, 1).GetHashCode());

        // oneDNN's a agrees on 2 spatial axes only.
        Assert.NotEqual(LrnParameters.CuDnnWithinChannel(3, 9, 1, 1), LrnParameters.OneDnnWithinChannel(3, 9, 1, 1));

        // The same (lo, hi, a, k, beta) across channels is another function.
        Assert.Equal(LrnParameters.Caffe(3, 9, 1, 1).A, LrnParameters.CaffeWithinChannel(3, 27, 1).A);
        Assert.NotEqual(LrnParameters.Caffe(3, 9, 1, 1), LrnParameters.CaffeWithinChannel(3, 27, 1));
    }

    [Fact]
    public void Describe_says_the_within_channel_formula_in_words()
    {
        Assert.Equal(
            "caffe-within size=5 alpha=1 beta=0.75: s_p = 1 + 0.04 * sum_{q in N(p)} x_q^2, y_p = x_p * s_p^-0.75 (N(p): 5 positions along each spatial axis, 2 before p and 2 after, in p's channel, zero padded; a = alpha/5^2 whatever the number of spatial axes; k fixed at 1: Caffe's own engine ignores k)",
            LrnParameters.CaffeWithinChannel().Describe());
        Assert.Equal(
            "cudnn-within size=3 alpha=9 beta=1 k=2: s_p = 2 + 1 * sum_{q in N(p)} x_q^2, y_p = x_p * s_p^-1 (N(p): 3 positions along each spatial axis, 1 before p and 1 after, in p's channel, zero padded; a = alpha/3^2 whatever the number of spatial axes)",
            LrnParameters.CuDnnWithinChannel(3, 9, 1, 2).Describe());
        Assert.Equal(
            "onednn-within size=3 alpha=27 beta=0.5 k=1: s_p = 1 + a * sum_{q in N(p)} x_q^2, y_p = x_p * s_p^-0.5 (N(p): 3 positions along each spatial axis, 1 before p and 1 after, in p's channel, zero padded; a = alpha/3^d for d spatial axes: 9 for d = 1, 3 for d = 2, 1 for d = 3)",
            LrnParameters.OneDnnWithinChannel(3, 27, 0.5, 1).Describe());
    }

    [Fact]
    public void K_of_zero_with_an_all_zero_window_gives_NaN_as_every_framework_does()
    {
        // s = 0, so s^-beta = inf and 0 * inf = NaN (SPEC.md section 6): documented, not hidden.
        LrnShape shape = LrnShape.ChannelsFirst(1, 1, 3, 3);
        foreach (LrnKernelKind kernel in new[] { LrnKernelKind.Reference, LrnKernelKind.Scalar })
        {
            var y = new double[9];
            LocalResponseNorm.Forward(new double[9], y, shape, LrnParameters.CuDnnWithinChannel(3, 1, 0.75, 0), new LrnOptions { Kernel = kernel });
            Assert.All(y, v => Assert.True(double.IsNaN(v)));
        }
    }

    private static void AssertForward(double[] expected, double[] x, LrnShape shape, LrnParameters p, LrnOptions options)
    {
        string context = $"{options.Kernel} {p.Describe()}";
        var y = new double[x.Length];
        LocalResponseNorm.Forward(x, y, shape, p, options);
        TestData.AssertUlps(expected, y, 2, shape, "double " + context);

        // float32 storage: squares, sums and powers stay in float64, so the result is the expected value rounded once
        // (1 ulp for the rounding of the float64 result, which is itself within a few float64 ulps).
        float[] xf = TestData.As<float>(x);
        var yf = new float[x.Length];
        LocalResponseNorm.Forward(xf, yf, shape, p, options);
        TestData.AssertUlps(TestData.As<float>(expected), yf, Tolerance.Float32ForwardUlps, shape, "float " + context);

        // And the independent oracle agrees.
        WithinOracle oracle = Oracle(p);
        TestData.AssertUlps(expected, oracle.Forward(x, shape), 2, shape, "oracle " + context);
    }

    private static WithinOracle Oracle(LrnParameters p) => new(LrnParameters.ConventionName(p.Convention), p.Size, p.Alpha, p.Beta, p.K);
}
