namespace Lrn.Tests;

/// <summary>
/// A second, independent oracle: each framework's forward written from that framework's own description, with its
/// own parameter names, in float64. It shares nothing with the library (not even <see cref="LrnParameters.Lo"/>),
/// so it checks the library's mapping from each convention to (lo, hi, a) as well as its arithmetic.
/// </summary>
internal sealed record ConventionCase(LrnConvention Convention, int Size, double Alpha, double Beta, double K)
{
    /// <summary>The library's parameters for this case, through the convention's own factory.</summary>
    public LrnParameters Create() => Convention switch
    {
        LrnConvention.TensorFlow => LrnParameters.TensorFlow(depthRadius: Size, bias: K, alpha: Alpha, beta: Beta),
        LrnConvention.PyTorch => LrnParameters.PyTorch(Size, Alpha, Beta, K),
        LrnConvention.Onnx => LrnParameters.Onnx(Size, Alpha, Beta, K),
        LrnConvention.CuDnn => LrnParameters.CuDnn(Size, Alpha, Beta, K),
        LrnConvention.Caffe => LrnParameters.Caffe(Size, Alpha, Beta, K),
        LrnConvention.OneDnn => LrnParameters.OneDnn(Size, Alpha, Beta, K),
        LrnConvention.MXNet => LrnParameters.MXNet(Size, Alpha, Beta, K),
        LrnConvention.Paper => LrnParameters.Paper(Size, K, Alpha, Beta),
        _ => throw new InvalidOperationException($"no oracle for {Convention}"),
    };

    /// <summary>The first and last channel in c's window (before clipping) and what alpha is divided by, as each framework states it.</summary>
    public (int First, int Last, double Divisor) Window(int c)
    {
        int n = Size;
        return Convention switch
        {
            // tensorflow/core/kernels/lrn_op.cc: sqr_sum over depth [d - depth_radius, d + depth_radius]; alpha multiplies it directly.
            LrnConvention.TensorFlow => (c - n, c + n, 1),
            // torch/nn/functional.py: pad x^2 with size//2 zeros before and (size-1)//2 after, then avg_pool of width size (so / size).
            LrnConvention.PyTorch => (c - (n / 2), c - (n / 2) + n - 1, n),
            // onnx/defs/nn/defs.cc: [max(0, c - floor((size - 1) / 2)), min(C - 1, c + ceil((size - 1) / 2))], alpha / size.
            LrnConvention.Onnx => (c - (int)Math.Floor((n - 1) / 2.0), c + (int)Math.Ceiling((n - 1) / 2.0), n),
            // cuDNN: the window starts floor((n-1)/2) before c and spans n channels.
            LrnConvention.CuDnn => (c - ((n - 1) / 2), c - ((n - 1) / 2) + n - 1, n),
            // caffe lrn_layer.cpp: pre_pad = (size - 1) / 2, window of size channels starting pre_pad before c.
            LrnConvention.Caffe => (c - ((n - 1) / 2), c - ((n - 1) / 2) + n - 1, n),
            // onednn ref_lrn.cpp: half_size = (size - 1) / 2 on each side, divided by size.
            LrnConvention.OneDnn => (c - ((n - 1) / 2), c + ((n - 1) / 2), n),
            // mxnet lrn-inl.h: odd nsize, (nsize - 1) / 2 on each side, alpha / nsize.
            LrnConvention.MXNet => (c - ((n - 1) / 2), c + ((n - 1) / 2), n),
            // Krizhevsky et al. 2012, 3.3: sum from max(0, i - n/2) to min(N - 1, i + n/2); k + alpha * sum.
            LrnConvention.Paper => (c - (n / 2), c + (n / 2), 1),
            _ => throw new InvalidOperationException($"no oracle for {Convention}"),
        };
    }

    /// <summary>y in float64 for x of the given shape, each element computed straight from the window.</summary>
    public double[] Forward(ReadOnlySpan<double> x, LrnShape shape)
    {
        var y = new double[x.Length];
        int channels = shape.Channels;
        long spatial = shape.SpatialSize;
        for (int b = 0; b < shape.Batch; b++)
        {
            for (long p = 0; p < spatial; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    (int first, int last, double divisor) = Window(c);
                    double sum = 0;
                    for (int j = Math.Max(0, first); j <= Math.Min(channels - 1, last); j++)
                    {
                        double v = x[(int)Index(shape, b, j, p)];
                        sum += v * v;
                    }

                    long at = Index(shape, b, c, p);
                    y[at] = x[(int)at] / Math.Pow(K + (Alpha / divisor * sum), Beta);
                }
            }
        }

        return y;
    }

    /// <summary>The flat index of (batch b, channel c, spatial position p) in either layout.</summary>
    public static long Index(LrnShape shape, int b, int c, long p) => shape.Layout == LrnLayout.ChannelsFirst
        ? (((long)b * shape.Channels) + c) * shape.SpatialSize + p
        : (((long)b * shape.SpatialSize) + p) * shape.Channels + c;

    /// <summary>Every convention with a few sizes each (even ones where the framework allows them) and non-default coefficients.</summary>
    public static IEnumerable<ConventionCase> All()
    {
        foreach (int n in new[] { 1, 2, 3, 4, 5, 6, 7 })
        {
            yield return new ConventionCase(LrnConvention.PyTorch, n, 0.3, 0.75, 1.5);
            yield return new ConventionCase(LrnConvention.Onnx, n, 0.2, 0.6, 1);
            yield return new ConventionCase(LrnConvention.CuDnn, n, 0.25, 1, 2);
            yield return new ConventionCase(LrnConvention.OneDnn, n, 0.4, 0.5, 1);
            yield return new ConventionCase(LrnConvention.Paper, n, 0.05, 0.75, 2);
            if (n % 2 == 1)
            {
                yield return new ConventionCase(LrnConvention.Caffe, n, 0.5, 0.75, 1);
                yield return new ConventionCase(LrnConvention.MXNet, n, 0.3, 0.75, 2);
            }

            if (n <= 3)
            {
                yield return new ConventionCase(LrnConvention.TensorFlow, n, 0.1, 0.5, 1);
            }
        }

        yield return new ConventionCase(LrnConvention.CuDnn, 16, 0.5, 0.75, 2);
        yield return new ConventionCase(LrnConvention.TensorFlow, 0, 0.1, 0.5, 1);
    }
}
