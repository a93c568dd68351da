using System.Numerics;
using Lrn.Kernels;
using Lrn.Within;

namespace Lrn;

/// <summary>
/// Local Response Normalization across channels, forward and backward, for float and double tensors.
/// <code>
/// s_c  = k + a * sum_{j = c-lo .. c+hi, 0 &lt;= j &lt; C} x_j^2
/// y_c  = x_c * s_c^(-beta)
/// dx_j = dy_j * s_j^(-beta) - 2*a*beta * x_j * sum_{c = j-hi .. j+lo, 0 &lt;= c &lt; C} dy_c * y_c / s_c
/// </code>
/// at every batch index and spatial position, with (lo, hi, a, k, beta) from <see cref="LrnParameters"/>.
/// <para>
/// Within channel (<see cref="LrnParameters.Region"/> = <see cref="LrnRegion.WithinChannel"/>: caffe-within, cudnn-within,
/// onednn-within) the window is a box of n positions along each spatial axis, centred on p, zero padded, in p's channel:
/// <c>s_p = k + a * sum_{q in N(p)} x_q^2</c>, <c>y_p = x_p * s_p^(-beta)</c>, and the backward sums over the mirrored box.
/// That needs a spatial axis (rank &gt;= 3). <see cref="LrnKernelKind.Reference"/> runs the formula; every other kernel
/// kind runs separable block sums whose cost does not depend on n. Accuracy, threading and errors are as across channels.
/// </para>
/// <para>
/// Layout: contiguous row-major memory described by an <see cref="LrnShape"/>, channels-first or channels-last, rank &gt;= 2.
/// </para>
/// <para>
/// Accuracy: the scalar kernel computes in float64 whatever the storage type, so its float32 results are within 1
/// float32 ulp of the float64 reference. The SIMD kernels compute float32 data in float32 arithmetic (twice the lanes)
/// wherever a block's values keep every square, sum and product a normal float32: the forward within 5 + beta (n + 2)
/// float32 ulps, the backward within (13 + n + (beta + 1)(n + 2)) 2^-24 of the magnitude of dx's two terms; any other
/// block (huge, tiny, NaN or infinite values) is computed in float64, so x^2 never overflows where the reference does
/// not. Double results are within a few float64 ulps times the window length. The test suite states each bound in one
/// place (<c>Tolerance</c>); the README's Accuracy section lists which paths take float32 arithmetic.
/// </para>
/// <para>
/// Threading: a call splits the tensor into work items fixed by the shape alone and may run them on several threads
/// (see <see cref="LrnOptions.MaxDegreeOfParallelism"/>). Results are bit-identical for any thread count. Calls on
/// different outputs may run concurrently.
/// </para>
/// <para>
/// Errors: every argument is checked before anything is written; a broken rule throws <see cref="ArgumentException"/>
/// naming the argument.
/// </para>
/// </summary>
public static class LocalResponseNorm
{
    /// <summary>Computes y from x. In place is supported: <paramref name="y"/> may be the very span <paramref name="x"/> (same start and length); any other overlap is rejected.</summary>
    /// <param name="x">Input, <see cref="LrnShape.ElementCount"/> elements.</param>
    /// <param name="y">Output, the same length as <paramref name="x"/>.</param>
    /// <param name="shape">Dimensions and layout of x and y.</param>
    /// <param name="parameters">The convention and its parameters.</param>
    /// <param name="options">Kernel and parallelism; null for <see cref="LrnOptions.Default"/>.</param>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        ForwardCore(x, y, shape, parameters, options);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters, LrnOptions?)"/>
    public static void Forward(ReadOnlySpan<double> x, Span<double> y, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        ForwardCore(x, y, shape, parameters, options);

    /// <summary>
    /// Computes dx = dL/dx from x and dy = dL/dy, recomputing the forward scales. <paramref name="dx"/> must not overlap any input.
    /// Even windows are asymmetric; the backward uses the mirrored window [j-hi, j+lo], as every framework's gradient must.
    /// </summary>
    /// <param name="x">The forward input.</param>
    /// <param name="dy">The gradient with respect to the forward output.</param>
    /// <param name="dx">Receives the gradient with respect to x.</param>
    /// <param name="shape">Dimensions and layout of every tensor.</param>
    /// <param name="parameters">The convention and its parameters.</param>
    /// <param name="options">Kernel and parallelism; null for <see cref="LrnOptions.Default"/>.</param>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        BackwardCore(x, default, hasY: false, dy, dx, shape, parameters, options);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters, LrnOptions?)"/>
    public static void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        BackwardCore(x, default, hasY: false, dy, dx, shape, parameters, options);

    /// <summary>
    /// Computes dx = dL/dx from x, the forward output y and dy = dL/dy, as Caffe does: the y_c in the sum is taken
    /// from <paramref name="y"/> rather than recomputed. <paramref name="dx"/> must not overlap any input.
    /// </summary>
    /// <param name="x">The forward input.</param>
    /// <param name="y">The forward output for x with the same parameters.</param>
    /// <param name="dy">The gradient with respect to y.</param>
    /// <param name="dx">Receives the gradient with respect to x.</param>
    /// <param name="shape">Dimensions and layout of every tensor.</param>
    /// <param name="parameters">The convention and its parameters.</param>
    /// <param name="options">Kernel and parallelism; null for <see cref="LrnOptions.Default"/>.</param>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        BackwardCore(x, y, hasY: true, dy, dx, shape, parameters, options);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters, LrnOptions?)"/>
    public static void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx, LrnShape shape, LrnParameters parameters, LrnOptions? options = null) =>
        BackwardCore(x, y, hasY: true, dy, dx, shape, parameters, options);

