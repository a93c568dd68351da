namespace Lrn.Tests;

/// <summary>The within-channel backward against central finite differences of the forward, in double, 1, 2 and 3 spatial axes, both layouts.</summary>
public class WithinGradientTests
{
    private static readonly (string Name, int[] Dims)[] Shapes =
    [
        ("1d", [2, 2, 6]),
        ("2d", [1, 2, 4, 5]),
        ("3d", [1, 2, 2, 3, 3]),
    ];

    public static TheoryData<LrnKernelKind, string, string, LrnLayout> Cases()
    {
        var data = new TheoryData<LrnKernelKind, string, string, LrnLayout>();
        foreach (LrnKernelKind kernel in new[] { LrnKernelKind.Reference, LrnKernelKind.Scalar })
        {
            foreach (string convention in new[] { "caffe3", "cudnn5", "onednn3" })
            {
                foreach ((string shape, _) in Shapes)
                {
                    data.Add(kernel, convention, shape, LrnLayout.ChannelsFirst);
                    data.Add(kernel, convention, shape, LrnLayout.ChannelsLast);
                }
            }
        }

        return data;
    }

    private static WithinOracle Convention(string name) => name switch
    {
        "caffe3" => new WithinOracle("caffe", 3, 6, 0.75, 1),
        "cudnn5" => new WithinOracle("cudnn", 5, 12, 0.6, 0.5),
        _ => new WithinOracle("onednn", 3, 4, 1.2, 1),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_backward_matches_central_finite_differences(LrnKernelKind kernel, string convention, string shapeName, LrnLayout layout)
    {
        WithinOracle oracle = Convention(convention);
        LrnParameters p = oracle.Create();
        LrnShape shape = TestData.Shape(layout, Array.Find(Shapes, s => s.Name == shapeName).Dims);
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

        double[] scale = oracle.GradientScale(x, dy, shape);
        TestData.AssertScaled(numeric, dx, scale, Tolerance.FiniteDifferenceRelative, shape, $"{kernel} {p.Describe()}");
    }

    [Fact]
    public void Giving_y_to_the_backward_gives_the_same_gradient_as_recomputing_it()
    {
        WithinOracle oracle = new("onednn", 3, 4, 0.75, 1);
        LrnParameters p = oracle.Create();
        LrnShape shape = LrnShape.ChannelsLast(2, 5, 4, 3);
        var random = new Random(3);
        double[] x = TestData.Random(random, shape.ElementCount);
        double[] dy = TestData.Random(random, shape.ElementCount);
        var y = new double[x.Length];
        LocalResponseNorm.Forward(x, y, shape, p);
        var recomputed = new double[x.Length];
        var given = new double[x.Length];
        LocalResponseNorm.Backward(x, dy, recomputed, shape, p);
        LocalResponseNorm.Backward(x, y, dy, given, shape, p);
        TestData.AssertScaled(recomputed, given, oracle.GradientScale(x, dy, shape), Tolerance.GradientRelative<double>(9), shape, "y given vs recomputed");
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
