namespace Lrn.Tests;

/// <summary>SPEC.md section 6: huge values, non-finite input, k = 0.</summary>
public class NumericsTests
{
    public static TheoryData<LrnKernelKind> Kernels => TestData.AllKernelData;

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Float32_values_whose_squares_overflow_float32_give_the_float64_answer(LrnKernelKind kernel)
    {
        // x = 1e30 next to 3e30: x^2 is 1e60, far past float32's 3.4e38. In float64: s = 1 + (1e60 + 9e60)/2 = 5e60,
        // s^-0.5 = 1/sqrt(5e60), y_0 = 1e30 / sqrt(5e60) = 1/sqrt(5) * 1e30 / 1e30.
        float[] x = [1e30f, 3e30f, float.MaxValue];
        var y = new float[3];
        var shape = LrnShape.ChannelsFirst(1, 3);
        LrnParameters p = LrnParameters.PyTorch(2, alpha: 1, beta: 0.5, k: 1);
        LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = kernel });
        double x0 = 1e30f, x1 = 3e30f, x2 = float.MaxValue;
        double[] expected =
        [
            x0 / Math.Sqrt(1 + (x0 * x0 / 2)),
            x1 / Math.Sqrt(1 + (((x0 * x0) + (x1 * x1)) / 2)),
            x2 / Math.Sqrt(1 + (((x1 * x1) + (x2 * x2)) / 2)),
        ];
        for (int c = 0; c < 3; c++)
        {
            Assert.True(float.IsFinite(y[c]) && y[c] != 0, $"channel {c}: {y[c]}");
            Assert.True(Ulps.Between((float)expected[c], y[c]) <= Tolerance.Float32ForwardUlps, $"channel {c}: expected {(float)expected[c]}, got {y[c]}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Denormal_inputs_match_the_reference(LrnKernelKind kernel)
    {
        float[] x = [1e-40f, -3e-42f, float.Epsilon, 0f, 2e-39f];
        var shape = LrnShape.ChannelsFirst(1, 5);
        LrnParameters p = LrnParameters.TensorFlow(1, bias: 0, alpha: 1, beta: 0.5);
        var y = new float[5];
        LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = kernel });
        // k = 0 and beta = 0.5: y_c = x_c / sqrt(sum of neighbours' squares), finite in float64 for these values.
        double[] d = Array.ConvertAll(x, v => (double)v);
        for (int c = 0; c < 4; c++)
        {
            double sum = 0;
            for (int j = Math.Max(0, c - 1); j <= Math.Min(4, c + 1); j++)
            {
                sum += d[j] * d[j];
            }

            Assert.Equal((float)(d[c] / Math.Sqrt(sum)), y[c]);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void NaN_and_infinity_propagate_through_their_window_only(LrnKernelKind kernel)
    {
        // Channels 0..6 at one position, window [c-1, c+1]. A NaN at channel 1 poisons s for channels 0, 1, 2;
        // +inf at channel 5 makes s infinite for 4, 5, 6: finite x times 0 is 0 (-0 for negative x), inf * 0 is NaN.
        double[] x = [1, double.NaN, 2, 3, -4, double.PositiveInfinity, 5];
        var y = new double[x.Length];
        var shape = LrnShape.ChannelsLast(1, 7);
        LocalResponseNorm.Forward(x, y, shape, LrnParameters.Caffe(3, alpha: 3, beta: 0.75, k: 1), new LrnOptions { Kernel = kernel });
        Assert.True(double.IsNaN(y[0]) && double.IsNaN(y[1]) && double.IsNaN(y[2]));
        Assert.Equal(3 * Math.Pow(1 + 4 + 9 + 16, -0.75), y[3], 14);
        Assert.Equal(0.0, y[4]);
        Assert.True(double.IsNegative(y[4]));
        Assert.True(double.IsNaN(y[5]));
        Assert.Equal(0.0, y[6]);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void K_zero_with_an_all_zero_window_gives_NaN_as_every_framework_does(LrnKernelKind kernel)
    {
        // s = 0 + a * 0 = 0, s^-beta = +inf, 0 * inf = NaN. Documented, not hidden.
        double[] x = [0, 0, 0, 5];
        var y = new double[4];
        LocalResponseNorm.Forward(x, y, LrnShape.ChannelsFirst(1, 4), LrnParameters.TensorFlow(1, bias: 0, alpha: 1, beta: 1), new LrnOptions { Kernel = kernel });
        Assert.True(double.IsNaN(y[0]) && double.IsNaN(y[1]));
        Assert.Equal(0.0, y[2]);
        Assert.Equal(5.0 / 25, y[3]);
    }

    [Fact]
    public void A_window_of_large_values_next_to_small_ones_loses_nothing_to_cancellation()
    {
        // A running sum that adds the head and subtracts the tail would keep ~1e20 * 2^-53 ~ 1e4 of garbage after 1e10
        // leaves the window; block sums never subtract, so the small channels come out exact.
        double[] x = [1e10, 0, 0, 1e-3, 2e-3, 3e-3, 4e-3, 5e-3];
        var reference = new double[x.Length];
        var scalar = new double[x.Length];
        var shape = LrnShape.ChannelsFirst(1, x.Length);
        LrnParameters p = LrnParameters.TensorFlow(1, bias: 0, alpha: 1, beta: 0.5);
        LocalResponseNorm.Forward(x, reference, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
        LocalResponseNorm.Forward(x, scalar, shape, p, new LrnOptions { Kernel = LrnKernelKind.Scalar });
        TestData.AssertUlps(reference, scalar, Tolerance.Float64ForwardUlps(3, 0.5), shape, "large next to small");
        Assert.Equal(4e-3 / Math.Sqrt(9e-6 + 16e-6 + 25e-6), scalar[6], 14);
    }
}
