using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// s^-beta in vector float64 arithmetic for exponents other than 0, 0.5, 0.75 and 1 (the kernels' Float64Power, which
/// the float64 loops and the float32 backward take): within 4 + 2 beta float64 ulps of Math.Pow over the whole normal
/// range of s, at every width; lanes it cannot take (zero, subnormal, infinite, negative, NaN, a power out of the
/// normal range) make it decline, and the kernels then go through Math.Pow lane by lane (checked through the forward).
/// The pair form (Float64PowerPair, the channels-first loops') gives each vector the bits of the single form.
/// </summary>
public class Float64PowerTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    private static readonly double[] Betas = [0.6, 0.01, 0.25, 0.5000001, 0.7499999, 1.5, 2.3, 3.75, 0.6 + Math.ScaleB(1, -40)];

    private static bool Supported(int width) =>
        width == 512 ? Vector512.IsHardwareAccelerated : width == 256 ? Vector256.IsHardwareAccelerated : Vector128.IsHardwareAccelerated;

    private static bool Power(int width, double[] s, double beta, out double[] power)
    {
        power = new double[s.Length];
        switch (width)
        {
            case 512:
                bool taken512 = Vector512Kernel.Float64Power(Vector512.Create(s), beta, out Vector512<double> p512);
                p512.CopyTo(power);
                return taken512;
            case 256:
                bool taken256 = Vector256Kernel.Float64Power(Vector256.Create(s), beta, out Vector256<double> p256);
                p256.CopyTo(power);
                return taken256;
            default:
                bool taken128 = Vector128Kernel.Float64Power(Vector128.Create(s), beta, out Vector128<double> p128);
                p128.CopyTo(power);
                return taken128;
        }
    }

    private static bool Pair(int width, double[] s0, double[] s1, double beta, out double[] p0, out double[] p1)
    {
        p0 = new double[s0.Length];
        p1 = new double[s0.Length];
        bool taken;
        switch (width)
        {
            case 512:
                taken = Vector512Kernel.Float64PowerPair(Vector512.Create(s0), Vector512.Create(s1), beta, out Vector512<double> a512, out Vector512<double> b512);
                a512.CopyTo(p0);
                b512.CopyTo(p1);
                return taken;
            case 256:
                taken = Vector256Kernel.Float64PowerPair(Vector256.Create(s0), Vector256.Create(s1), beta, out Vector256<double> a256, out Vector256<double> b256);
                a256.CopyTo(p0);
                b256.CopyTo(p1);
                return taken;
            default:
                taken = Vector128Kernel.Float64PowerPair(Vector128.Create(s0), Vector128.Create(s1), beta, out Vector128<double> a128, out Vector128<double> b128);
                a128.CopyTo(p0);
                b128.CopyTo(p1);
                return taken;
        }
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>The bound, from the analysis in Float64Power's summary (measured 1 ulp up to beta 0.75, 4 at 3.75), with room: 4 + 2 beta ulps.</summary>
    private static long Bound(double beta) => 4 + (long)Math.Ceiling(2 * beta);

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_float64_power_is_within_its_bound_of_Math_Pow_across_the_normal_range(int width)
    {
        if (!Supported(width))
        {
            return;
        }

        int lanes = width / 64;
        var random = new Random(600 + width);
        foreach (double beta in Betas)
        {
            long worst = 0;
            for (int i = 0; i < 4000; i++)
            {
                // Log-uniform over the normal range where 2^(-beta log2 s) stays normal (|beta log2 s| < 1000), near k
                // (s = k + a sum, usually 1 to 3), and powers of two and their neighbours (m at the ends of its range).
                double limit = Math.Min(1020, 1000 / beta);
                double[] s = new double[lanes];
                for (int l = 0; l < lanes; l++)
                {
                    s[l] = (i % 3) switch
                    {
                        0 => Math.Pow(2, ((random.NextDouble() * 2) - 1) * limit),
                        1 => 1 + (2 * random.NextDouble()),
                        _ => Neighbour(random, Math.ScaleB(1, random.Next(-(int)limit, (int)limit)) * (random.Next(2) == 0 ? 1 : Math.Sqrt(2))),
                    };
                }

                Assert.True(Power(width, s, beta, out double[] power), $"beta {beta:R}: declined normal s {string.Join(", ", s.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
                double[] partner = s.Select(v => v * 1.5).Reverse().ToArray();
                Assert.True(Pair(width, s, partner, beta, out double[] first, out double[] second), $"beta {beta:R}: the pair declined normal s");
                Assert.Equal(Bits(power), Bits(first));
                Power(width, partner, beta, out double[] partnerPower);
                Assert.Equal(Bits(partnerPower), Bits(second));
                for (int l = 0; l < lanes; l++)
                {
                    double expected = Math.Pow(s[l], -beta);
                    long ulps = Ulps.Between(expected, power[l]);
                    worst = Math.Max(worst, ulps);
                    Assert.True(ulps <= Bound(beta), $"beta {beta:R}, s = {s[l]:R}: expected {expected:R}, got {power[l]:R} ({ulps} ulps)");
                }
            }

            Assert.True(worst > 0, $"beta {beta:R}: every lane the bits of Math.Pow; the comparison may be broken");
        }
    }

    private static double Neighbour(Random random, double v) => random.Next(3) switch
    {
        0 => Math.BitDecrement(v),
        1 => Math.BitIncrement(v),
        _ => v,
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_float64_power_declines_lanes_it_cannot_take(int width)
    {
        if (!Supported(width))
        {
            return;
        }

        int lanes = width / 64;
        double[] unusable = [0, -0.0, -1, double.Epsilon, Math.BitDecrement(Math.ScaleB(1, -1022)), double.PositiveInfinity, double.NaN];
        foreach (double bad in unusable)
        {
            for (int place = 0; place < lanes; place++)
            {
                double[] s = Enumerable.Repeat(2.0, lanes).ToArray();
                s[place] = bad;
                Assert.False(Power(width, s, 0.6, out _), $"s = {bad:R} in lane {place} was taken");
                Assert.False(Pair(width, s, Enumerable.Repeat(2.0, lanes).ToArray(), 0.6, out _, out _), $"s = {bad:R} in lane {place} of the first vector was taken");
                Assert.False(Pair(width, Enumerable.Repeat(2.0, lanes).ToArray(), s, 0.6, out _, out _), $"s = {bad:R} in lane {place} of the second vector was taken");
            }
        }

        // 2^-1023 and 2^1023 as results are not normal or close to overflow: s^-beta with |beta log2 s| past 1022.
        Assert.False(Power(width, Enumerable.Repeat(Math.ScaleB(1, -1000), lanes).ToArray(), 1.5, out _), "a power of 2^1500 was taken");
        Assert.False(Power(width, Enumerable.Repeat(Math.ScaleB(1, 1000), lanes).ToArray(), 1.5, out _), "a power of 2^-1500 was taken");
        Assert.True(Power(width, Enumerable.Repeat(Math.ScaleB(1, -1022), lanes).ToArray(), 0.6, out double[] smallest), "the smallest normal s was declined");
        Assert.True(Ulps.Between(Math.Pow(Math.ScaleB(1, -1022), -0.6), smallest[0]) <= Bound(0.6), "the smallest normal s");
    }
}