    /// <summary>The name of the kernel a call with these options would run ("scalar", "reference").</summary>
    public static string KernelName(LrnOptions? options = null) => KernelRegistry.Select((options ?? LrnOptions.Default).Kernel).Name;

    /// <summary>
    /// The name of the kernel a call with these parameters and options would run: for within-channel parameters
    /// "within-reference" or "within-block-sum", otherwise as <see cref="KernelName(LrnOptions?)"/>.
    /// </summary>
    public static string KernelName(LrnParameters parameters, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        LrnKernel kernel = KernelRegistry.Select((options ?? LrnOptions.Default).Kernel);
        if (parameters.Region != LrnRegion.WithinChannel)
        {
            return kernel.Name;
        }

        return "within-" + (kernel.Kind == LrnKernelKind.Reference ? WithinReferenceKernel.Name : WithinBlockSumKernel.Name);
    }

    /// <summary>
    /// The name of the kernel a forward call with this shape, these parameters and options would run. As
    /// <see cref="KernelName(LrnParameters, LrnOptions?)"/>, except that it can tell the within-channel plane kernel
    /// ("within-plane": channels-first, two spatial axes, windows up to 16 per axis) from the block-sum kernel.
    /// </summary>
    public static string KernelName(LrnShape shape, LrnParameters parameters, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string name = KernelName(parameters, options);
        LrnKernelKind kind = KernelRegistry.Select((options ?? LrnOptions.Default).Kernel).Kind;
        return parameters.Region == LrnRegion.WithinChannel && name != "within-" + WithinReferenceKernel.Name
            && shape.ElementCount > 0 && shape.Rank >= 3 && WithinPlaneKernel.Handles(new WithinPlan(shape, parameters), kind)
            ? "within-" + WithinPlaneKernel.Name
            : name;
    }

    private static unsafe void ForwardCore<T>(ReadOnlySpan<T> x, Span<T> y, LrnShape shape, LrnParameters parameters, LrnOptions? options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (LrnKernel kernel, int threads) = Prepare(shape, parameters, options);
        RequireLength(x.Length, shape, nameof(x));
        RequireLength(y.Length, shape, nameof(y));
        ReadOnlySpan<T> yRead = y;
        if (yRead.Overlaps(x, out int offset) && offset != 0)
        {
            throw new ArgumentException("y must be x itself (in place) or not overlap x; it overlaps x at an offset of " + offset + " elements", nameof(y));
        }

        if (parameters.Region == LrnRegion.WithinChannel)
        {
            WithinChannel.Forward(x, y, shape, parameters, kernel.Kind, threads);
            return;
        }

        // In place the kernels do not stream (their one-pass loops would write rows they have yet to read), so the
        // plan keeps its usual items.
        bool inPlace = yRead.Overlaps(x);
        var plan = Plan(kernel, shape, parameters, streamable: typeof(T) == typeof(float) && kernel.StreamsFloat32Outputs && !inPlace);
        fixed (T* px = x)
        fixed (T* py = y)
        {
            kernel.Forward(plan, px, py, threads);
        }
    }

    private static unsafe void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, bool hasY, ReadOnlySpan<T> dy, Span<T> dx, LrnShape shape, LrnParameters parameters, LrnOptions? options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (LrnKernel kernel, int threads) = Prepare(shape, parameters, options);
        RequireLength(x.Length, shape, nameof(x));
        if (hasY)
        {
            RequireLength(y.Length, shape, nameof(y));
        }

        RequireLength(dy.Length, shape, nameof(dy));
        RequireLength(dx.Length, shape, nameof(dx));
        ReadOnlySpan<T> dxRead = dx;
        if (dxRead.Overlaps(x) || dxRead.Overlaps(dy) || (hasY && dxRead.Overlaps(y)))
        {
            throw new ArgumentException("dx must not overlap x, y or dy (the backward does not run in place)", nameof(dx));
        }

        if (parameters.Region == LrnRegion.WithinChannel)
        {
            WithinChannel.Backward(x, y, hasY, dy, dx, shape, parameters, kernel.Kind, threads);
            return;
        }

        var plan = Plan(kernel, shape, parameters);
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
        {
            kernel.Backward(plan, px, hasY ? py : null, pdy, pdx, threads);
        }
    }

    private static (LrnKernel Kernel, int Threads) Prepare(LrnShape shape, LrnParameters parameters, LrnOptions? options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= LrnOptions.Default;
        int threads = options.MaxDegreeOfParallelism;
        if (threads is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"options.MaxDegreeOfParallelism must be -1 or >= 1, got {threads}");
        }

        return (KernelRegistry.Select(options.Kernel), threads);
    }

    /// <summary>The plan, once the kernel's scratch for it is known to fit in an array: a channel axis in the tens of millions would not.</summary>
    private static LrnPlan Plan(LrnKernel kernel, LrnShape shape, LrnParameters parameters, bool streamable = false)
    {
        var plan = new LrnPlan(shape, parameters, streamable);
        long scratch = kernel.ScratchLength(plan);
        if (scratch > Array.MaxLength)
        {
            throw new ArgumentException(
                $"shape {shape} with a window of {plan.Width} channels needs {scratch} doubles of scratch per work item in the {kernel.Name} kernel, more than one array holds ({Array.MaxLength}); it has too many channels",
                nameof(shape));
        }

        return plan;
    }

    private static void RequireLength(int length, LrnShape shape, string name)
    {
        if (length != shape.ElementCount)
        {
            throw new ArgumentException($"{name}.Length must equal the shape's element count {shape.ElementCount} ({shape}), got {length}", name);
        }
    }
}
