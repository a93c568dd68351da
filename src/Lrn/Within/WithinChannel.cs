using System.Numerics;

namespace Lrn.Within;

/// <summary>
/// Within-channel LRN (<see cref="LrnRegion.WithinChannel"/>): <see cref="LocalResponseNorm"/> hands its calls here once
/// the spans' lengths and overlaps are checked. Three implementations: the reference (<see cref="WithinReferenceKernel"/>,
/// chosen by <see cref="LrnKernelKind.Reference"/>); for every other kernel kind, the plane kernel
/// (<see cref="WithinPlaneKernel"/>, at the kind's vector width, the widest accelerated for Scalar) for the forward of
/// channels-first tensors with two spatial axes and windows of at most <see cref="WithinPlaneKernel.DirectWindowMax"/>
/// per axis (float32 arithmetic for float32 data under the SIMD kinds, float64 under the scalar kind) and its backward
/// (float64 arithmetic), and the block-sum kernel (<see cref="WithinBlockSumKernel"/>) for every other shape (the
/// across-channel kernels are built around a window along the channel axis).
/// </summary>
internal static unsafe class WithinChannel
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, LrnShape shape, LrnParameters parameters, LrnKernelKind kind, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new WithinPlan(shape, parameters);
        bool reference = kind == LrnKernelKind.Reference;
        bool plane = !reference && !plan.IsEmpty && WithinPlaneKernel.Handles(plan, kind);
        if (!reference && !plane)
        {
            RequireScratch(plan, planes: 1, shape);
        }

        if (plan.IsEmpty)
        {
            return;
        }

        fixed (T* px = x)
        fixed (T* py = y)
        {
            if (reference)
            {
                WithinReferenceKernel.Forward(plan, px, py);
            }
            else if (plane)
            {
                WithinPlaneKernel.Forward(plan, kind, px, py, Float32Arithmetic(kind), maxDegreeOfParallelism);
            }
            else
            {
                WithinBlockSumKernel.Forward(plan, px, py, maxDegreeOfParallelism);
            }
        }
    }

    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, bool hasY, ReadOnlySpan<T> dy, Span<T> dx, LrnShape shape, LrnParameters parameters, LrnKernelKind kind, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new WithinPlan(shape, parameters);
        bool reference = kind == LrnKernelKind.Reference;
        bool plane = !reference && !plan.IsEmpty && WithinPlaneKernel.HandlesBackward(plan, kind);
        if (!reference && !plane)
        {
            RequireScratch(plan, planes: 2, shape);
        }

        if (plan.IsEmpty)
        {
            return;
        }

        fixed (T* px = x)
        fixed (T* py = y)
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
        {
            T* yOrNull = hasY ? py : null;
            if (reference)
            {
                WithinReferenceKernel.Backward(plan, px, yOrNull, pdy, pdx);
            }
            else if (plane)
            {
                WithinPlaneKernel.Backward(plan, kind, px, yOrNull, pdy, pdx, maxDegreeOfParallelism);
            }
            else
            {
                WithinBlockSumKernel.Backward(plan, px, yOrNull, pdy, pdx, maxDegreeOfParallelism);
            }
        }
    }

    /// <summary>
    /// Whether float32 data may be computed in float32 arithmetic (<see cref="WithinPlaneKernel"/>, within
    /// Tolerance.Float32ArithmeticUlps): for the SIMD kernel kinds, as across channels; the scalar kind computes in float64.
    /// </summary>
    private static bool Float32Arithmetic(LrnKernelKind kind) =>
        kind is LrnKernelKind.Vector512 or LrnKernelKind.Vector256 or LrnKernelKind.Vector128;

    // The block-sum kernel keeps an item's plane of doubles in one pooled array; a plane too large for that is refused
    // before anything is written (the reference has no such limit).
    private static void RequireScratch(WithinPlan plan, int planes, LrnShape shape)
    {
        long length = WithinBlockSumKernel.ScratchLength(plan, planes);
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"shape must have a spatial plane the within-channel block-sum kernel can hold: {plan.Positions} positions need {length} doubles of scratch per work item, beyond the largest .NET array; got {shape} (the reference kernel has no such limit)",
                nameof(shape));
        }
    }
}
