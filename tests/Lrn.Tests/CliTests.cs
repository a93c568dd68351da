using Lrn.Cli;

namespace Lrn.Tests;

/// <summary>The lrn tool end to end, in process: demo, apply and grad against the formula, and every malformed file.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lrn-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Lrn(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Demo_prints_a_half_a_third_and_a_half_for_the_articles_example()
    {
        (int code, string output, string err) = Lrn("demo");
        Assert.Equal(0, code);
        Assert.Empty(err);
        Assert.Contains("channel 0: 0.5 ", output, StringComparison.Ordinal);
        Assert.Contains("channel 1: 0.333333 ", output, StringComparison.Ordinal);
        Assert.Contains("channel 2: 0.5 ", output, StringComparison.Ordinal);
        Assert.Contains("all 12 positions agree: yes", output, StringComparison.Ordinal);
        Assert.Contains("pytorch  y = 0.5, 0.333333, 0.5   largest difference from tensorflow: 0", output, StringComparison.Ordinal);
        // The even window: pytorch's channel 2 sums channels 0..3 (s = 31), onnx's 1..4 (s = 55), onednn's 1..3 (s = 30).
        Assert.Contains("pytorch  window [c-2, c+1]  y = 0.166667, 0.133333, 0.0967742", output, StringComparison.Ordinal);
        Assert.Contains("onnx     window [c-1, c+2]  y = 0.0666667, 0.0645161, 0.0545455", output, StringComparison.Ordinal);
        Assert.Contains("onednn   window [c-1, c+1]  y = 0.166667, 0.133333, 0.1,", output, StringComparison.Ordinal);
        Assert.Contains("refused: localSize must be odd", output, StringComparison.Ordinal);
    }

    public static TheoryData<int, LrnLayout, bool> ApplyCases()
    {
        var data = new TheoryData<int, LrnLayout, bool>();
        int count = ConventionCase.All().Count();
        for (int i = 0; i < count; i++)
        {
            data.Add(i, i % 2 == 0 ? LrnLayout.ChannelsFirst : LrnLayout.ChannelsLast, i % 3 == 0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void Apply_agrees_with_the_frameworks_formula_for_every_convention_layout_and_rank(int caseIndex, LrnLayout layout, bool useDouble)
    {
        ConventionCase convention = ConventionCase.All().ElementAt(caseIndex);
        int rank = 2 + (caseIndex % 4);
        int[] dims = new[] { 2, 7, 3, 2, 2 }[..rank];
        LrnShape shape = TestData.Shape(layout, dims);
        double[] x = TestData.Random(new Random(caseIndex), shape.ElementCount, scale: 3);
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

        List<string> args = ["apply", input, output, "--convention", LrnParameters.ConventionName(convention.Convention),
            convention.Convention == LrnConvention.TensorFlow ? "--depth-radius" : "--size", $"{convention.Size}",
            "--alpha", $"{convention.Alpha:R}", "--beta", $"{convention.Beta:R}", "--bias", $"{convention.K:R}",
            "--layout", layout == LrnLayout.ChannelsFirst ? "channels-first" : "channels-last"];
        (int code, _, string err) = Lrn([.. args]);
        Assert.True(code == 0, err);

        NpyArray y = Npy.Read(output);
        Assert.Equal(fileShape, y.Shape);
        Assert.Equal(useDouble ? NpyDType.Float64 : NpyDType.Float32, y.DType);
        double[] actual = useDouble ? y.Float64! : TestData.ToDouble(y.Float32!);
        double[] expected = convention.Forward(x, shape);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance.CliRelative * Math.Abs(expected[i]), $"{string.Join(' ', args)}: at {TestData.Coordinates(shape, i)} expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory]
    [InlineData("pytorch", 4, "channels-first")]
    [InlineData("onnx", 4, "channels-last")]
    [InlineData("caffe", 3, "channels-first")]
    public void Grad_agrees_with_finite_differences(string convention, int size, string layout)
    {
        LrnShape shape = layout == "channels-first" ? LrnShape.ChannelsFirst(1, 6, 2) : LrnShape.ChannelsLast(1, 2, 6);
        double[] x = TestData.Random(new Random(size), shape.ElementCount);
        double[] dy = TestData.Random(new Random(size + 1), shape.ElementCount);
        int[] fileShape = [.. shape.Dims];
        Npy.Write(PathOf("x.npy"), fileShape, x);
        Npy.Write(PathOf("dy.npy"), fileShape, dy);
        string[] parameters = ["--convention", convention, "--size", $"{size}", "--alpha", "2", "--beta", "0.75", "--k", "1", "--layout", layout];
        (int code, _, string err) = Lrn(["grad", PathOf("x.npy"), PathOf("dy.npy"), PathOf("dx.npy"), .. parameters]);
        Assert.True(code == 0, err);
        double[] dx = Npy.Read(PathOf("dx.npy")).Float64!;

        // dL/dx_j for L = sum dy * y, by central differences through the CLI's own apply.
        const double H = 1e-5;
        for (int j = 0; j < x.Length; j++)
        {
            double saved = x[j];
            x[j] = saved + H;
            double plus = Loss(x, dy, fileShape, parameters);
            x[j] = saved - H;
            double minus = Loss(x, dy, fileShape, parameters);
            x[j] = saved;
            double numeric = (plus - minus) / (2 * H);
            Assert.True(Math.Abs(numeric - dx[j]) <= 1e-6 * (1 + Math.Abs(numeric)), $"at {TestData.Coordinates(shape, j)}: finite differences {numeric}, grad {dx[j]}");
        }
    }

    private double Loss(double[] x, double[] dy, int[] shape, string[] parameters)
    {
        Npy.Write(PathOf("xh.npy"), shape, x);
        (int code, _, string err) = Lrn(["apply", PathOf("xh.npy"), PathOf("yh.npy"), .. parameters]);
        Assert.True(code == 0, err);
        double[] y = Npy.Read(PathOf("yh.npy")).Float64!;
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += dy[i] * y[i];
        }

        return sum;
    }

    public static TheoryData<string> MalformedNames() => [.. NpyFiles.Malformed().Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void Every_malformed_npy_exits_2_with_one_line_and_leaves_no_output(string name)
    {
        (_, byte[] bytes, string word) = NpyFiles.Malformed().First(m => m.Name == name);
        File.WriteAllBytes(PathOf("bad.npy"), bytes);
        (int code, string output, string err) = Lrn("apply", PathOf("bad.npy"), PathOf("out.npy"), "--convention", "onnx", "--size", "3");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(word, err, StringComparison.Ordinal);
        Assert.StartsWith("lrn: ", err, StringComparison.Ordinal);
        Assert.Equal(1, err.Count(ch => ch == '\n'));
        Assert.False(File.Exists(PathOf("out.npy")));

        // The same file as grad's second input: the first input is fine, the output is still never written.
        Npy.Write(PathOf("x.npy"), [1, 3], new float[] { 1, 2, 3 });
        (code, _, err) = Lrn("grad", PathOf("x.npy"), PathOf("bad.npy"), PathOf("out.npy"), "--convention", "onnx", "--size", "3");
        Assert.Equal(2, code);
        Assert.Contains(word, err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out.npy")));
    }

    [Theory]
    [InlineData("lrn: invalid --size: size must be >= 1, got 0", "--convention", "pytorch", "--size", "0")]
    [InlineData("lrn: invalid --size: lrnN must be between 1 and 16 (cuDNN's limits), got 17", "--convention", "cudnn", "--size", "17")]
    [InlineData("lrn: invalid --size: localSize must be odd (Caffe rejects even window sizes), got 4", "--convention", "caffe", "--size", "4")]
    [InlineData("lrn: invalid --alpha: alpha must be finite and >= 0, got NaN", "--convention", "onnx", "--size", "3", "--alpha", "NaN")]
    [InlineData("lrn: invalid --bias: bias must be finite and >= 0, got -1", "--convention", "tensorflow", "--k", "-1")]
    [InlineData("lrn: invalid --size: size is required by the pytorch convention, which has no default for it", "--convention", "pytorch")]
    [InlineData("lrn: invalid --size: size is not a tensorflow parameter: tensorflow takes depthRadius (window 2r+1), got size 3", "--convention", "tensorflow", "--size", "3")]
    [InlineData("lrn: --convention must be one of tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper, got 'keras'", "--convention", "keras")]
    [InlineData("lrn: --convention is required: one of tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper")]
    [InlineData("lrn: --size must be an integer, got 'five'", "--convention", "onnx", "--size", "five")]
    [InlineData("lrn: --layout must be channels-first or channels-last, got 'nchw'", "--convention", "onnx", "--size", "3", "--layout", "nchw")]
    [InlineData("lrn: unknown option --window (see lrn --help)", "--convention", "onnx", "--window", "3")]
    [InlineData("lrn: --alpha needs a value", "--convention", "onnx", "--size", "3", "--alpha")]
    public void Invalid_parameters_exit_2_with_the_librarys_rule_and_write_nothing(string expected, params string[] options)
    {
        Npy.Write(PathOf("x.npy"), [1, 3, 2], new float[6]);
        (int code, string output, string err) = Lrn(["apply", PathOf("x.npy"), PathOf("y.npy"), .. options]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected + Environment.NewLine, err);
        Assert.False(File.Exists(PathOf("y.npy")));
    }

    [Fact]
    public void Files_that_are_valid_npy_but_not_valid_lrn_input_exit_2()
    {
        Npy.Write(PathOf("rank1.npy"), [4], new float[4]);
        (int code, _, string err) = Lrn("apply", PathOf("rank1.npy"), PathOf("y.npy"), "--convention", "onnx", "--size", "3");
        Assert.Equal(2, code);
        Assert.Contains("LRN needs rank >= 2", err, StringComparison.Ordinal);

        Npy.Write(PathOf("x.npy"), [1, 4], new float[4]);
        Npy.Write(PathOf("dy.npy"), [1, 4], new double[4]);
        (code, _, err) = Lrn("grad", PathOf("x.npy"), PathOf("dy.npy"), PathOf("dx.npy"), "--convention", "onnx", "--size", "3");
        Assert.Equal(2, code);
        Assert.Contains("GRAD_OUTPUT must have the input's dtype and shape", err, StringComparison.Ordinal);

        (code, _, err) = Lrn("apply", PathOf("missing.npy"), PathOf("y.npy"), "--convention", "onnx", "--size", "3");
        Assert.Equal(2, code);
        Assert.Contains("missing.npy", err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("y.npy")) || File.Exists(PathOf("dx.npy")));
    }

    [Fact]
    public void Help_lists_the_commands_and_unknown_commands_exit_2()
    {
        (int code, string output, _) = Lrn("--help");
        Assert.Equal(0, code);
        Assert.Contains("lrn apply INPUT.npy OUTPUT.npy", output, StringComparison.Ordinal);
        Assert.Contains("lrn experiment [--quick | --full]", output, StringComparison.Ordinal);
        (code, _, string err) = Lrn("frobnicate");
        Assert.Equal(2, code);
        Assert.Equal("lrn: unknown command 'frobnicate' (see lrn --help)" + Environment.NewLine, err);
    }

    [Fact]
    public void Conventions_describes_every_framework()
    {
        (int code, string output, _) = Lrn("conventions");
        Assert.Equal(0, code);
        foreach (string name in new[] { "tensorflow", "pytorch", "onnx", "cudnn", "caffe", "onednn", "mxnet", "paper" })
        {
            Assert.Contains("  " + name + " ", output, StringComparison.Ordinal);
        }

        Assert.Contains("sum_{j=c-1..c+1} x_j^2, y_c = x_c * s_c^-0.75 (3 channels although n=4", output, StringComparison.Ordinal);
        foreach (string name in new[] { "caffe-within", "cudnn-within", "onednn-within" })
        {
            Assert.Contains("  " + name + " ", output, StringComparison.Ordinal);
        }
    }
}
