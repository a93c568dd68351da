using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace Lrn.TorchSharpTests;

/// <summary>Element-wise comparison of two tensors with a bound relative to a magnitude tensor; the message names the first mismatches.</summary>
internal static class Compare
{
    /// <summary>Unit roundoff of the tensor's type.</summary>
    public static double Unit(Tensor t) => t.dtype == ScalarType.Float64 ? Math.Pow(2, -53) : Math.Pow(2, -24);

    /// <summary>
    /// Asserts |actual - expected| &lt;= bound * scale element-wise (scale: a tensor of magnitudes, the same shape;
    /// for y, |y|; for a gradient, the magnitude of its terms), plus a floor of bound * max(scale) * 1e-6 so that
    /// exact zeros do not demand exact zeros.
    /// </summary>
    public static void Close(Tensor expected, Tensor actual, Tensor scale, double bound, string what)
    {
        double[] e = ToDoubles(expected), a = ToDoubles(actual), s = ToDoubles(scale);
        Assert.Equal(e.Length, a.Length);
        double floor = bound * s.Select(Math.Abs).DefaultIfEmpty(0).Max() * 1e-6;
        var message = new StringBuilder();
        int bad = 0;
        double worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double allowed = bound * Math.Abs(s[i]) + floor;
            double error = Math.Abs(e[i] - a[i]);
            if (!(error <= allowed))
            {
                bad++;
                worst = Math.Max(worst, error / allowed);
                if (bad <= 5)
                {
                    message.AppendLine(CultureInfo.InvariantCulture, $"    at flat index {i}: expected {e[i]:R}, got {a[i]:R}, error {error:G3}, allowed {allowed:G3}");
                }
            }
        }

        Assert.True(bad == 0, $"{what}: {bad} of {e.Length} elements beyond the bound ({worst:G3} times the allowed error) on shape [{string.Join(", ", expected.shape)}]:\n{message}");
    }

    public static double[] ToDoubles(Tensor t)
    {
        using Tensor d = t.detach().to(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }
}
