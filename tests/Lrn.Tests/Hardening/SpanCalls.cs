using System.Globalization;
using System.Runtime.InteropServices;

namespace Lrn.Tests;

/// <summary>
/// The public API's float and double overloads behind one generic signature over spans (so native memory can be passed),
/// and a bit-for-bit comparison that reports the first difference with its coordinates.
/// </summary>
internal static class SpanCalls
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, LrnShape shape, LrnParameters p, LrnOptions options)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            LocalResponseNorm.Forward(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), shape, p, options);
        }
        else
        {
            LocalResponseNorm.Forward(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y), shape, p, options);
        }
    }

    /// <summary>dx from x and dy (the forward recomputed).</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, LrnShape shape, LrnParameters p, LrnOptions options)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            LocalResponseNorm.Backward(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx), shape, p, options);
        }
        else
        {
            LocalResponseNorm.Backward(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(dy), MemoryMarshal.Cast<T, double>(dx), shape, p, options);
        }
    }

    /// <summary>dx from x, the forward output y and dy (Caffe's form).</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, LrnShape shape, LrnParameters p, LrnOptions options)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            LocalResponseNorm.Backward(
                MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx), shape, p, options);
        }
        else
        {
            LocalResponseNorm.Backward(
                MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(dy), MemoryMarshal.Cast<T, double>(dx), shape, p, options);
        }
    }

    /// <summary>Asserts <paramref name="actual"/> has exactly the bits of <paramref name="expected"/> (NaN payloads and the sign of zero included).</summary>
    public static void AssertSameBits<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, LrnShape shape, string context)
        where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<byte> e = MemoryMarshal.AsBytes(expected);
        ReadOnlySpan<byte> a = MemoryMarshal.AsBytes(actual);
        if (e.SequenceEqual(a))
        {
            return;
        }

        int size = e.Length / Math.Max(expected.Length, 1);
        int at = e.CommonPrefixLength(a) / size;
        int differing = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            differing += e.Slice(i * size, size).SequenceEqual(a.Slice(i * size, size)) ? 0 : 1;
        }

        Assert.Fail(string.Create(
            CultureInfo.InvariantCulture,
            $"{context}: {differing} of {expected.Length} elements differ in their bits on {shape}; the first at {TestData.Coordinates(shape, at)}: expected {expected[at]}, got {actual[at]}"));
    }
}
