using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lrn.Kernels;

/// <summary>
/// Conversions between a kernel's storage type (float or double) and the float64 it computes in.
/// The type tests fold away when the JIT specializes a generic method for a value type.
/// </summary>
internal static class Num
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Unsafe.As<T, float>(ref value);
        }

        if (typeof(T) == typeof(double))
        {
            return Unsafe.As<T, double>(ref value);
        }

        return double.CreateTruncating(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float f = (float)value;
            return Unsafe.As<float, T>(ref f);
        }

        if (typeof(T) == typeof(double))
        {
            return Unsafe.As<double, T>(ref value);
        }

        return T.CreateTruncating(value);
    }
}
