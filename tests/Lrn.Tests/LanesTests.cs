using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

#pragma warning disable CA1857 // every shift in a loop: the JIT takes an immediate that is not a constant through a table

/// <summary>
/// <see cref="Lanes"/>' slides across two vectors, which the channels-last windows take from neighbouring vectors of
/// channels: AVX-512's valign where there is AVX-512, else AVX2's vperm2f128 and vpalignr (256 bits) or SSSE3's
/// palignr (128): every shift, float and double, against the lanes of the two vectors laid end to end.
/// </summary>
public class LanesTests
{
    [Fact]
    public void Slides_take_the_lanes_from_the_shift_on_of_the_two_vectors_end_to_end()
    {
        int checkedWidths = 0;
        if (Lanes.Supported(Vector128<float>.Zero))
        {
            checkedWidths++;
            for (byte shift = 0; shift <= 4; shift++)
            {
                Check(128, shift, Lanes.Slide(Vector128.Create(0f, 1, 2, 3), Vector128.Create(4f, 5, 6, 7), shift), 4);
            }

            for (byte shift = 0; shift <= 2; shift++)
            {
                Check(128, shift, Lanes.Slide(Vector128.Create(0d, 1), Vector128.Create(2d, 3), shift), 2);
            }
        }

        if (Lanes.Supported(Vector256<float>.Zero))
        {
            checkedWidths++;
            for (byte shift = 0; shift <= 8; shift++)
            {
                Check(256, shift, Lanes.Slide(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(8f, 9, 10, 11, 12, 13, 14, 15), shift), 8);
            }

            for (byte shift = 0; shift <= 4; shift++)
            {
                Check(256, shift, Lanes.Slide(Vector256.Create(0d, 1, 2, 3), Vector256.Create(4d, 5, 6, 7), shift), 4);
            }

            for (byte back = 1; back <= 2; back++)
            {
                Check(256, (byte)(8 - back), Lanes.SlideBack(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(8f, 9, 10, 11, 12, 13, 14, 15), back), 8);
            }
        }

        if (Lanes.Supported(Vector512<float>.Zero))
        {
            checkedWidths++;
            float[] lanes = [.. Enumerable.Range(0, 32).Select(i => (float)i)];
            for (byte shift = 0; shift <= 16; shift++)
            {
                Check(512, shift, Lanes.Slide(Vector512.Create(lanes.AsSpan(0, 16)), Vector512.Create(lanes.AsSpan(16, 16)), shift), 16);
            }
        }

        Assert.True(checkedWidths > 0, "no width slides on this machine");
    }

    private static void Check<T>(int width, int shift, Vector128<T> actual, int count)
        where T : System.Numerics.INumber<T> => Check(width, shift, [.. Enumerable.Range(0, count).Select(lane => actual.GetElement(lane))], count);

    private static void Check<T>(int width, int shift, Vector256<T> actual, int count)
        where T : System.Numerics.INumber<T> => Check(width, shift, [.. Enumerable.Range(0, count).Select(lane => actual.GetElement(lane))], count);

    private static void Check<T>(int width, int shift, Vector512<T> actual, int count)
        where T : System.Numerics.INumber<T> => Check(width, shift, [.. Enumerable.Range(0, count).Select(lane => actual.GetElement(lane))], count);

    /// <summary>Lanes 0, 1, ... of the two vectors hold 0, 1, ... 2 Count - 1: the slide must hold shift .. shift + Count - 1.</summary>
    private static void Check<T>(int width, int shift, T[] actual, int count)
        where T : System.Numerics.INumber<T>
    {
        for (int lane = 0; lane < count; lane++)
        {
            Assert.True(actual[lane] == T.CreateChecked(shift + lane), $"{width} bits, {typeof(T).Name}, shift {shift}: lane {lane} holds {actual[lane]}, not {shift + lane}");
        }
    }
}
