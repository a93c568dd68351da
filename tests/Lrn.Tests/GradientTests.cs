namespace Lrn.Tests;

/// <summary>The backward against central finite differences of the forward, in double, odd and even windows, both layouts.</summary>
public class GradientTests
{
    public static TheoryData<LrnKernelKind, string, LrnLayout> Cases()
    {
        var data = new TheoryData<LrnKernelKind, string, LrnLayout>();
        foreach (LrnKernelKind kernel in TestData.AllKernels)
        {
            foreach (string convention in new[] { "pytorch2", "pytorch3", "pytorch4", "onnx4", "onednn4", "tensorflow1", "paper2", "caffe5" })
            {
                data.Add(kernel, convention, LrnLayout.ChannelsFirst);
                data.Add(kernel, convention, LrnLayout.ChannelsLast);
            }
        }

        return data;
    }

    private static LrnParameters Parameters(string name) => name switch
    {
        "pytorch2" => LrnParameters.PyTorch(2, alpha: 0.8, beta: 0.75, k: 1),
        "pytorch3" => LrnParameters.PyTorch(3, alpha: 0.8, beta: 0.6, k: 1),
        "pytorch4" => LrnParameters.PyTorch(4, alpha: 0.8, beta: 0.75, k: 0.5),
        "onnx4" => LrnParameters.Onnx(4, alpha: 0.8, beta: 1.2, bias: 1),
        "onednn4" => LrnParameters.OneDnn(4, alpha: 0.8, beta: 0.75, k: 1),
        "tensorflow1" => LrnParameters.TensorFlow(1, bias: 1, alpha: 0.3, beta: 0.5),
        "paper2" => LrnParameters.Paper(2, k: 2, alpha: 0.3, beta: 0.75),
        _ => LrnParameters.Caffe(5, alpha: 1, beta: 0.75, k: 1),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_backward_matches_central_finite_differences(LrnKernelKind kernel, string convention, LrnLayout layout)
    {
        LrnParameters p = Parameters(convention);
        LrnShape shape = TestData.Shape(layout, [2, 7, 3]);
        var random = new Random(17);
        double[] x = TestData.Random(random, shape.ElementCount, scale: 1.5);
        double[] dy = TestData.Random(random, shape.ElementCount);
        var options = new LrnOptions { Kernel = kernel };

        var dx = new double[x.Length];
        LocalResponseNorm.Backward(x, dy, dx, shape, p, options);

        // L(x) = sum_i dy_i y_i(x), so dL/dx_j = dx_j. Central differences have error O(h^2) + O(eps/h).
        var numeric = new double[x.Length];
        var y = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double saved = x[j];
            double h = Tolerance.FiniteDifferenceStep * Math.Max(1, Math.Abs(saved));
            x[j] = saved + h;
            LocalResponseNorm.Forward(x, y, shape, p, options);
            double plus = Dot(dy, y);
            x[j] = saved - h;
            LocalResponseNorm.Forward(x, y, shape, p, options);
            double minus = Dot(dy, y);
            x[j] = saved;
            numeric[j] = (plus - minus) / (2 * h);
        }

        double[] scale = TestData.GradientScale(x, dy, shape, p);
        TestData.AssertScaled(numeric, dx, scale, Tolerance.FiniteDifferenceRelative, shape, $"{kernel} {p.Describe()}");
    }

    [Fact]
    public void Giving_y_to_the_backward_gives_the_same_gradient_as_recomputing_it()
    {
        LrnParameters p = LrnParameters.Onnx(4, alpha: 0.8, beta: 0.75, bias: 1);
        LrnShape shape = LrnShape.ChannelsFirst(2, 9, 5);
        var random = new Random(3);
        double[] x = TestData.Random(random, shape.ElementCount);
        double[] dy = TestData.Random(random, shape.ElementCount);
        var y = new double[x.Length];
        LocalResponseNorm.Forward(x, y, shape, p);
        var recomputed = new double[x.Length];
        var given = new double[x.Length];
        LocalResponseNorm.Backward(x, dy, recomputed, shape, p);
        LocalResponseNorm.Backward(x, y, dy, given, shape, p);
        TestData.AssertScaled(recomputed, given, TestData.GradientScale(x, dy, shape, p), Tolerance.GradientRelative<double>(p.WindowLength), shape, "y given vs recomputed");
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
