using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// <see cref="PowerTables"/>, the float32 general power's table-driven log2 and exp2: the written-out tables against
/// their definitions, and both functions at every width against float64 arithmetic over the range the power meets.
/// </summary>
public class PowerTablesTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    [Fact]
    public void Tables_hold_their_definitions_rounded_to_float32()
    {
        for (int i = 0; i < 16; i++)
        {
            (float center, float log, float power) = PowerTables.Entry(i);
            Assert.Equal((float)(1 / (1 + ((i + 0.5) / 16))), center);
            Assert.Equal((float)-Math.Log2(center), log);
            Assert.Equal((float)Math.Pow(2, i / 16.0), power);
        }
    }

    [Avx512Theory]
    [MemberData(nameof(Widths))]
    public void Log2_is_within_2_to_the_minus_23_of_float64_and_its_exponent_exact(int width)
    {
        var random = new Random(20261127);
        for (int exponent = -100; exponent <= 100; exponent++)
        {
            for (int sample = 0; sample < 40; sample++)
            {
                // Every sixteenth of the mantissa interval, its ends included, and random points.
                double m = sample < 17 ? 1 + (sample / 16.0) : 1 + random.NextDouble();
                float s = (float)(m * Math.Pow(2, exponent));
                (float log, float e) = Log2(width, s);
                double exact = Math.Log2(s) - e;
                Assert.Equal(Math.Floor(Math.Log2(s)), e);
                Assert.True(Math.Abs(log - exact) <= Math.Pow(2, -23), $"width {width}: s = {s:R}, log2 m = {log:R}, expected {exact:R}");
            }
        }
    }

    [Avx512Theory]
    [MemberData(nameof(Widths))]
    public void Exp2_is_within_two_float32_ulps_of_float64(int width)
    {
        var random = new Random(20261128);
        for (int n = 0; n < 20000; n++)
        {
            // hi an exact multiple of 2^-17, as the power's -beta e; rest small.
            float hi = (float)(Math.Round((random.NextDouble() * 240 - 120) * 131072) / 131072);
            float rest = (float)((random.NextDouble() - 0.5) * 2);
            double expected = Math.Pow(2, (double)hi + rest);
            float actual = Exp2(width, hi, rest);
            double ulp = Math.Pow(2, Math.Floor(Math.Log2(expected)) - 23);
            Assert.True(Math.Abs(actual - expected) <= 2 * ulp, $"width {width}: 2^({hi:R} + {rest:R}) = {actual:R}, expected {expected:R}");
        }
    }

    private static (float Log, float E) Log2(int width, float s)
    {
        switch (width)
        {
            case 128:
                Vector128<float> log128 = PowerTables.Log2(Vector128.Create(s), out Vector128<float> e128);
                return (log128[3], e128[3]);
            case 256:
                Vector256<float> log256 = PowerTables.Log2(Vector256.Create(s), out Vector256<float> e256);
                return (log256[7], e256[7]);
            default:
                Vector512<float> log512 = PowerTables.Log2(Vector512.Create(s), out Vector512<float> e512);
                return (log512[15], e512[15]);
        }
    }

    private static float Exp2(int width, float hi, float rest) => width switch
    {
        128 => PowerTables.Exp2(Vector128.Create(hi), Vector128.Create(rest))[3],
        256 => PowerTables.Exp2(Vector256.Create(hi), Vector256.Create(rest))[7],
        _ => PowerTables.Exp2(Vector512.Create(hi), Vector512.Create(rest))[15],
    };
}

/// <summary>A theory that needs AVX-512 with its 128- and 256-bit forms (<see cref="PowerTables.Supported(Vector512{float})"/>); elsewhere it is reported as skipped.</summary>
internal sealed class Avx512TheoryAttribute : TheoryAttribute
{
    public Avx512TheoryAttribute()
    {
        if (!PowerTables.Supported(Vector512<float>.Zero) || !PowerTables.Supported(Vector256<float>.Zero))
        {
            Skip = "needs AVX-512 (vpermps, getmant, scalef)";
        }
    }
}
