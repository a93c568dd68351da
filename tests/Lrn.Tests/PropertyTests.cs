namespace Lrn.Tests;

/// <summary>Relations that must hold whatever the kernel: alpha = 0, layout transposition, TensorFlow to ONNX, in place, threads, and the independent per-framework oracle.</summary>
public class PropertyTests
{
    public static TheoryData<LrnKernelKind> Kernels => TestData.AllKernelData;

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Alpha_zero_gives_x_times_k_to_the_minus_beta(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 5, 3);
        double[] x = TestData.Random(new Random(1), shape.ElementCount);
        var y = new double[x.Length];
        LocalResponseNorm.Forward(x, y, shape, LrnParameters.PyTorch(3, alpha: 0, beta: 0.75, k: 2), new LrnOptions { Kernel = kernel });
        double factor = Math.Pow(2, -0.75);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Ulps.Between(x[i] * factor, y[i]) <= 2, $"at {i}: {x[i] * factor} vs {y[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Channels_last_equals_the_transposed_channels_first_result(LrnKernelKind kernel)
    {
        int n = 2, c = 11, h = 3, w = 4;
        var first = LrnShape.ChannelsFirst(n, c, h, w);
        var last = LrnShape.ChannelsLast(n, h, w, c);
        float[] xFirst = TestData.As<float>(TestData.Random(new Random(5), first.ElementCount));
        float[] xLast = new float[xFirst.Length];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int q = 0; q < h * w; q++)
                {
                    xLast[(((b * h * w) + q) * c) + ch] = xFirst[(((b * c) + ch) * h * w) + q];
                }
            }
        }

        LrnParameters p = LrnParameters.PyTorch(4, alpha: 0.5, beta: 0.75, k: 1);
        var options = new LrnOptions { Kernel = kernel };
        float[] yFirst = new float[xFirst.Length];
        float[] yLast = new float[xFirst.Length];
        LocalResponseNorm.Forward(xFirst, yFirst, first, p, options);
        LocalResponseNorm.Forward(xLast, yLast, last, p, options);
        float[] dxFirst = new float[xFirst.Length];
        float[] dxLast = new float[xFirst.Length];
        LocalResponseNorm.Backward(xFirst, xFirst, dxFirst, first, p, options);
        LocalResponseNorm.Backward(xLast, xLast, dxLast, last, p, options);

        // The SIMD kernels' channels-first float32 backward (windows of lo, hi <= 2) computes in float32 too, and
        // channels-last in float64: each within its bound of the reference. The other kernels give the same bits.
        double[] gradientScale = TestData.GradientScale(TestData.ToDouble(xFirst), TestData.ToDouble(xFirst), first, p);
        double gradientAllowed = kernel is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128
            ? Tolerance.GradientRelativeFor<float>(kernel, p.WindowLength, p.Beta) + Tolerance.GradientRelative<float>(p.WindowLength)
            : 0;
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int q = 0; q < h * w; q++)
                {
                    int iFirst = (((b * c) + ch) * h * w) + q;
                    int iLast = (((b * h * w) + q) * c) + ch;
                    // The SIMD kernels' channels-first float32 forward computes in float32, channels-last in float64.
                    long allowed = Tolerance.Float32ForwardUlpsFor(kernel, p.WindowLength, p.Beta) - Tolerance.Float32ForwardUlps;
                    Assert.True(Ulps.Between(yFirst[iFirst], yLast[iLast]) <= allowed, $"y at (n={b}, c={ch}, q={q}): {yFirst[iFirst]} vs {yLast[iLast]}");
                    Assert.True(Math.Abs((double)dxFirst[iFirst] - dxLast[iLast]) <= gradientAllowed * gradientScale[iFirst], $"dx at (n={b}, c={ch}, q={q}): {dxFirst[iFirst]} vs {dxLast[iLast]}");
                }
            }
        }
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.5)]
    [InlineData(2, 1e-4)]
    [InlineData(5, 3.0)]
    public void TensorFlow_r_alpha_equals_onnx_2r_plus_1_alpha_times_2r_plus_1(int r, double alpha)
    {
        var shape = LrnShape.ChannelsLast(2, 3, 3, 13);
        double[] x = TestData.Random(new Random(r), shape.ElementCount);
        var tf = new double[x.Length];
        var onnx = new double[x.Length];
        LocalResponseNorm.Forward(x, tf, shape, LrnParameters.TensorFlow(r, bias: 1, alpha: alpha, beta: 0.75));
        int n = (2 * r) + 1;
        LocalResponseNorm.Forward(x, onnx, shape, LrnParameters.Onnx(n, alpha * n, beta: 0.75, bias: 1));
        // alpha * n / n may differ from alpha in the last bit, so the results may differ by a few ulps.
        TestData.AssertUlps(tf, onnx, Tolerance.Float64ForwardUlps(n, 0.75), shape, "tensorflow vs onnx");
    }

    public static TheoryData<int, LrnLayout> OracleCases()
    {
        var data = new TheoryData<int, LrnLayout>();
        int count = ConventionCase.All().Count();
        for (int i = 0; i < count; i++)
        {
            data.Add(i, LrnLayout.ChannelsFirst);
            data.Add(i, LrnLayout.ChannelsLast);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OracleCases))]
    public void Every_convention_matches_its_frameworks_own_formula(int caseIndex, LrnLayout layout)
    {
        ConventionCase convention = ConventionCase.All().ElementAt(caseIndex);
        LrnShape shape = TestData.Shape(layout, [2, 9, 2, 3]);
        double[] x = TestData.Random(new Random(caseIndex), shape.ElementCount);
        double[] expected = convention.Forward(x, shape);
        LrnParameters p = convention.Create();
        foreach (LrnKernelKind kernel in TestData.AllKernels)
        {
            var y = new double[x.Length];
            LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = kernel });
            TestData.AssertUlps(expected, y, Tolerance.Float64ForwardUlps(p.WindowLength, convention.Beta), shape, $"{kernel} {convention} as {p.Describe()}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Forward_in_place_equals_forward_out_of_place(LrnKernelKind kernel)
    {
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            LrnShape shape = TestData.Shape(layout, [2, 13, 70]);
            float[] x = TestData.As<float>(TestData.Random(new Random(9), shape.ElementCount));
            float[] y = new float[x.Length];
            var options = new LrnOptions { Kernel = kernel };
            LrnParameters p = LrnParameters.PyTorch(5, alpha: 0.5);
            LocalResponseNorm.Forward(x, y, shape, p, options);
            LocalResponseNorm.Forward(x, x, shape, p, options);
            Assert.Equal(y, x);

            // float64 data: the SIMD kernels compute windows of up to two channels each side in one pass, in place too.
            double[] xd = TestData.Random(new Random(10), shape.ElementCount);
            double[] yd = new double[xd.Length];
            LocalResponseNorm.Forward(xd, yd, shape, p, options);
            LocalResponseNorm.Forward(xd, xd, shape, p, options);
            Assert.Equal(yd, xd);
        }
    }

    public static TheoryData<LrnKernelKind, LrnLayout> FastKernelLayouts()
    {
        var data = new TheoryData<LrnKernelKind, LrnLayout>();
        foreach (LrnKernelKind kernel in TestData.FastKernels)
        {
            data.Add(kernel, LrnLayout.ChannelsFirst);
            data.Add(kernel, LrnLayout.ChannelsLast);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FastKernelLayouts))]
    public void Results_are_bit_identical_for_1_2_and_8_threads(LrnKernelKind kernel, LrnLayout layout)
    {
        LrnShape shape = TestData.Shape(layout, [3, 17, 9, 31]);
        float[] x = TestData.As<float>(TestData.Random(new Random(11), shape.ElementCount));
        float[] dy = TestData.As<float>(TestData.Random(new Random(12), shape.ElementCount));
        LrnParameters p = LrnParameters.Onnx(6, alpha: 0.7);
        float[]? firstY = null;
        float[]? firstDx = null;
        foreach (int threads in new[] { 1, 2, 8 })
        {
            var options = new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = threads };
            float[] y = new float[x.Length];
            float[] dx = new float[x.Length];
            LocalResponseNorm.Forward(x, y, shape, p, options);
            LocalResponseNorm.Backward(x, dy, dx, shape, p, options);
            firstY ??= y;
            firstDx ??= dx;
            Assert.Equal(firstY, y);
            Assert.Equal(firstDx, dx);
        }
    }

    [Fact]
    public void The_window_is_never_re_derived_a_window_beyond_C_equals_one_reaching_exactly_to_the_edges()
    {
        var shape = LrnShape.ChannelsFirst(1, 4, 3);
        double[] x = TestData.Random(new Random(2), shape.ElementCount);
        var wide = new double[x.Length];
        var exact = new double[x.Length];
        LocalResponseNorm.Forward(x, wide, shape, LrnParameters.Canonical(1000, 1000, 0.5, 1, 0.75), new LrnOptions { Kernel = TestData.FastKernels[0] });
        LocalResponseNorm.Forward(x, exact, shape, LrnParameters.Canonical(3, 3, 0.5, 1, 0.75), new LrnOptions { Kernel = LrnKernelKind.Reference });
        TestData.AssertUlps(exact, wide, Tolerance.Float64ForwardUlps(7, 0.75), shape, "oversized window");
    }
}
