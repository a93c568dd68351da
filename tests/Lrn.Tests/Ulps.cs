namespace Lrn.Tests;

/// <summary>Distance in units in the last place, on the ordered integer line (so +0 and -0 are 0 apart, and sign changes count through zero).</summary>
internal static class Ulps
{
    public static long Between(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        return Math.Abs((long)Ordered(a) - Ordered(b));
    }

    public static long Between(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        }

        Int128 d = (Int128)Ordered(a) - Ordered(b);
        d = d < 0 ? -d : d;
        return d > long.MaxValue ? long.MaxValue : (long)d;
    }

    private static int Ordered(float v)
    {
        int bits = BitConverter.SingleToInt32Bits(v);
        return bits < 0 ? int.MinValue - bits : bits;
    }

    private static long Ordered(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        return bits < 0 ? long.MinValue - bits : bits;
    }
}
