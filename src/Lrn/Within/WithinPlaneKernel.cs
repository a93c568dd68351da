using System.Numerics;
using System.Runtime.Intrinsics;

namespace Lrn.Within;

/// <summary>
/// The within-channel plane kernel (direct separable box sums for channels-first tensors with two spatial axes; see
/// WithinPlaneVector512Kernel.cs) at the width a kernel kind runs: the SIMD kinds their own width, the scalar kind (Auto
/// is resolved before) the widest accelerated one. Until 2026-11-28 it ran only where Vector512 is accelerated; on a
/// Zen 2 EPYC (AVX2) the Vector256 plane took AlexNet norm1 [8,96,55,55] within channel (n = 5, two threads) from the
/// block-sum kernel's 8.1 ms to 2.0 (float32, beta 0.75), 8.7 to 6.1 (float64).
/// </summary>
internal static unsafe class WithinPlaneKernel
{
    public const string Name = "plane";

    /// <summary>
    /// The widest window, per axis, summed directly: n adds per vector down the rows and n along the row. Wider windows
    /// go to the block-sum kernel, whose cost does not depend on n. The same limit as the across-channel SIMD kernels'.
    /// </summary>
    public const int DirectWindowMax = 16;

    /// <summary>The vector width in bits the plane kernel runs at for <paramref name="kind"/>; 0 where no width is accelerated.</summary>
    private static int Width(LrnKernelKind kind) => kind switch
    {
        LrnKernelKind.Vector512 => 512,
        LrnKernelKind.Vector256 => 256,
        LrnKernelKind.Vector128 => 128,
        _ => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0,
    };

    /// <summary>Whether the plane kernel computes the forward of <paramref name="plan"/> under <paramref name="kind"/>.</summary>
    public static bool Handles(WithinPlan plan, LrnKernelKind kind) => Width(kind) switch
    {
        512 => WithinPlaneVector512Kernel.Handles(plan),
        256 => WithinPlaneVector256Kernel.Handles(plan),
        128 => WithinPlaneVector128Kernel.Handles(plan),
        _ => false,
    };

    /// <summary>Whether the plane kernel computes the backward of <paramref name="plan"/> under <paramref name="kind"/> (float64 arithmetic).</summary>
    public static bool HandlesBackward(WithinPlan plan, LrnKernelKind kind) => Width(kind) switch
    {
        512 => WithinPlaneVector512Kernel.HandlesBackward(plan),
        256 => WithinPlaneVector256Kernel.HandlesBackward(plan),
        128 => WithinPlaneVector128Kernel.HandlesBackward(plan),
        _ => false,
    };

    /// <summary>dx for every plane at <paramref name="kind"/>'s width (see <see cref="HandlesBackward"/>); <paramref name="y"/> may be null.</summary>
    public static void Backward<T>(WithinPlan plan, LrnKernelKind kind, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Width(kind))
        {
            case 512: WithinPlaneVector512Kernel.Backward(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            case 256: WithinPlaneVector256Kernel.Backward(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
            default: WithinPlaneVector128Kernel.Backward(plan, x, y, dy, dx, maxDegreeOfParallelism); break;
        }
    }

    /// <summary>
    /// y = x s^-beta for every plane, at <paramref name="kind"/>'s width (see <see cref="Handles"/>, which the caller
    /// checked). <paramref name="float32Arithmetic"/>: whether float32 data may be computed in float32 where its values allow.
    /// </summary>
    public static void Forward<T>(WithinPlan plan, LrnKernelKind kind, T* x, T* y, bool float32Arithmetic, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (Width(kind))
        {
            case 512: WithinPlaneVector512Kernel.Forward(plan, x, y, float32Arithmetic, maxDegreeOfParallelism); break;
            case 256: WithinPlaneVector256Kernel.Forward(plan, x, y, float32Arithmetic, maxDegreeOfParallelism); break;
            default: WithinPlaneVector128Kernel.Forward(plan, x, y, float32Arithmetic, maxDegreeOfParallelism); break;
        }
    }
}
