using System.Globalization;
using Lrn.Peers;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Lrn.PeerTests;

/// <summary>
/// Lrn's onnx convention against ONNX Runtime's CPU kernel, on one-node LRN models built in code
/// (opset 13, float32, 4-D): every odd size 1..15, with the ONNX defaults (only size set) and with explicit
/// alpha, beta and bias. Also records that ONNX Runtime refuses even sizes, which the ONNX spec allows.
/// </summary>
public sealed class OnnxRuntimePeerTests(OnnxSetup onnxSetup, ITestOutputHelper output) : IClassFixture<OnnxSetup>
{
    /// <summary>The ONNX Runtime release these tests were written against (Directory.Packages.props).</summary>
    public const string CheckedVersion = "1.31.1";

    /// <summary>Explicit attributes, exact in float32 after the cast ONNX stores them with: alpha 0.002f, beta 0.6f, bias 2.</summary>
    private static readonly (float Alpha, float Beta, float Bias) Explicit = (0.002f, 0.6f, 2f);

    /// <summary>Channels-first 4-D shapes: C above every window (clipped at both edges, full in the middle), C below most windows, C = 1.</summary>
    private static readonly int[][] Shapes = [[2, 17, 3, 5], [1, 4, 2, 3], [2, 1, 3, 2]];

    public static TheoryData<int, bool> OddSizes()
    {
        var data = new TheoryData<int, bool>();
        for (int size = 1; size <= 15; size += 2)
        {
            data.Add(size, false);
            data.Add(size, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OddSizes))]
    public void Forward_matches_the_onnx_convention(int size, bool explicitAttributes)
    {
        output.WriteLine(PeerTolerance.Describe());
        (float? alpha, float? beta, float? bias) = explicitAttributes ? (Explicit.Alpha, Explicit.Beta, Explicit.Bias) : ((float?)null, (float?)null, (float?)null);
        LrnParameters p = explicitAttributes ? LrnParameters.Onnx(size, Explicit.Alpha, Explicit.Beta, Explicit.Bias) : LrnParameters.Onnx(size);
        output.WriteLine($"ONNX LRN size={size} {(explicitAttributes ? $"alpha={alpha} beta={beta} bias={bias}" : "(defaults)")}; Lrn: {p.Describe()}");

        using var ort = new OnnxLrn(size, alpha, beta, bias);
        var failures = new List<string>();
        int cases = 0;
        double used = 0;
        for (int shapeIndex = 0; shapeIndex < Shapes.Length; shapeIndex++)
        {
            int[] dims = Shapes[shapeIndex];
            for (int d = 0; d < PeerData.Datasets.Length; d++)
            {
                PeerData.Dataset dataset = PeerData.Datasets[d];
                int seed = PeerData.Seed(size, explicitAttributes ? 1 : 0, shapeIndex, d);
                float[] x = PeerData.ToFloat(dataset.Make(new Random(seed), PeerData.Count(dims)));

                float[] yPeer = ort.Run(x, dims);
                float[] yLrn = new float[x.Length];
                LocalResponseNorm.Forward(x, yLrn, LrnShape.ChannelsFirst(dims), p);

                double[] lrn = PeerData.ToDouble(yLrn);
                double[] allowed = Allowed(PeerData.ToDouble(x), lrn, dims, p);
                double[] peer = PeerData.ToDouble(yPeer);
                cases++;
                used = Math.Max(used, PeerData.UsedFraction(peer, lrn, allowed));
                if (PeerData.Compare($"onnxruntime size={size} {dataset} seed={seed}", peer, lrn, allowed, dims) is string failure)
                {
                    failures.Add(failure);
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases} comparisons; the largest error used {used:P1} of its bound"));
        PeerData.AssertNoFailures(failures, cases);
    }

    /// <summary>
    /// ONNX Runtime's CPU LRN kernel checks size % 2 == 1 when the session is created, although the ONNX spec allows
    /// an even size (and Lrn's onnx convention computes it: window [c - (n-1)/2, c + n/2]).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(16)]
    public void Even_size_is_refused_by_OnnxRuntime_when_the_session_is_created(int size)
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => new OnnxLrn(size));
        output.WriteLine($"ONNX Runtime {OnnxLrn.RuntimeVersion}, LRN size={size}: {error.GetType().Name}: {error.Message}");
        Assert.Contains("size_ % 2 == 1", error.Message, StringComparison.Ordinal);

        LrnParameters p = LrnParameters.Onnx(size);
        Assert.Equal(((size - 1) / 2, size / 2), (p.Lo, p.Hi));
    }

    [Fact]
    public void OnnxRuntime_is_the_checked_version()
    {
        output.WriteLine($"ONNX Runtime {onnxSetup.Version} (CPU execution provider), model opset {OnnxLrn.Opset}, IR version {OnnxLrn.IrVersion}");
        Assert.Equal(CheckedVersion, onnxSetup.Version);
    }

    private static double[] Allowed(double[] x, double[] y, int[] dims, LrnParameters p)
    {
        double[] s = PeerData.Scale(x, dims, p);
        double[] sMax = PeerData.ColumnMax(s, dims);
        double u = PeerTolerance.Float32Unit;
        double running = PeerTolerance.RunningSumUnits * p.Beta * (dims[1] + p.Size);
        var allowed = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            allowed[i] = u * Math.Abs(y[i]) * (PeerTolerance.ForwardUnits(p.Size) + (running * sMax[i] / s[i]));
        }

        return allowed;
    }
}
