using System.Globalization;

namespace Lrn.Cli;

/// <summary>
/// <c>lrn demo</c>: the article's TensorFlow example, the same computation under the conventions that divide alpha by n,
/// and an even window, where the conventions part. Every number printed is computed by the library.
/// </summary>
internal static class Demo
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Run(TextWriter o)
    {
        // The article: tf.nn.local_response_normalization on ones of shape [2, 2, 3, 3] (NHWC),
        // depth_radius = 1, bias = 0, alpha = 1, beta = 1.
        var shape = LrnShape.ChannelsLast(2, 2, 3, 3);
        float[] x = new float[shape.ElementCount];
        Array.Fill(x, 1f);
        LrnParameters tf = LrnParameters.TensorFlow(depthRadius: 1, bias: 0, alpha: 1, beta: 1);
        float[] y = Forward(x, shape, tf);

        o.WriteLine("The article's example: TensorFlow's tf.nn.local_response_normalization");
        o.WriteLine($"  x = ones, shape {shape} (N, H, W, C)");
        o.WriteLine($"  {tf.Describe()}");
        o.WriteLine();
        o.WriteLine("  y at every (batch, row, column), channel by channel:");
        int channels = shape.Channels;
        for (int c = 0; c < channels; c++)
        {
            o.WriteLine($"    channel {c}: {Format(y[c]),-10} window: channels {Math.Max(0, c - tf.Lo)}..{Math.Min(channels - 1, c + tf.Hi)}");
        }

        o.WriteLine($"  all {shape.ElementCount / channels} positions agree: {(AllPositionsAgree(y, channels) ? "yes" : "NO")}");
        o.WriteLine("  The edge channels have one neighbour, so s = 2 and y = 1/2; the middle one has two, s = 3, y = 1/3.");
        o.WriteLine();

        int n = (2 * tf.Lo) + 1;
        double alphaPerN = tf.Alpha * n;
        o.WriteLine($"The same under the conventions that divide alpha by the window size: n = 2r+1 = {n}, alpha = {Format(tf.Alpha)} x {n} = {Format(alphaPerN)}");
        LrnParameters[] mapped =
        [
            LrnParameters.PyTorch(n, alphaPerN, tf.Beta, tf.K),
            LrnParameters.Onnx(n, alphaPerN, tf.Beta, tf.K),
            LrnParameters.CuDnn(n, alphaPerN, tf.Beta, tf.K),
            LrnParameters.Caffe(n, alphaPerN, tf.Beta, tf.K),
            LrnParameters.OneDnn(n, alphaPerN, tf.Beta, tf.K),
            LrnParameters.MXNet(n, alphaPerN, tf.Beta, tf.K),
        ];
        foreach (LrnParameters p in mapped)
        {
            float[] other = Forward(x, shape, p);
            o.WriteLine($"  {Name(p),-8} y = {Channels(other, channels)}   largest difference from tensorflow: {Format(MaxDifference(y, other))}");
        }

        o.WriteLine("  (Lrn runs any convention in either layout; here all use the article's channels-last tensor.)");
        o.WriteLine();

        EvenWindow(o);
    }

    private static void EvenWindow(TextWriter o)
    {
        const int Size = 4;
        var shape = LrnShape.ChannelsFirst(1, 6);
        float[] x = [1, 2, 3, 4, 5, 6];
        o.WriteLine($"Where they part: an even window, n = {Size}, on one position with 6 channels x = {Channels(x, 6)},");
        o.WriteLine($"alpha = {Size} (so a = alpha/n = 1), beta = 1, k = 1:");
        LrnParameters[] even =
        [
            LrnParameters.PyTorch(Size, alpha: Size, beta: 1, k: 1),
            LrnParameters.Onnx(Size, alpha: Size, beta: 1, bias: 1),
            LrnParameters.CuDnn(Size, lrnAlpha: Size, lrnBeta: 1, lrnK: 1),
            LrnParameters.OneDnn(Size, alpha: Size, beta: 1, k: 1),
        ];
        foreach (LrnParameters p in even)
        {
            o.WriteLine($"  {Name(p),-8} window [c-{p.Lo}, c+{p.Hi}]  y = {Channels(Forward(x, shape, p), 6)}");
        }

        foreach (Func<LrnParameters> refused in new Func<LrnParameters>[] { () => LrnParameters.Caffe(Size), () => LrnParameters.MXNet(Size) })
        {
            try
            {
                refused();
            }
            catch (ArgumentException e)
            {
                o.WriteLine($"  refused: {CliOptions.WithoutParameterSuffix(e)}");
            }
        }

        o.WriteLine("  PyTorch looks further back, ONNX and cuDNN further ahead, oneDNN sums only n-1 channels: three different answers.");
    }

    private static float[] Forward(float[] x, LrnShape shape, LrnParameters p)
    {
        float[] y = new float[x.Length];
        LocalResponseNorm.Forward(x, y, shape, p);
        return y;
    }

    private static bool AllPositionsAgree(float[] y, int channels)
    {
        for (int i = channels; i < y.Length; i++)
        {
            if (y[i] != y[i % channels])
            {
                return false;
            }
        }

        return true;
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    private static string Channels(float[] values, int channels) =>
        string.Join(", ", values.Take(channels).Select(v => Format(v)));

    private static string Name(LrnParameters p) => LrnParameters.ConventionName(p.Convention);

    private static string Format(double value) => value.ToString("G6", Inv);
}
