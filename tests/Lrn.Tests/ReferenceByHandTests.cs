namespace Lrn.Tests;

/// <summary>
/// The reference kernel pinned by values worked out by hand from SPEC.md's formulas. Integer inputs make every
/// sum of squares exact; beta = 1 or 0.5 with perfect squares makes every expected value a simple fraction.
/// </summary>
public class ReferenceByHandTests
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };
    private static readonly LrnOptions Scalar = new() { Kernel = LrnKernelKind.Scalar };

    public static TheoryData<LrnKernelKind> Kernels => TestData.AllKernelData;

    private static double[] Run(double[] x, LrnShape shape, LrnParameters p, LrnKernelKind kernel)
    {
        var y = new double[x.Length];
        LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = kernel });
        return y;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_articles_tensorflow_example_gives_a_half_a_third_and_a_half(LrnKernelKind kernel)
    {
        // ones [2, 2, 3, 3] NHWC, depth_radius 1, bias 0, alpha 1, beta 1: s = 2, 3, 2 for channels 0, 1, 2.
        var shape = LrnShape.ChannelsLast(2, 2, 3, 3);
        float[] x = Enumerable.Repeat(1f, 36).ToArray();
        var y = new float[36];
        LocalResponseNorm.Forward(x, y, shape, LrnParameters.TensorFlow(1, bias: 0, alpha: 1, beta: 1), new LrnOptions { Kernel = kernel });
        for (int i = 0; i < 36; i++)
        {
            float expected = (i % 3) == 1 ? 1f / 3 : 0.5f;
            Assert.Equal(expected, y[i]);
        }
    }

    // x = (1, 2, 3, 4, 5) over 5 channels at one position; alpha = 4 so that a = alpha/4 = 1 where the convention divides
    // by n = 4; k = 1; beta = 1. Squares: 1, 4, 9, 16, 25.
    // pytorch [c-2, c+1]: sums 5, 14, 30, 54, 50 -> y = 1/6, 2/15, 3/31, 4/55, 5/51
    // onnx    [c-1, c+2]: sums 14, 30, 54, 50, 41 -> y = 1/15, 2/31, 3/55, 4/51, 5/42
    // onednn  [c-1, c+1]: sums 5, 14, 29, 50, 41 -> y = 1/6, 2/15, 3/30, 4/51, 5/42
    public static TheoryData<string, LrnKernelKind, double[]> EvenWindowCases()
    {
        var data = new TheoryData<string, LrnKernelKind, double[]>();
        foreach (LrnKernelKind kernel in TestData.AllKernels)
        {
            data.Add("pytorch", kernel, [1.0 / 6, 2.0 / 15, 3.0 / 31, 4.0 / 55, 5.0 / 51]);
            data.Add("onnx", kernel, [1.0 / 15, 2.0 / 31, 3.0 / 55, 4.0 / 51, 5.0 / 42]);
            data.Add("cudnn", kernel, [1.0 / 15, 2.0 / 31, 3.0 / 55, 4.0 / 51, 5.0 / 42]);
            data.Add("onednn", kernel, [1.0 / 6, 2.0 / 15, 3.0 / 30, 4.0 / 51, 5.0 / 42]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EvenWindowCases))]
    public void An_even_window_of_4_sits_where_each_framework_puts_it(string convention, LrnKernelKind kernel, double[] expected)
    {
        LrnParameters p = convention switch
        {
            "pytorch" => LrnParameters.PyTorch(4, alpha: 4, beta: 1, k: 1),
            "onnx" => LrnParameters.Onnx(4, alpha: 4, beta: 1, bias: 1),
            "cudnn" => LrnParameters.CuDnn(4, lrnAlpha: 4, lrnBeta: 1, lrnK: 1),
            _ => LrnParameters.OneDnn(4, alpha: 4, beta: 1, k: 1),
        };
        double[] y = Run([1, 2, 3, 4, 5], LrnShape.ChannelsFirst(1, 5, 1, 1), p, kernel);
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(expected[c], y[c], 15);
        }
    }

    [Fact]
    public void PyTorch_onnx_and_onednn_differ_for_n_4_at_every_channel_that_sees_the_asymmetry()
    {
        double[] x = [1, 2, 3, 4, 5];
        var shape = LrnShape.ChannelsFirst(1, 5);
        double[] pytorch = Run(x, shape, LrnParameters.PyTorch(4, 4, 1, 1), LrnKernelKind.Scalar);
        double[] onnx = Run(x, shape, LrnParameters.Onnx(4, 4, 1, 1), LrnKernelKind.Scalar);
        double[] onednn = Run(x, shape, LrnParameters.OneDnn(4, 4, 1, 1), LrnKernelKind.Scalar);
        for (int c = 0; c < 5; c++)
        {
            Assert.NotEqual(pytorch[c], onnx[c]);
        }

        // The middle channel sees three different windows: [0, 3], [1, 4] and [1, 3].
        Assert.NotEqual(pytorch[2], onednn[2]);
        Assert.NotEqual(onnx[2], onednn[2]);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Odd_window_conventions_agree_on_a_hand_worked_three_channel_vector(LrnKernelKind kernel)
    {
        // x = (1, 2, 3), n = 3, window [c-1, c+1]: sums 5, 14, 13. alpha = 3 so a = 1 where divided by 3; k = 2, beta = 1:
        // s = 7, 16, 15 -> y = 1/7, 2/16, 3/15.
        double[] expected = [1.0 / 7, 2.0 / 16, 3.0 / 15];
        var shape = LrnShape.ChannelsFirst(1, 3, 1, 1);
        LrnParameters[] all =
        [
            LrnParameters.PyTorch(3, 3, 1, 2), LrnParameters.Onnx(3, 3, 1, 2), LrnParameters.CuDnn(3, 3, 1, 2),
            LrnParameters.Caffe(3, 3, 1, 2), LrnParameters.OneDnn(3, 3, 1, 2), LrnParameters.MXNet(3, 3, 1, 2),
            LrnParameters.TensorFlow(1, bias: 2, alpha: 1, beta: 1), LrnParameters.Paper(3, k: 2, alpha: 1, beta: 1),
        ];
        foreach (LrnParameters p in all)
        {
            double[] y = Run([1, 2, 3], shape, p, kernel);
            for (int c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(expected[c] - y[c]) <= 1e-15, $"{p.Describe()}: channel {c} expected {expected[c]}, got {y[c]}");
            }
        }
    }

    [Fact]
    public void The_paper_does_not_divide_alpha_and_an_even_n_spans_n_plus_1_channels()
    {
        // Paper n = 2: window [c-1, c+1] (floor(n/2) each side), a = alpha = 1, k = 0, beta = 0.5, x = (3, 4, 0):
        // sums 25, 25, 16 -> s^-0.5 = 1/5, 1/5, 1/4 -> y = 3/5, 4/5, 0.
        double[] y = Run([3, 4, 0], LrnShape.ChannelsFirst(1, 3), LrnParameters.Paper(2, k: 0, alpha: 1, beta: 0.5), LrnKernelKind.Reference);
        Assert.Equal(0.6, y[0], 15);
        Assert.Equal(0.8, y[1], 15);
        Assert.Equal(0.0, y[2]);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_backward_of_an_even_window_uses_the_mirrored_window(LrnKernelKind kernel)
    {
        // pytorch n = 2: window [c-1, c], mirrored [j, j+1]. a = alpha/2 = 1, k = 1, beta = 1, x = (1, 2), dy = (1, 0).
        // s = (1 + 1, 1 + 1 + 4) = (2, 6); y = (1/2, 2/6).
        // dx_0 = dy_0/s_0 - 2 x_0 (dy_0 y_0/s_0 + dy_1 y_1/s_1) = 1/2 - 2 (1/4 + 0) = 0
        // dx_1 = dy_1/s_1 - 2 x_1 (dy_1 y_1/s_1)                = 0 - 4 * 0      = 0 ... and with dy = (0, 1):
        // dx_0 = 0 - 2 x_0 (0 + y_1/s_1) = -2 (1/3)/6 = -1/9;  dx_1 = 1/6 - 2*2 (1/3)/6 = 1/6 - 2/9 = -1/18.
        var shape = LrnShape.ChannelsFirst(1, 2);
        LrnParameters p = LrnParameters.PyTorch(2, alpha: 2, beta: 1, k: 1);
        var dx = new double[2];
        LocalResponseNorm.Backward([1.0, 2.0], [1.0, 0.0], dx, shape, p, new LrnOptions { Kernel = kernel });
        Assert.Equal(0, dx[0], 15);
        Assert.Equal(0, dx[1], 15);
        LocalResponseNorm.Backward([1.0, 2.0], [0.0, 1.0], dx, shape, p, new LrnOptions { Kernel = kernel });
        Assert.Equal(-1.0 / 9, dx[0], 15);
        Assert.Equal(-1.0 / 18, dx[1], 15);
    }

    [Fact]
    public void Options_select_the_kernel_they_name()
    {
        Assert.Equal("reference", LocalResponseNorm.KernelName(Reference));
        Assert.Equal("scalar", LocalResponseNorm.KernelName(Scalar));
    }
}
