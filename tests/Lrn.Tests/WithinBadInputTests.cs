namespace Lrn.Tests;

/// <summary>SPEC.md section 7 for within-channel LRN: every invalid argument throws, naming the argument and the rule, before any output is written.</summary>
public class WithinBadInputTests
{
    private const float Untouched = 12345f;

    public static TheoryData<string, Func<LrnParameters>, string> BadParameters() => new()
    {
        { "localSize", () => LrnParameters.CaffeWithinChannel(4), "localSize must be odd (Caffe rejects even window sizes), got 4" },
        { "localSize", () => LrnParameters.CaffeWithinChannel(0), "localSize must be >= 1, got 0" },
        { "lrnN", () => LrnParameters.CuDnnWithinChannel(4), "lrnN must be odd (a within-channel window is centred on p), got 4" },
        { "lrnN", () => LrnParameters.CuDnnWithinChannel(17), "lrnN must be between 1 and 16 (cuDNN's limits), got 17" },
        { "localSize", () => LrnParameters.OneDnnWithinChannel(2, 1, 0.75, 1), "localSize must be odd (a within-channel window is centred on p), got 2" },
        { "localSize", () => LrnParameters.OneDnnWithinChannel(-1, 1, 0.75, 1), "localSize must be >= 1, got -1" },
        { "alpha", () => LrnParameters.CaffeWithinChannel(3, alpha: -1), "alpha must be finite and >= 0, got -1" },
        { "beta", () => LrnParameters.CaffeWithinChannel(3, beta: double.NaN), "beta must be finite and >= 0, got NaN" },
        { "lrnAlpha", () => LrnParameters.CuDnnWithinChannel(3, lrnAlpha: -1e-4), "lrnAlpha must be finite and >= 0" },
        { "lrnK", () => LrnParameters.CuDnnWithinChannel(3, lrnK: -2), "lrnK must be finite and >= 0, got -2" },
        { "beta", () => LrnParameters.OneDnnWithinChannel(3, 1, double.PositiveInfinity, 1), "beta must be finite and >= 0" },
        { "k", () => LrnParameters.OneDnnWithinChannel(3, 1, 0.75, double.NaN), "k must be finite and >= 0, got NaN" },
        { "region", () => LrnParameters.Create(LrnConvention.PyTorch, size: 3, region: LrnRegion.WithinChannel), "region WithinChannel is defined only for caffe, cudnn and onednn, got pytorch" },
        { "region", () => LrnParameters.Create(LrnConvention.TensorFlow, region: LrnRegion.WithinChannel), "region WithinChannel is defined only for caffe, cudnn and onednn, got tensorflow" },
        { "region", () => LrnParameters.Create(LrnConvention.Caffe, region: (LrnRegion)7), "region must be AcrossChannels or WithinChannel, got 7" },
        { "k", () => LrnParameters.Create(LrnConvention.Caffe, k: 2, region: LrnRegion.WithinChannel), "k must be 1 or unset for caffe-within (Caffe's own within-channel LRN ignores k and uses 1; cudnn-within takes k), got 2" },
        { "alpha", () => LrnParameters.Create(LrnConvention.OneDnn, size: 3, region: LrnRegion.WithinChannel), "alpha is required by the onednn-within convention" },
        { "size", () => LrnParameters.Create(LrnConvention.OneDnn, region: LrnRegion.WithinChannel), "size is required by the onednn-within convention" },
        { "depthRadius", () => LrnParameters.Create(LrnConvention.Caffe, depthRadius: 1, region: LrnRegion.WithinChannel), "depthRadius is a tensorflow parameter; caffe takes size" },
        { "localSize", () => LrnParameters.Create(LrnConvention.Caffe, size: 6, region: LrnRegion.WithinChannel), "localSize must be odd" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Bad_parameters_are_refused_with_the_argument_and_the_rule(string argument, Func<LrnParameters> create, string rule)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_coefficient_needs_a_spatial_axis_within_channel()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => LrnParameters.OneDnnWithinChannel(3, 1, 0.75, 1).Coefficient(0));
        Assert.Equal("spatialAxes", e.ParamName);
        Assert.Contains("spatialAxes must be >= 1, got 0", e.Message, StringComparison.Ordinal);
        e = Assert.ThrowsAny<ArgumentException>(() => LrnParameters.Caffe().Coefficient(-1));
        Assert.Equal("spatialAxes", e.ParamName);
    }

