using static TorchSharp.torch;

namespace Lrn.Experiment;

/// <summary>
/// How much the LRN divisor d = s^beta, s = k + a * sum over the window of x^2, varies over one layer's input
/// (every batch index, channel and position of a fixed test batch). If d is nearly constant, LRN only rescaled the
/// activations by 1/d and did no inhibition at all; that is what happens with AlexNet's k = 2 on small activations.
/// </summary>
internal sealed record DivisorStats(double Mean, double Std, double Min, double P01, double P50, double P99, double Max)
{
    /// <summary>p99 / p01 - 1: 0 means a constant divisor (a plain rescaling), 1 means the top percent is divided twice as much as the bottom.</summary>
    public double Spread => (P99 / P01) - 1;

    public static DivisorStats Of(Tensor x, LrnParameters p)
    {
        long[] shape = x.shape;
        int batch = (int)shape[0], channels = (int)shape[1];
        int plane = (int)(x.numel() / batch / channels);
        float[] values;
        using (Tensor contiguous = x.to(ScalarType.Float32).contiguous())
        {
            values = contiguous.data<float>().ToArray();
        }

        var d = new double[values.Length];
        var window = new double[channels];
        for (int b = 0; b < batch; b++)
        {
            for (int q = 0; q < plane; q++)
            {
                for (int c = 0; c < channels; c++)
                {
                    double v = values[(((long)b * channels) + c) * plane + q];
                    window[c] = v * v;
                }

                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - p.Lo); j <= Math.Min(channels - 1, c + p.Hi); j++)
                    {
                        sum += window[j];
                    }

                    d[(((long)b * channels) + c) * plane + q] = Math.Pow(p.K + (p.A * sum), p.Beta);
                }
            }
        }

        double mean = d.Average();
        double std = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / d.Length);
        Array.Sort(d);
        double Quantile(double f) => d[(int)Math.Round(f * (d.Length - 1))];
        return new DivisorStats(mean, std, d[0], Quantile(0.01), Quantile(0.5), Quantile(0.99), d[^1]);
    }
}
