using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// <see cref="Estimates.TimesNegativeThreeQuarterPower(Vector256{float}, Vector256{float})"/>, the float32 x s^-0.75
/// of every SIMD forward, at every width and on whichever instructions this machine takes (AVX-512's 14-bit estimate
/// with one correction, AVX's 12-bit estimate with a second-order correction, or the refined reciprocal square root),
/// against x s^-0.75 in float64 rounded to float32: over normal s of every exponent the kernels meet (2^-100 to 2^100)
/// with random mantissas, and x of both signs.
/// </summary>
public class EstimatesTests
{
    /// <summary>
    /// The bound, in float32 ulps of the result: the estimate's correction leaves under a sixth of an ulp, and the
    /// roundings of y sqrt(y), x times it and the correction's fused add about three more.
    /// </summary>
    private const long ThreeQuarterPowerUlps = 4;

    public static TheoryData<int> Widths => [128, 256, 512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Times_the_negative_three_quarter_power_stays_within_four_ulps(int width)
    {
        var random = new Random(20261127);
        long worst = 0;
        string at = "";
        for (int exponent = -100; exponent <= 100; exponent++)
        {
            for (int i = 0; i < 64; i++)
            {
                float[] s = new float[16], x = new float[16];
                for (int l = 0; l < 16; l++)
                {
                    s[l] = (float)((1 + random.NextDouble()) * Math.Pow(2, exponent));
                    x[l] = (float)((random.NextDouble() - 0.5) * 8);
                }

                float[] actual = Times(width, x, s);
                for (int l = 0; l < 16; l++)
                {
                    float expected = (float)(x[l] * Math.Pow(s[l], -0.75));
                    long ulps = Ulps.Between(expected, actual[l]);
                    if (ulps > worst)
                    {
                        worst = ulps;
                        at = $"x = {x[l]:R}, s = {s[l]:R}: {actual[l]:R} against {expected:R}";
                    }
                }
            }
        }

        Assert.True(worst <= ThreeQuarterPowerUlps, $"width {width}: {worst} ulps at {at}");
    }

    private static float[] Times(int width, float[] x, float[] s)
    {
        float[] result = new float[16];
        for (int at = 0; at < 16; at += width / 32)
        {
            switch (width)
            {
                case 512:
                    Estimates.TimesNegativeThreeQuarterPower(Vector512.Create(x), Vector512.Create(s)).CopyTo(result);
                    break;
                case 256:
                    Estimates.TimesNegativeThreeQuarterPower(Vector256.Create(x, at), Vector256.Create(s, at)).CopyTo(result, at);
                    break;
                default:
                    Estimates.TimesNegativeThreeQuarterPower(Vector128.Create(x, at), Vector128.Create(s, at)).CopyTo(result, at);
                    break;
            }
        }

        return result;
    }
}
