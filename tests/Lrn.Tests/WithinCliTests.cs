using Lrn.Cli;

namespace Lrn.Tests;

/// <summary><c>lrn apply</c> and <c>lrn grad</c> with <c>--region within</c>, end to end in process, against the within-channel oracle and the reference.</summary>
public sealed class WithinCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lrn-within-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Lrn(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    public static TheoryData<string, int, LrnLayout, bool> ApplyCases()
    {
        var data = new TheoryData<string, int, LrnLayout, bool>();
        foreach (string framework in new[] { "caffe", "cudnn", "onednn" })
        {
            foreach (int rank in new[] { 3, 4, 5 })
            {
                data.Add(framework, rank, rank % 2 == 0 ? LrnLayout.ChannelsFirst : LrnLayout.ChannelsLast, rank == 4);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void Apply_with_region_within_agrees_with_the_frameworks_formula(string framework, int rank, LrnLayout layout, bool useDouble)
    {
        var oracle = new WithinOracle(framework, 3, 5, 0.75, framework == "caffe" ? 1 : 2);
        int[] dims = new[] { 2, 3, 4, 3, 2 }[..rank];
        LrnShape shape = TestData.Shape(layout, dims);
        double[] x = TestData.Random(new Random(rank), shape.ElementCount, scale: 3);
        string input = PathOf("x.npy"), output = PathOf("y.npy");
        int[] fileShape = [.. shape.Dims];
        if (useDouble)
        {
            Npy.Write(input, fileShape, x);
        }
        else
        {
            float[] xf = TestData.As<float>(x);
            Npy.Write(input, fileShape, xf);
            x = TestData.ToDouble(xf);
        }

        List<string> args = ["apply", input, output, "--region", "within", "--convention", framework, "--size", "3", "--alpha", "5", "--beta", "0.75",
            "--layout", layout == LrnLayout.ChannelsFirst ? "channels-first" : "channels-last"];
        if (framework != "caffe")
        {
            args.AddRange(["--k", "2"]);
        }

        (int code, string stdout, string err) = Lrn([.. args]);
        Assert.True(code == 0, err);
        Assert.Contains($"{framework}-within size=3", stdout, StringComparison.Ordinal);

        NpyArray y = Npy.Read(output);
        Assert.Equal(fileShape, y.Shape);
        double[] actual = useDouble ? y.Float64! : TestData.ToDouble(y.Float32!);
        double[] expected = oracle.Forward(x, shape);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance.CliRelative * Math.Abs(expected[i]), $"{string.Join(' ', args)}: at {TestData.Coordinates(shape, i)} expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory]
    [InlineData("caffe", "channels-first")]
    [InlineData("cudnn", "channels-last")]
    [InlineData("onednn", "channels-first")]
    public void Grad_with_region_within_agrees_with_the_reference_backward(string framework, string layout)
    {
        LrnShape shape = layout == "channels-first" ? LrnShape.ChannelsFirst(1, 2, 4, 5) : LrnShape.ChannelsLast(1, 4, 5, 2);
        double[] x = TestData.Random(new Random(1), shape.ElementCount);
        double[] dy = TestData.Random(new Random(2), shape.ElementCount);
        int[] fileShape = [.. shape.Dims];
        Npy.Write(PathOf("x.npy"), fileShape, x);
        Npy.Write(PathOf("dy.npy"), fileShape, dy);
        (int code, _, string err) = Lrn("grad", PathOf("x.npy"), PathOf("dy.npy"), PathOf("dx.npy"), "--region", "within", "--convention", framework,
            "--size", "3", "--alpha", "4", "--beta", "0.75", "--k", "1", "--layout", layout);
        Assert.True(code == 0, err);
        double[] dx = Npy.Read(PathOf("dx.npy")).Float64!;

        var oracle = new WithinOracle(framework, 3, 4, 0.75, 1);
        var expected = new double[x.Length];
        LocalResponseNorm.Backward(x, dy, expected, shape, oracle.Create(), new LrnOptions { Kernel = LrnKernelKind.Reference });
        TestData.AssertScaled(expected, dx, oracle.GradientScale(x, dy, shape), Tolerance.GradientRelative<double>(9), shape, $"lrn grad --region within --convention {framework}");
    }

    [Theory]
    [InlineData("lrn: --region must be across or within, got 'spatial'", "--region", "spatial", "--convention", "caffe")]
    [InlineData("lrn: invalid --region: region WithinChannel is defined only for caffe, cudnn and onednn, got pytorch", "--region", "within", "--convention", "pytorch", "--size", "3")]
    [InlineData("lrn: invalid --bias: k must be 1 or unset for caffe-within (Caffe's own within-channel LRN ignores k and uses 1; cudnn-within takes k), got 2", "--region", "within", "--convention", "caffe", "--k", "2")]
    [InlineData("lrn: invalid --size: lrnN must be odd (a within-channel window is centred on p), got 4", "--region", "within", "--convention", "cudnn", "--size", "4")]
    [InlineData("lrn: invalid --size: size is required by the onednn-within convention, which has no default for it", "--region", "within", "--convention", "onednn")]
    [InlineData("lrn: --region needs a value", "--convention", "caffe", "--region")]
    public void Invalid_region_options_exit_2_with_the_rule_and_write_nothing(string expected, params string[] options)
    {
        Npy.Write(PathOf("x.npy"), [1, 3, 2], new float[6]);
        (int code, string output, string err) = Lrn(["apply", PathOf("x.npy"), PathOf("y.npy"), .. options]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected + Environment.NewLine, err);
        Assert.False(File.Exists(PathOf("y.npy")));
    }

    [Fact]
    public void A_rank_2_file_within_channel_exits_2_naming_the_rule()
    {
        Npy.Write(PathOf("x.npy"), [2, 3], new float[6]);
        (int code, _, string err) = Lrn("apply", PathOf("x.npy"), PathOf("y.npy"), "--region", "within", "--convention", "caffe");
        Assert.Equal(2, code);
        Assert.StartsWith("lrn: shape must have at least one spatial axis (rank >= 3) for within-channel LRN", err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("y.npy")));
    }

    [Fact]
    public void Region_across_is_the_default_and_can_be_said()
    {
        Npy.Write(PathOf("x.npy"), [1, 3, 2], new float[] { 1, 2, 3, 4, 5, 6 });
        (int code, _, string err) = Lrn("apply", PathOf("x.npy"), PathOf("a.npy"), "--convention", "caffe", "--size", "3");
        Assert.True(code == 0, err);
        (code, _, err) = Lrn("apply", PathOf("x.npy"), PathOf("b.npy"), "--convention", "caffe", "--size", "3", "--region", "across");
        Assert.True(code == 0, err);
        Assert.Equal(Npy.Read(PathOf("a.npy")).Float32, Npy.Read(PathOf("b.npy")).Float32);
    }
}
