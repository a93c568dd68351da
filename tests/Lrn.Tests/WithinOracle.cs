namespace Lrn.Tests;

/// <summary>
/// An independent oracle for within-channel LRN: each framework's forward written from its own description, with its
/// own parameter names, in float64, sharing nothing with the library (not its window, not its coefficient). A position
/// q is in p's window when |q_i - p_i| &lt;= (n-1)/2 on every spatial axis i; the oracle finds them by testing every
/// position of the plane, which is slow and plainly right.
/// </summary>
internal sealed record WithinOracle(string Framework, int Size, double Alpha, double Beta, double K)
{
    /// <summary>The library's parameters for this case, through the framework's own factory.</summary>
    public LrnParameters Create() => Framework switch
    {
        "caffe" => LrnParameters.CaffeWithinChannel(Size, Alpha, Beta),
        "cudnn" => LrnParameters.CuDnnWithinChannel(Size, Alpha, Beta, K),
        "onednn" => LrnParameters.OneDnnWithinChannel(Size, Alpha, Beta, K),
        _ => throw new InvalidOperationException($"no within-channel oracle for {Framework}"),
    };

    /// <summary>
    /// (k, alpha divisor) as each framework states them, for a tensor with d spatial axes.
    /// caffe lrn_layer.cpp: WITHIN_CHANNEL is x^2, an AVE pooling of kernel n and pad (n-1)/2 (which divides by n*n,
    /// padding included), then a power layer (1 + alpha * pooled)^-beta: k is 1, and the divisor n^2.
    /// cuDNN divisive normalization (SPEC.md section 3, checked on an H100): k, and alpha / n^2.
    /// oneDNN ref_lrn.cpp: summands = local_size^(ndims - 2), k + alpha * sum / summands.
    /// </summary>
    public (double K, double Divisor) Coefficients(int spatialAxes) => Framework switch
    {
        "caffe" => (1, (double)Size * Size),
        "cudnn" => (K, (double)Size * Size),
        _ => (K, Math.Pow(Size, spatialAxes)),
    };

    /// <summary>s at every element of x: k + alpha / divisor * (the sum of x_q^2 over p's window).</summary>
    public double[] Scales(double[] x, LrnShape shape)
    {
        int[] dims = SpatialDims(shape);
        (double k, double divisor) = Coefficients(dims.Length);
        long positions = shape.SpatialSize;
        int half = (Size - 1) / 2;
        var s = new double[x.Length];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (long p = 0; p < positions; p++)
                {
                    double sum = 0;
                    for (long q = 0; q < positions; q++)
                    {
                        if (Near(p, q, dims, half))
                        {
                            double v = x[ConventionCase.Index(shape, b, c, q)];
                            sum += v * v;
                        }
                    }

                    s[ConventionCase.Index(shape, b, c, p)] = k + (Alpha / divisor * sum);
                }
            }
        }

        return s;
    }

    /// <summary>y in float64: x / s^beta.</summary>
    public double[] Forward(double[] x, LrnShape shape)
    {
        double[] s = Scales(x, shape);
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] / Math.Pow(s[i], Beta);
        }

        return y;
    }

    /// <summary>
    /// The magnitude of dx_j's two terms, |dy_j| s_j^-beta + 2 a beta |x_j| sum_{p near j} |dy_p y_p / s_p|, against which
    /// gradient errors are measured (SPEC.md section 6). Only a scale: it need not match any kernel's rounding.
    /// </summary>
    public double[] GradientScale(double[] x, double[] dy, LrnShape shape)
    {
        int[] dims = SpatialDims(shape);
        (_, double divisor) = Coefficients(dims.Length);
        double a = Alpha / divisor;
        double[] s = Scales(x, shape);
        long positions = shape.SpatialSize;
        int half = (Size - 1) / 2;
        var scale = new double[x.Length];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (long j = 0; j < positions; j++)
                {
                    double sum = 0;
                    for (long p = 0; p < positions; p++)
                    {
                        if (Near(p, j, dims, half))
                        {
                            long atP = ConventionCase.Index(shape, b, c, p);
                            sum += Math.Abs(dy[atP] * x[atP] / Math.Pow(s[atP], Beta) / s[atP]);
                        }
                    }

                    long at = ConventionCase.Index(shape, b, c, j);
                    scale[at] = (Math.Abs(dy[at]) / Math.Pow(s[at], Beta)) + (2 * a * Beta * Math.Abs(x[at]) * sum) + double.Epsilon;
                }
            }
        }

        return scale;
    }

    /// <summary>The spatial dimensions of a shape, outermost first.</summary>
    public static int[] SpatialDims(LrnShape shape) => shape.Layout == LrnLayout.ChannelsFirst
        ? [.. shape.Dims.Skip(2)]
        : [.. shape.Dims.Skip(1).Take(shape.Rank - 2)];

    /// <summary>How many positions a window can hold at most: the product over the axes of min(n, D).</summary>
    public static int MaxTerms(LrnShape shape, int size) => SpatialDims(shape).Aggregate(1, (product, d) => product * Math.Max(1, Math.Min(size, d)));

    private static bool Near(long p, long q, int[] dims, int half)
    {
        for (int axis = dims.Length - 1; axis >= 0; axis--)
        {
            long pi = p % dims[axis];
            long qi = q % dims[axis];
            if (Math.Abs(pi - qi) > half)
            {
                return false;
            }

            p /= dims[axis];
            q /= dims[axis];
        }

        return true;
    }
}
