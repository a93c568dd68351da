using System.Buffers.Binary;
using Lrn.Cli;
using Lrn.Cli.Figures;
using SkiaSharp;

namespace Lrn.Tests;

/// <summary>
/// lrn explain end to end, in process, for every convention; and the numbers behind each figure checked against the
/// library and the formula. The pictures themselves are not compared pixel by pixel: only their size, and that text
/// actually renders with the embedded font.
/// </summary>
public sealed class ExplainTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lrn-explain-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Lrn(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static readonly (string File, int Width, int Height)[] Figures =
    [
        (Explain.WindowFile, WindowFigure.Width, WindowFigure.Height),
        (Explain.CurveFile, CurveFigure.Width, CurveFigure.Height),
        (Explain.FeatureMapFile, FeatureMapFigure.Width, FeatureMapFigure.Height),
    ];

    // ---- The command ----

    [Fact]
    public void Explain_with_only_out_draws_alexnet_as_pytorch_writes_it()
    {
        string dir = Path.Combine(_dir, "figures");
        (int code, string output, string err) = Lrn("explain", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Empty(err);
        Assert.Contains("pytorch size=5 alpha=0.0001 beta=0.75 k=2", output, StringComparison.Ordinal);
        AssertFigures(dir);
        foreach ((string file, _, _) in Figures)
        {
            Assert.Contains(Path.Combine(dir, file), output, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string[]> EveryConvention() => new()
    {
        new[] { "--convention", "tensorflow" },
        new[] { "--convention", "tensorflow", "--depth-radius", "1", "--bias", "0", "--alpha", "1", "--beta", "1" },
        new[] { "--convention", "pytorch", "--size", "5" },
        new[] { "--convention", "pytorch", "--size", "4" },
        new[] { "--convention", "pytorch", "--size", "1" },
        new[] { "--convention", "onnx", "--size", "4" },
        new[] { "--convention", "cudnn" },
        new[] { "--convention", "cudnn", "--size", "16" },
        new[] { "--convention", "caffe" },
        new[] { "--convention", "onednn", "--size", "4", "--alpha", "1e-4", "--beta", "0.75", "--k", "1" },
        new[] { "--convention", "mxnet", "--size", "3" },
        new[] { "--convention", "paper" },
        new[] { "--convention", "paper", "--size", "4" },
        new[] { "--convention", "pytorch", "--size", "3", "--alpha", "0" },
        new[] { "--convention", "caffe", "--beta", "0" },
        new[] { "--convention", "pytorch", "--size", "33" },
    };

    [Theory]
    [MemberData(nameof(EveryConvention))]
    public void Explain_writes_every_figure_at_its_size_for_every_convention(string[] parameters)
    {
        string dir = Path.Combine(_dir, "out");
        (int code, _, string err) = Lrn(["explain", "--out=" + dir, .. parameters]);
        Assert.True(code == 0, err);
        AssertFigures(dir);
    }

    [Theory]
    [InlineData("explain needs --out DIR")]
    [InlineData("--out needs a value", "--out")]
    [InlineData("--out is given twice", "--out", "a", "--out", "b")]
    [InlineData("explain takes no positional arguments, got 'figures'", "figures", "--out", "OUT")]
    [InlineData("--layout does not apply to explain", "--out", "OUT", "--layout", "channels-last")]
    [InlineData("invalid --size: localSize must be odd", "--out", "OUT", "--convention", "caffe", "--size", "4")]
    [InlineData("explain draws windows of up to 33 channels, got 34", "--out", "OUT", "--convention", "pytorch", "--size", "34")]
    [InlineData("depthRadius is a tensorflow parameter", "--out", "OUT", "--convention", "pytorch", "--depth-radius", "2")]
    [InlineData("unknown option --bogus", "--out", "OUT", "--bogus", "1")]
    public void Bad_explain_arguments_exit_2_with_one_line_and_write_nothing(string expected, params string[] args)
    {
        string dir = Path.Combine(_dir, "bad");
        string[] resolved = Array.ConvertAll(args, a => a == "OUT" ? dir : a);
        (int code, string output, string err) = Lrn(["explain", .. resolved]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("lrn: ", err, StringComparison.Ordinal);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(dir), "no output folder should be created for bad arguments");
    }

    [Fact]
    public void Help_lists_explain()
    {
        (int code, string output, _) = Lrn("--help");
        Assert.Equal(0, code);
        Assert.Contains("lrn explain --out DIR", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_figures_are_committed_at_their_sizes()
    {
        string root = RepositoryRoot();
        AssertFigures(Path.Combine(root, "docs", "figures"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        foreach ((string file, _, _) in Figures)
        {
            Assert.Contains($"docs/figures/{file}", readme, StringComparison.Ordinal);
        }

        Assert.Contains("explain --out docs/figures", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_is_deterministic_so_regenerated_figures_do_not_churn()
    {
        LrnParameters p = LrnParameters.PyTorch(5, k: 2);
        Assert.Equal(WindowFigure.Render(WindowData.Build(p)), WindowFigure.Render(WindowData.Build(p)));
        Assert.Equal(CurveFigure.Render(CurveData.Build(p)), CurveFigure.Render(CurveData.Build(p)));
    }

    // ---- Text: the embedded font draws, with no system font or fontconfig ----

    [Fact]
    public void Text_renders_with_the_embedded_font()
    {
        using var blank = new FigureCanvas(200, 60);
        using var text = new FigureCanvas(200, 60);
        text.Text("LRN y/x", 10, 40, 28);
        Assert.True(DarkPixels(text.EncodePng()) > 100, "text drew (almost) nothing: the embedded font did not load");
        Assert.Equal(0, DarkPixels(blank.EncodePng()));
        Assert.True(FigureCanvas.MeasureText("LRN y/x", 28) > 50);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(2e-5, "2e-5")]
    [InlineData(1e-4, "1e-4")]
    [InlineData(99999.99999999999, "1e5")]
    [InlineData(1e6, "1e6")]
    [InlineData(447.7665, "447.8")]
    [InlineData(0.75, "0.75")]
    [InlineData(1400, "1400")]
    [InlineData(-0.5, "-0.5")]
    public void Numbers_on_the_figures_are_short(double value, string expected) => Assert.Equal(expected, FigureCanvas.Number(value));

    // ---- Figure 1: the window ----

    public static TheoryData<int> Sizes() => [1, 2, 3, 4, 5, 6, 7, 11, 16];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Window_rows_are_the_channels_the_library_actually_sums(int n)
    {
        foreach (LrnParameters p in (LrnParameters[])[LrnParameters.PyTorch(n), LrnParameters.Onnx(n), LrnParameters.CuDnn(n), LrnParameters.OneDnn(n, 1e-4, 0.75, 1), LrnParameters.Paper(n)])
        {
            WindowFigureData data = WindowData.Build(p);
            Assert.Equal(3, data.Chosen.Rows.Count);
            Assert.Equal(new[] { 0, data.Channels / 2, data.Channels - 1 }, data.Chosen.Rows.Select(r => r.C));
            foreach (WindowRow row in data.Chosen.Rows)
            {
                Assert.Equal((p.Lo, p.Hi), (row.Lo, row.Hi));
                Assert.Equal(SummedByTheLibrary(p, data.Channels, row.C), Enumerable.Range(row.First, row.Terms));
            }

            // The middle row's window is whole: the figure shows the unclipped window there.
            Assert.Equal(p.WindowLength, data.Chosen.Rows[1].Terms);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_even_panel_shows_pytorch_onnx_and_onednn_at_an_even_n(int n)
    {
        WindowFigureData data = WindowData.Build(LrnParameters.PyTorch(n));
        int even = n % 2 == 0 ? n : n + 1;
        Assert.Equal(even, data.EvenSize);
        LrnParameters[] expected = [LrnParameters.PyTorch(even), LrnParameters.Onnx(even), LrnParameters.OneDnn(even, 1e-4, 0.75, 1)];
        Assert.Equal(new[] { "pytorch", even <= 16 ? "onnx, cudnn" : "onnx", "onednn" }, data.EvenSizes.Rows.Select(r => r.Label));
        for (int i = 0; i < expected.Length; i++)
        {
            WindowRow row = data.EvenSizes.Rows[i];
            Assert.Equal(SummedByTheLibrary(expected[i], data.Channels, row.C), Enumerable.Range(row.First, row.Terms));
        }

        // They part: pytorch leans back, onnx forward, onednn sums one channel fewer and says so.
        WindowRow[] rows = [.. data.EvenSizes.Rows];
        Assert.Equal((rows[1].First - 1, rows[1].Last - 1), (rows[0].First, rows[0].Last));
        Assert.Equal((rows[1].First, rows[1].Last - 1), (rows[2].First, rows[2].Last));
        Assert.Equal(even - 1, rows[2].Terms);
        Assert.Equal($"only {even - 1} terms, yet a = alpha/{even}", rows[2].Note);
        Assert.Null(rows[0].Note);
    }

    [Fact]
    public void Window_rows_for_the_default_show_the_n4_pitfall_of_the_readme()
    {
        WindowFigureData data = WindowData.Build(LrnParameters.PyTorch(4));
        int c = data.EvenSizes.Rows[0].C;
        Assert.Equal((c - 2, c + 1), (data.EvenSizes.Rows[0].First, data.EvenSizes.Rows[0].Last));
        Assert.Equal((c - 1, c + 2), (data.EvenSizes.Rows[1].First, data.EvenSizes.Rows[1].Last));
        Assert.Equal((c - 1, c + 1), (data.EvenSizes.Rows[2].First, data.EvenSizes.Rows[2].Last));
        WindowRow start = data.Chosen.Rows[0];
        Assert.Equal((0, 1, 2, 0), (start.First, start.Last, start.ClippedBefore, start.ClippedAfter));
    }

    // ---- Figure 2: the inhibition curve ----

    public static TheoryData<string, int> CurveCases() => new()
    {
        { "pytorch", 5 }, { "pytorch", 4 }, { "pytorch", 1 }, { "onnx", 4 }, { "cudnn", 6 }, { "caffe", 3 },
        { "onednn", 4 }, { "mxnet", 7 }, { "paper", 5 }, { "tensorflow", 2 },
    };

    [Theory]
    [MemberData(nameof(CurveCases))]
    public void Curve_points_follow_the_formula_with_the_neighbours_energy(string convention, int size)
    {
        LrnParameters p = Parameters(convention, size);
        CurveFigureData data = CurveData.Build(p);
        Assert.Equal(new[] { 0, data.Unit, 10 * data.Unit }, data.Energies);
        foreach (CurvePanel panel in (CurvePanel[])[data.Chosen, data.Paper])
        {
            LrnParameters q = panel.Parameters;
            Assert.Equal(3, panel.Curves.Count);
            for (int e = 0; e < panel.Curves.Count; e++)
            {
                Curve curve = panel.Curves[e];
                Assert.Equal(CurveData.Points, curve.X.Length);
                Assert.Equal(0, curve.X[0]);
                Assert.Equal(data.XMax, curve.X[^1], 12);

                // A window of one channel has no neighbours to hold energy.
                double energy = q.WindowLength > 1 ? data.Energies[e] : 0;
                Assert.Equal(energy, curve.NeighbourEnergy);
                for (int i = 0; i < curve.X.Length; i++)
                {
                    double x = curve.X[i];
                    double expected = x * Math.Pow(q.K + (q.A * ((x * x) + energy)), -q.Beta);
                    Assert.True(Math.Abs(curve.Y[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                        $"{q.Describe()}, E = {energy}, x = {x}: got {curve.Y[i]}, formula {expected}");
                }
            }
        }
    }

    [Fact]
    public void More_neighbour_energy_means_less_output_and_the_paper_inhibits_five_times_harder_than_pytorch()
    {
        CurveFigureData data = CurveData.Build(LrnParameters.PyTorch(5, k: 2));
        for (int i = 1; i < CurveData.Points; i++)
        {
            Assert.True(data.Chosen.Curves[0].Y[i] > data.Chosen.Curves[1].Y[i]);
            Assert.True(data.Chosen.Curves[1].Y[i] > data.Chosen.Curves[2].Y[i]);
            Assert.True(data.Paper.Curves[0].Y[i] < data.Chosen.Curves[0].Y[i], "the paper's a = alpha is 5x pytorch's alpha/5");
        }

        // The same numbers, a = 2e-5 against 1e-4: the unit energy is k / a for the chosen parameters.
        Assert.Equal(2 / 2e-5, data.Unit, 6);
    }

    // ---- Figure 3: feature maps ----

    public static TheoryData<string, int> MapCases() => new()
    {
        { "pytorch", 5 }, { "pytorch", 4 }, { "onnx", 4 }, { "onednn", 4 }, { "tensorflow", 2 }, { "paper", 5 },
    };

    [Theory]
    [MemberData(nameof(MapCases))]
    public void Feature_maps_after_lrn_are_the_librarys_output_and_the_ratio_is_y_over_x(string convention, int size)
    {
        LrnParameters p = Parameters(convention, size);
        FeatureMaps maps = FeatureMapData.Build(p);
        Assert.Equal(LrnShape.ChannelsFirst(1, FeatureMapData.Orientations, FeatureMapData.Size, FeatureMapData.Size), maps.Shape);
        Assert.Equal(maps.Shape.ElementCount, maps.X.Length);
        Assert.All(maps.X, v => Assert.True(v >= 0));
        Assert.Equal(maps.Peak, maps.X.Max(), 9);
        Assert.Equal(FeatureMapData.PeakFor(p), maps.Peak);

        double[] reference = new double[maps.X.Length];
        LocalResponseNorm.Forward(maps.X, reference, maps.Shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(maps.Y[i] - reference[i]) <= 1e-12 * Math.Max(1, Math.Abs(reference[i])), $"y[{i}] = {maps.Y[i]}, reference {reference[i]}");
            if (maps.X[i] > 0)
            {
                Assert.Equal(maps.Y[i] / maps.X[i], maps.Ratio[i]);

                // s >= k, so the factor never exceeds k^-beta (beta >= 0).
                Assert.True(maps.Ratio[i] <= Math.Pow(p.K, -p.Beta) * (1 + 1e-12));
            }
            else
            {
                Assert.True(double.IsNaN(maps.Ratio[i]));
            }
        }
    }

    [Fact]
    public void A_grating_excites_its_own_orientation_and_lrn_suppresses_its_neighbours_there()
    {
        FeatureMaps maps = FeatureMapData.Build(LrnParameters.PyTorch(5, k: 2));
        int h = maps.Height, w = maps.Width;

        // The top-left quadrant is a 0-degree grating (stripes varying along x): channel 0 answers most there.
        double Mean(double[] map, int c, int r0, int c0)
        {
            ReadOnlySpan<double> plane = maps.Plane(map, c);
            double sum = 0;
            int count = 0;
            for (int r = r0; r < r0 + (h / 4); r++)
            {
                for (int col = c0; col < c0 + (w / 4); col++)
                {
                    if (double.IsFinite(plane[(r * w) + col]))
                    {
                        sum += plane[(r * w) + col];
                        count++;
                    }
                }
            }

            return sum / count;
        }

        int topLeft = h / 16;
        double[] response = [.. Enumerable.Range(0, maps.Channels).Select(c => Mean(maps.X, c, topLeft, topLeft))];
        Assert.Equal(0, Array.IndexOf(response, response.Max()));

        // There channel 1 (22.5 degrees), whose window [c-2, c+2] holds channel 0, is divided by channel 0's energy;
        // channel 4 (90 degrees), whose window 2..6 does not reach channel 0, is divided far less.
        Assert.True(Mean(maps.Ratio, 1, topLeft, topLeft) < Mean(maps.Ratio, 4, topLeft, topLeft));
    }

    [Fact]
    public void The_test_image_and_filters_are_what_the_figure_says()
    {
        double[] image = FeatureMapData.TestImage(FeatureMapData.Size);
        Assert.Equal(FeatureMapData.Size * FeatureMapData.Size, image.Length);
        Assert.All(image, v => Assert.InRange(v, 0, 255));
        Assert.Equal(255, image[(FeatureMapData.Size / 2 * FeatureMapData.Size) + (FeatureMapData.Size / 2)]);
        foreach (bool odd in (bool[])[true, false])
        {
            double[] kernel = FeatureMapData.GaborKernel(30, odd);
            Assert.Equal(0, kernel.Sum(), 12);
            Assert.Equal(1, Math.Sqrt(kernel.Sum(k => k * k)), 12);
        }
    }

    // ---- Helpers ----

    private static LrnParameters Parameters(string convention, int size)
    {
        Assert.True(LrnParameters.TryParseConvention(convention, out LrnConvention c));
        return c switch
        {
            LrnConvention.TensorFlow => LrnParameters.TensorFlow(depthRadius: size),
            LrnConvention.OneDnn => LrnParameters.OneDnn(size, 1e-4, 0.75, 1),
            _ => LrnParameters.Create(c, size: size),
        };
    }

    /// <summary>The channels j whose value changes y_c, found by perturbing each one through the library (alpha raised so the change is large).</summary>
    private static List<int> SummedByTheLibrary(LrnParameters p, int channels, int c)
    {
        LrnParameters probe = LrnParameters.Canonical(p.Lo, p.Hi, a: 1, k: 1, beta: 1);
        Assert.Equal((p.Lo, p.Hi), (probe.Lo, probe.Hi));
        var shape = LrnShape.ChannelsFirst(1, channels);
        double[] x = Enumerable.Repeat(1.0, channels).ToArray();
        double[] y0 = new double[channels], y1 = new double[channels];
        LocalResponseNorm.Forward(x, y0, shape, probe);
        var summed = new List<int>();
        for (int j = 0; j < channels; j++)
        {
            double[] bumped = (double[])x.Clone();
            bumped[j] = 2;
            LocalResponseNorm.Forward(bumped, y1, shape, probe);
            if (j == c ? y1[c] != 2 * y0[c] : y1[c] != y0[c])
            {
                summed.Add(j);
            }
        }

        return summed;
    }

    private static void AssertFigures(string dir)
    {
        foreach ((string file, int width, int height) in Figures)
        {
            string path = Path.Combine(dir, file);
            Assert.True(File.Exists(path), $"{path} was not written");
            Assert.Equal((width, height), PngSize(File.ReadAllBytes(path)));
        }
    }

    /// <summary>Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian), after checking the signature.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 24 && png.AsSpan(0, 8).SequenceEqual(signature), "not a PNG");
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    private static int DarkPixels(byte[] png)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png);
        int dark = 0;
        foreach (SKColor pixel in bitmap.Pixels)
        {
            if (pixel.Red < 128)
            {
                dark++;
            }
        }

        return dark;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lrn.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lrn.slnx not found above " + AppContext.BaseDirectory);
    }
}
