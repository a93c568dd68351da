using System.Globalization;
using Lrn.Peers;
using Xunit.Abstractions;

namespace Lrn.PeerTests;

/// <summary>
/// Lrn's pytorch convention against libtorch's <c>torch.nn.functional.local_response_norm</c> (through TorchSharp),
/// forward and backward (torch autograd against <see cref="LocalResponseNorm.Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters, LrnOptions?)"/>),
/// for n = 1..8 (even included), ranks 3, 4 and 5, float32 and float64; and Lrn's tensorflow convention (r, alpha)
/// against libtorch with (2r+1, alpha*(2r+1)).
/// </summary>
public sealed class LibTorchPeerTests(TorchSetup torchSetup, ITestOutputHelper output) : IClassFixture<TorchSetup>
{
    /// <summary>The libtorch release inside TorchSharp-cpu 0.107.0, which these tests were written against.</summary>
    public const string CheckedLibTorchVersion = "2.10.0";

    /// <summary>PyTorch's defaults, and an explicit set.</summary>
    private static readonly (string Name, double Alpha, double Beta, double K)[] ParameterSets =
    [
        ("defaults", 1e-4, 0.75, 1),
        ("explicit", 0.01, 0.6, 2),
    ];

    /// <summary>Channels-first shapes of each rank, for C = 11 (windows clipped at both edges, full in the middle) and C = 3 (most windows wider than C).</summary>
    private static int[][] Shapes(int rank) => rank switch
    {
        3 => [[2, 11, 7], [3, 3, 5]],
        4 => [[2, 11, 3, 4], [2, 3, 2, 3]],
        5 => [[1, 11, 2, 3, 2], [2, 3, 2, 1, 3]],
        _ => throw new ArgumentOutOfRangeException(nameof(rank), $"rank must be 3, 4 or 5, got {rank}"),
    };

    public static TheoryData<int, int, string> SizesRanksTypes()
    {
        var data = new TheoryData<int, int, string>();
        for (int n = 1; n <= 8; n++)
        {
            foreach (int rank in new[] { 3, 4, 5 })
            {
                data.Add(n, rank, "float32");
                data.Add(n, rank, "float64");
            }
        }

        return data;
    }

