using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// <see cref="Exponents"/>, which the SIMD kernels' float32 general power uses, at every width: s = m 2^e exactly with
/// m in [0.75, 1.5) and e an integer, and Scale(p, j) = p 2^j exactly, checked against float64 arithmetic over normal
/// floats of every exponent the power meets and at the mantissa boundaries 0.75, 1 and 1.5.
/// </summary>
public class ExponentsTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Split_gives_a_mantissa_in_three_quarters_to_three_halves_and_an_exact_exponent(int width)
    {
        foreach (float s in Samples())
        {
            (float m, float e) = Split(width, s);
            Assert.True(m is >= 0.75f and < 1.5f, $"width {width}: s = {s:R} gave m = {m:R}");
            Assert.Equal(Math.Round(e), e);
            Assert.Equal((double)s, m * Math.Pow(2, e));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Scale_multiplies_by_a_power_of_two_exactly(int width)
    {
        var random = new Random(20261127);
        for (int j = -126; j <= 127; j++)
        {
            float p = (float)(0.5 + random.NextDouble());
            float expected = (float)(p * Math.Pow(2, j));
            if (float.IsNormal(expected))
            {
                Assert.Equal(expected, Scale(width, p, j));
            }
        }
    }

    /// <summary>Normal positive floats from 2^-100 to 2^101 (the plan's float32 range) and the mantissa boundaries in between.</summary>
    private static IEnumerable<float> Samples()
    {
        var random = new Random(20261128);
        for (int exponent = -100; exponent <= 100; exponent++)
        {
            double power = Math.Pow(2, exponent);
            yield return (float)power;
            yield return (float)(0.75 * power);
            yield return (float)(1.5 * power);
            yield return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((float)(1.5 * power)) - 1);
            yield return (float)((1 + random.NextDouble()) * power);
        }
    }

    private static (float M, float E) Split(int width, float s)
    {
        switch (width)
        {
            case 128:
                Exponents.Split(Vector128.Create(s), out Vector128<float> m128, out Vector128<float> e128);
                return (m128[0], e128[0]);
            case 256:
                Exponents.Split(Vector256.Create(s), out Vector256<float> m256, out Vector256<float> e256);
                return (m256[0], e256[0]);
            default:
                Exponents.Split(Vector512.Create(s), out Vector512<float> m512, out Vector512<float> e512);
                return (m512[0], e512[0]);
        }
    }

    private static float Scale(int width, float p, int j) => width switch
    {
        128 => Exponents.Scale(Vector128.Create(p), Vector128.Create((float)j))[0],
        256 => Exponents.Scale(Vector256.Create(p), Vector256.Create((float)j))[0],
        _ => Exponents.Scale(Vector512.Create(p), Vector512.Create((float)j))[0],
    };
}
