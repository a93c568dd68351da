namespace Lrn.Tests;

/// <summary>SPEC.md section 7: every invalid argument throws, naming the argument and the rule, before any output is written.</summary>
public class BadInputTests
{
    private const float Untouched = 12345f;

    public static TheoryData<string, Func<LrnParameters>, string> BadParameters() => new()
    {
        { "size", () => LrnParameters.PyTorch(0), "size must be >= 1, got 0" },
        { "size", () => LrnParameters.Onnx(-3), "size must be >= 1, got -3" },
        { "lrnN", () => LrnParameters.CuDnn(17), "lrnN must be between 1 and 16" },
        { "lrnN", () => LrnParameters.CuDnn(0), "lrnN must be between 1 and 16" },
        { "localSize", () => LrnParameters.Caffe(4), "localSize must be odd" },
        { "nsize", () => LrnParameters.MXNet(2), "nsize must be odd" },
        { "localSize", () => LrnParameters.OneDnn(0, 1e-4, 0.75, 1), "localSize must be >= 1" },
        { "depthRadius", () => LrnParameters.TensorFlow(-1), "depthRadius must be >= 0, got -1" },
        { "depthRadius", () => LrnParameters.TensorFlow(int.MaxValue), "depthRadius must be at most" },
        { "n", () => LrnParameters.Paper(0), "n must be >= 1" },
        { "alpha", () => LrnParameters.PyTorch(5, alpha: -1e-4), "alpha must be finite and >= 0, got -0.0001" },
        { "alpha", () => LrnParameters.PyTorch(5, alpha: double.NaN), "alpha must be finite and >= 0, got NaN" },
        { "beta", () => LrnParameters.Onnx(5, beta: double.PositiveInfinity), "beta must be finite and >= 0" },
        { "beta", () => LrnParameters.Caffe(5, beta: -0.75), "beta must be finite and >= 0" },
        { "k", () => LrnParameters.PyTorch(5, k: -1), "k must be finite and >= 0, got -1" },
        { "bias", () => LrnParameters.TensorFlow(bias: double.NaN), "bias must be finite and >= 0" },
        { "knorm", () => LrnParameters.MXNet(5, knorm: -2), "knorm must be finite and >= 0" },
        { "lrnK", () => LrnParameters.CuDnn(5, lrnK: double.NegativeInfinity), "lrnK must be finite and >= 0" },
        { "lo", () => LrnParameters.Canonical(-1, 0, 1, 1, 1), "lo must be >= 0" },
        { "hi", () => LrnParameters.Canonical(int.MaxValue, int.MaxValue, 1, 1, 1), "lo + hi + 1 must be at most" },
        { "size", () => LrnParameters.Create(LrnConvention.PyTorch), "size is required by the pytorch convention" },
        { "alpha", () => LrnParameters.Create(LrnConvention.OneDnn, size: 5), "alpha is required by the onednn convention" },
        { "size", () => LrnParameters.Create(LrnConvention.TensorFlow, size: 3), "size is not a tensorflow parameter" },
        { "depthRadius", () => LrnParameters.Create(LrnConvention.Onnx, size: 3, depthRadius: 1), "depthRadius is a tensorflow parameter" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Bad_parameters_are_refused_with_the_argument_and_the_rule(string argument, Func<LrnParameters> create, string rule)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<LrnShape>, string> BadShapes() => new()
    {
        { "dims", () => LrnShape.ChannelsFirst(5), "rank >= 2" },
        { "dims", () => LrnShape.ChannelsLast(), "rank >= 2" },
        { "dims", () => LrnShape.ChannelsFirst(2, -1, 3), "dims must all be >= 0, got -1 at axis 1" },
        { "dims", () => LrnShape.ChannelsFirst(int.MaxValue, int.MaxValue, int.MaxValue), "overflows" },
        { "layout", () => new LrnShape((LrnLayout)7, 2, 3), "layout must be ChannelsFirst or ChannelsLast" },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public void Bad_shapes_are_refused_with_the_argument_and_the_rule(string argument, Func<LrnShape> create, string rule)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<LrnKernelKind> Kernels => TestData.AllKernelData;

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Length_mismatches_and_overlaps_are_refused_before_any_output_is_written(LrnKernelKind kernel)
    {
        var shape = LrnShape.ChannelsFirst(2, 3, 4);
        LrnParameters p = LrnParameters.PyTorch(3);
        var options = new LrnOptions { Kernel = kernel };
        float[] x = TestData.As<float>(TestData.Random(new Random(1), 24));

        float[] y = Filled(24);
        AssertRefused("x", "x.Length must equal the shape's element count 24", () => LocalResponseNorm.Forward(x.AsSpan(0, 23), y, shape, p, options));
        AssertUntouched(y);
        float[] shortY = Filled(25);
        AssertRefused("y", "y.Length must equal the shape's element count 24", () => LocalResponseNorm.Forward(x, shortY, shape, p, options));
        AssertUntouched(shortY);

        float[] buffer = new float[30];
        x.CopyTo(buffer, 0);
        float[] before = (float[])buffer.Clone();
        AssertRefused("y", "y must be x itself (in place) or not overlap x", () => LocalResponseNorm.Forward(buffer.AsSpan(0, 24), buffer.AsSpan(3, 24), shape, p, options));
        Assert.Equal(before, buffer);

        float[] dy = TestData.As<float>(TestData.Random(new Random(2), 24));
        float[] dx = Filled(24);
        AssertRefused("dy", "dy.Length must equal", () => LocalResponseNorm.Backward(x, dy.AsSpan(1), dx, shape, p, options));
        AssertRefused("dx", "dx.Length must equal", () => LocalResponseNorm.Backward(x, dy, dx.AsSpan(1), shape, p, options));
        AssertRefused("y", "y.Length must equal", () => LocalResponseNorm.Backward(x, x.AsSpan(2), dy, dx, shape, p, options));
        AssertUntouched(dx);
        float[] aliased = (float[])dy.Clone();
        AssertRefused("dx", "dx must not overlap x, y or dy", () => LocalResponseNorm.Backward(x, aliased, aliased, shape, p, options));
        Assert.Equal(dy, aliased);

        AssertRefused("options", "MaxDegreeOfParallelism must be -1 or >= 1, got 0", () => LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = kernel, MaxDegreeOfParallelism = 0 }));
        AssertRefused("kind", "kernel must be a defined LrnKernelKind", () => LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { Kernel = (LrnKernelKind)42 }));
        AssertUntouched(y);
        Assert.Throws<ArgumentNullException>("parameters", () => LocalResponseNorm.Forward(x, y, shape, null!, options));
        Assert.Throws<ArgumentNullException>("shape", () => LocalResponseNorm.Forward(x, y, null!, p, options));
        AssertUntouched(y);
    }

    private static float[] Filled(int length) => Enumerable.Repeat(Untouched, length).ToArray();

    private static void AssertUntouched(float[] output) => Assert.All(output, v => Assert.Equal(Untouched, v));

    private static void AssertRefused(string argument, string rule, Action call)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }
}