    public static TheoryData<LrnKernelKind, LrnLayout> KernelsAndLayouts() => new()
    {
        { LrnKernelKind.Reference, LrnLayout.ChannelsFirst },
        { LrnKernelKind.Reference, LrnLayout.ChannelsLast },
        { LrnKernelKind.Scalar, LrnLayout.ChannelsFirst },
        { LrnKernelKind.Scalar, LrnLayout.ChannelsLast },
    };

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void Rank_2_has_no_spatial_axis_and_is_refused_before_any_output_is_written(LrnKernelKind kernel, LrnLayout layout)
    {
        // (N, C) is well defined across channels, but a within-channel window has nothing to run over.
        var shape = new LrnShape(layout, 3, 4);
        LrnParameters p = LrnParameters.CuDnnWithinChannel(3);
        var options = new LrnOptions { Kernel = kernel };
        float[] x = TestData.As<float>(TestData.Random(new Random(1), 12));
        float[] dy = TestData.As<float>(TestData.Random(new Random(2), 12));
        float[] y = Filled(12);
        float[] dx = Filled(12);
        AssertRefused("shape", "shape must have at least one spatial axis (rank >= 3) for within-channel LRN", () => LocalResponseNorm.Forward(x, y, shape, p, options));
        AssertRefused("shape", "got [3, 4]", () => LocalResponseNorm.Backward(x, dy, dx, shape, p, options));
        AssertRefused("shape", "rank >= 3", () => LocalResponseNorm.Backward(x, x, dy, dx, shape, p, options));
        AssertUntouched(y);
        AssertUntouched(dx);

        // Across channels the same shape is fine.
        LocalResponseNorm.Forward(x, y, shape, LrnParameters.CuDnn(3), options);
    }

    [Theory]
    [MemberData(nameof(KernelsAndLayouts))]
    public void Length_mismatches_and_overlaps_are_refused_within_channel_too(LrnKernelKind kernel, LrnLayout layout)
    {
        LrnShape shape = TestData.Shape(layout, [2, 3, 2, 2]);
        LrnParameters p = LrnParameters.CaffeWithinChannel(3);
        var options = new LrnOptions { Kernel = kernel };
        float[] x = TestData.As<float>(TestData.Random(new Random(1), 24));
        float[] y = Filled(24);
        AssertRefused("x", "x.Length must equal the shape's element count 24", () => LocalResponseNorm.Forward(x.AsSpan(0, 23), y, shape, p, options));
        AssertRefused("y", "y.Length must equal the shape's element count 24", () => LocalResponseNorm.Forward(x, y.AsSpan(1), shape, p, options));
        AssertUntouched(y);

        float[] buffer = new float[30];
        x.CopyTo(buffer, 0);
        float[] before = (float[])buffer.Clone();
        AssertRefused("y", "y must be x itself (in place) or not overlap x", () => LocalResponseNorm.Forward(buffer.AsSpan(0, 24), buffer.AsSpan(3, 24), shape, p, options));
        Assert.Equal(before, buffer);

        float[] dy = TestData.As<float>(TestData.Random(new Random(2), 24));
        float[] aliased = (float[])dy.Clone();
        AssertRefused("dx", "dx must not overlap x, y or dy", () => LocalResponseNorm.Backward(x, aliased, aliased, shape, p, options));
        Assert.Equal(dy, aliased);
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
