namespace Lrn.TorchSharpTests;

/// <summary>
/// The magnitude of dx's two terms, the scale its error is measured against (dx itself can cancel to near zero):
/// |dy_j| s_j^-beta + 2 a beta |x_j| sum over the mirrored window [j-hi, j+lo] of |dy_c x_c| s_c^(-beta-1),
/// channels first, in float64 loops that read like the formula.
/// </summary>
internal static class Magnitude
{
    public static double[] Gradient(double[] x, double[] dy, long[] shape, LrnParameters p)
    {
        int channels = (int)shape[1];
        long batch = shape[0];
        long plane = x.Length / batch / channels;
        var s = new double[x.Length];
        var result = new double[x.Length];
        for (long b = 0; b < batch; b++)
        {
            for (long q = 0; q < plane; q++)
            {
                long At(int c) => (b * channels + c) * plane + q;
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - p.Lo); j <= Math.Min(channels - 1, c + p.Hi); j++)
                    {
                        sum += x[At(j)] * x[At(j)];
                    }

                    s[At(c)] = p.K + p.A * sum;
                }

                for (int j = 0; j < channels; j++)
                {
                    double inner = 0;
                    for (int c = Math.Max(0, j - p.Hi); c <= Math.Min(channels - 1, j + p.Lo); c++)
                    {
                        inner += Math.Abs(dy[At(c)] * x[At(c)]) * Math.Pow(s[At(c)], -p.Beta - 1);
                    }

                    result[At(j)] = Math.Abs(dy[At(j)]) * Math.Pow(s[At(j)], -p.Beta) + 2 * p.A * p.Beta * Math.Abs(x[At(j)]) * inner;
                }
            }
        }

        return result;
    }
}