    public static TheoryData<int, string> RadiiTypes()
    {
        var data = new TheoryData<int, string>();
        for (int r = 0; r <= 4; r++)
        {
            data.Add(r, "float32");
            data.Add(r, "float64");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesRanksTypes))]
    public void Forward_and_backward_match_the_pytorch_convention(int n, int rank, string type)
    {
        output.WriteLine(torchSetup.Versions);
        output.WriteLine(PeerTolerance.Describe());
        var failures = new List<string>();
        var used = new Used();
        int cases = 0;
        int[][] shapes = Shapes(rank);
        for (int shapeIndex = 0; shapeIndex < shapes.Length; shapeIndex++)
        {
            for (int set = 0; set < ParameterSets.Length; set++)
            {
                var (name, alpha, beta, k) = ParameterSets[set];
                LrnParameters p = LrnParameters.PyTorch(n, alpha, beta, k);
                for (int d = 0; d < PeerData.Datasets.Length; d++)
                {
                    int seed = PeerData.Seed(n, rank, type == "float32" ? 0 : 1, shapeIndex, set, d);
                    string context = $"pytorch n={n} {name} {type} {PeerData.Datasets[d]} seed={seed}";
                    cases++;
                    Compare(context, shapes[shapeIndex], PeerData.Datasets[d], seed, type, p, (n, alpha, beta, k), failures, used);
                }
            }
        }

        output.WriteLine(used.Report(cases));
        PeerData.AssertNoFailures(failures, 2 * cases);
    }

    [Theory]
    [MemberData(nameof(RadiiTypes))]
    public void Tensorflow_r_alpha_equals_libtorch_with_2r_plus_1_and_alpha_times_2r_plus_1(int r, string type)
    {
        output.WriteLine(torchSetup.Versions);
        output.WriteLine(PeerTolerance.Describe());
        var failures = new List<string>();
        var used = new Used();
        int cases = 0;
        (double Bias, double Alpha, double Beta)[] sets = [(1, 1, 0.5), (2, 1e-3, 0.75)];
        int[][] shapes = [[2, 11, 3, 4], [1, 3, 2, 5]];
        for (int shapeIndex = 0; shapeIndex < shapes.Length; shapeIndex++)
        {
            for (int set = 0; set < sets.Length; set++)
            {
                var (bias, alpha, beta) = sets[set];
                LrnParameters p = LrnParameters.TensorFlow(r, bias, alpha, beta);
                int n = (2 * r) + 1;
                for (int d = 0; d < PeerData.Datasets.Length; d++)
                {
                    int seed = PeerData.Seed(100 + r, type == "float32" ? 0 : 1, shapeIndex, set, d);
                    string context = string.Create(CultureInfo.InvariantCulture,
                        $"tensorflow r={r} bias={bias} alpha={alpha} beta={beta} vs libtorch n={n} alpha={alpha * n} {type} {PeerData.Datasets[d]} seed={seed}");
                    cases++;
                    Compare(context, shapes[shapeIndex], PeerData.Datasets[d], seed, type, p, (n, alpha * n, beta, bias), failures, used);
                }
            }
        }

        output.WriteLine(used.Report(cases));
        PeerData.AssertNoFailures(failures, 2 * cases);
    }

    [Fact]
    public void Libtorch_is_the_checked_version()
    {
        output.WriteLine(torchSetup.Versions);
        Assert.Contains($"libtorch {CheckedLibTorchVersion}", torchSetup.Versions, StringComparison.Ordinal);
    }

    /// <summary>Runs one input through libtorch (forward and autograd) and through Lrn with p, and records any disagreement.</summary>
    private static void Compare(string context, int[] dims, PeerData.Dataset dataset, int seed, string type, LrnParameters p,
        (int Size, double Alpha, double Beta, double K) torchArgs, List<string> failures, Used used)
    {
        var random = new Random(seed);
        int count = PeerData.Count(dims);
        double[] x = dataset.Make(random, count);
        double[] dy = PeerData.Uniform(random, count, 1);
        LrnShape shape = LrnShape.ChannelsFirst(dims);
        double[] yPeer, dxPeer, yLrn, dxLrn;
        if (type == "float32")
        {
            float[] xf = PeerData.ToFloat(x), dyf = PeerData.ToFloat(dy);
            x = PeerData.ToDouble(xf);
            dy = PeerData.ToDouble(dyf);
            (float[] yt, float[] dxt) = TorchLrn.ForwardBackward(xf, dyf, dims, torchArgs.Size, torchArgs.Alpha, torchArgs.Beta, torchArgs.K);
            float[] yl = new float[count], dxl = new float[count];
            LocalResponseNorm.Forward(xf, yl, shape, p);
            LocalResponseNorm.Backward(xf, dyf, dxl, shape, p);
            (yPeer, dxPeer, yLrn, dxLrn) = (PeerData.ToDouble(yt), PeerData.ToDouble(dxt), PeerData.ToDouble(yl), PeerData.ToDouble(dxl));
        }
        else
        {
            (yPeer, dxPeer) = TorchLrn.ForwardBackward(x, dy, dims, torchArgs.Size, torchArgs.Alpha, torchArgs.Beta, torchArgs.K);
            yLrn = new double[count];
            dxLrn = new double[count];
            LocalResponseNorm.Forward(x, yLrn, shape, p);
            LocalResponseNorm.Backward(x, dy, dxLrn, shape, p);
        }

        double u = type == "float32" ? PeerTolerance.Float32Unit : PeerTolerance.Float64Unit;
        double forwardUnits = PeerTolerance.ForwardUnits(torchArgs.Size), backwardUnits = PeerTolerance.BackwardUnits(torchArgs.Size);
        double[] forwardAllowed = Array.ConvertAll(yLrn, y => forwardUnits * u * Math.Abs(y));
        double[] backwardAllowed = Array.ConvertAll(PeerData.GradientMagnitude(x, dy, dims, p), m => backwardUnits * u * m);

        used.Forward = Math.Max(used.Forward, PeerData.UsedFraction(yPeer, yLrn, forwardAllowed));
        used.Backward = Math.Max(used.Backward, PeerData.UsedFraction(dxPeer, dxLrn, backwardAllowed));
        if (PeerData.Compare($"{context} forward y", yPeer, yLrn, forwardAllowed, dims) is string forward)
        {
            failures.Add(forward);
        }

        if (PeerData.Compare($"{context} backward dx", dxPeer, dxLrn, backwardAllowed, dims) is string backward)
        {
            failures.Add(backward);
        }
    }

    private sealed class Used
    {
        public double Forward { get; set; }

        public double Backward { get; set; }

        public string Report(int cases) => string.Create(CultureInfo.InvariantCulture,
            $"{cases} inputs, {2 * cases} comparisons (y and dx); the largest error used {Forward:P1} of the forward bound and {Backward:P1} of the backward bound");
    }
}
