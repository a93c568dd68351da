using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Lrn.Gpu;

/// <summary>
/// Local Response Normalization on a GPU through ILGPU: the same parameters (<see cref="LrnParameters"/>, every
/// convention, across and within channels) and shapes (<see cref="LrnShape"/>, both layouts) as the CPU library.
/// <para>
/// Create one per device with <see cref="Cuda"/> (an NVIDIA GPU; a clear <see cref="InvalidOperationException"/> where
/// there is none) or <see cref="CpuEmulation"/> (ILGPU's CPU accelerator, which runs the same kernels slowly: for
/// tests, and machines without CUDA). Then either pass device views (<see cref="ArrayView{T}"/>, allocated on
/// <see cref="Accelerator"/>), which queues the kernels on the accelerator's default stream and returns at once
/// (<see cref="Synchronize"/> waits), or host spans, which copy in, run and copy out.
/// </para>
/// <para>
/// Accuracy (<see cref="GpuAccuracy"/>): float32 forward within <see cref="GpuAccuracy.Float32ForwardUlps"/> of the
/// float64 reference rounded to float32; float64 and every backward computed in float64. Element counts up to
/// <see cref="int.MaxValue"/> per call. An instance is not thread-safe (it owns a stream's scratch); use one per thread.
/// </para>
/// </summary>
public sealed class LrnGpu : IDisposable
{
    private readonly Context _context;
    private readonly Dictionary<string, Delegate> _kernels = [];
    private MemoryBuffer1D<double, Stride1D.Dense>? _scratch;

    private LrnGpu(Context context, Accelerator accelerator)
    {
        _context = context;
        Accelerator = accelerator;
    }

    /// <summary>The ILGPU accelerator the kernels run on: allocate device buffers with it (<c>Accelerator.Allocate1D&lt;float&gt;(n)</c>).</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The device's name, as ILGPU reports it.</summary>
    public string DeviceName => Accelerator.Name;

    /// <summary>True on an NVIDIA GPU, false on the CPU emulation.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The across-channel strategy (<see cref="LrnGpuKernel.Auto"/> unless set).</summary>
    public LrnGpuKernel Kernel { get; set; } = LrnGpuKernel.Auto;

    /// <summary>The first CUDA device's name, or null where ILGPU finds none (no NVIDIA GPU or driver).</summary>
    public static string? FindCuda()
    {
        using Context context = Context.Create(builder => builder.Cuda());
        return context.GetCudaDevices().Count > 0 ? context.GetCudaDevice(0).Name : null;
    }

    /// <summary>LRN on NVIDIA GPU number <paramref name="device"/> (0: the first).</summary>
    /// <exception cref="InvalidOperationException">No CUDA device with that number (the message says what was found).</exception>
    public static LrnGpu Cuda(int device = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        Context context = Context.Create(builder => builder.Cuda().EnableAlgorithms().Math(MathMode.Default));
        int count = context.GetCudaDevices().Count;
        if (device >= count)
        {
            context.Dispose();
            throw new InvalidOperationException(count == 0
                ? "no CUDA device: ILGPU found no NVIDIA GPU and driver on this machine; use LrnGpu.CpuEmulation() to run the GPU kernels on the CPU, or Lrn's CPU API"
                : $"no CUDA device {device}: ILGPU found {count} (0 to {count - 1})");
        }

        return new LrnGpu(context, context.GetCudaDevice(device).CreateAccelerator(context));
    }

    /// <summary>The same kernels on ILGPU's CPU accelerator (slow: it emulates GPU threads). For tests and machines without a GPU.</summary>
    public static LrnGpu CpuEmulation()
    {
        Context context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        return new LrnGpu(context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    /// <summary>Waits until every queued kernel and copy on the default stream has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>
    /// The kernel a float32 call would run: "gpu-ring" or "gpu-direct" across channels; within a channel
    /// "gpu-within-rows" or "gpu-within-direct" for the forward and always "gpu-within-direct" for the
    /// <paramref name="backward"/>. (float64 data takes the within-direct forward, and the ring's local-memory form.)
    /// </summary>
    public string KernelName(LrnShape shape, LrnParameters parameters, bool backward = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Region == LrnRegion.WithinChannel
            ? (!backward && UsesRows(shape, parameters) ? "gpu-within-rows" : "gpu-within-direct")
            : UsesRing(shape, parameters) ? "gpu-ring" : "gpu-direct";
    }

    /// <summary>y = LRN(x) on device memory, queued on the default stream. y must not overlap x.</summary>
    public void Forward(ArrayView<float> x, ArrayView<float> y, LrnShape shape, LrnParameters parameters) =>
        ForwardCore<float, SingleOps>(x, y, shape, parameters);

    /// <inheritdoc cref="Forward(ArrayView{float}, ArrayView{float}, LrnShape, LrnParameters)"/>
    public void Forward(ArrayView<double> x, ArrayView<double> y, LrnShape shape, LrnParameters parameters) =>
        ForwardCore<double, DoubleOps>(x, y, shape, parameters);

    /// <summary>dx from x and dy (y recomputed), on device memory, queued on the default stream. dx must not overlap the inputs.</summary>
    public void Backward(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, LrnShape shape, LrnParameters parameters) =>
        BackwardCore<float, SingleOps>(x, default, false, dy, dx, shape, parameters);

    /// <inheritdoc cref="Backward(ArrayView{float}, ArrayView{float}, ArrayView{float}, LrnShape, LrnParameters)"/>
    public void Backward(ArrayView<double> x, ArrayView<double> dy, ArrayView<double> dx, LrnShape shape, LrnParameters parameters) =>
        BackwardCore<double, DoubleOps>(x, default, false, dy, dx, shape, parameters);

    /// <summary>dx from x, the forward's y and dy, on device memory, queued on the default stream. dx must not overlap the inputs.</summary>
    public void Backward(ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, LrnShape shape, LrnParameters parameters) =>
        BackwardCore<float, SingleOps>(x, y, true, dy, dx, shape, parameters);

    /// <inheritdoc cref="Backward(ArrayView{float}, ArrayView{float}, ArrayView{float}, ArrayView{float}, LrnShape, LrnParameters)"/>
    public void Backward(ArrayView<double> x, ArrayView<double> y, ArrayView<double> dy, ArrayView<double> dx, LrnShape shape, LrnParameters parameters) =>
        BackwardCore<double, DoubleOps>(x, y, true, dy, dx, shape, parameters);

    /// <summary>y = LRN(x) for host memory: copies x in, runs, copies y out, and waits. y may be x (in place).</summary>
    public void Forward(ReadOnlySpan<float> x, Span<float> y, LrnShape shape, LrnParameters parameters) =>
        HostForward<float, SingleOps>(x, y, shape, parameters);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters)"/>
    public void Forward(ReadOnlySpan<double> x, Span<double> y, LrnShape shape, LrnParameters parameters) =>
        HostForward<double, DoubleOps>(x, y, shape, parameters);

    /// <summary>dx from x and dy for host memory: copies in, runs, copies dx out, and waits.</summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnShape shape, LrnParameters parameters) =>
        HostBackward<float, SingleOps>(x, default, false, dy, dx, shape, parameters);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters)"/>
    public void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx, LrnShape shape, LrnParameters parameters) =>
        HostBackward<double, DoubleOps>(x, default, false, dy, dx, shape, parameters);

    /// <summary>dx from x, y and dy for host memory: copies in, runs, copies dx out, and waits.</summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, LrnShape shape, LrnParameters parameters) =>
        HostBackward<float, SingleOps>(x, y, true, dy, dx, shape, parameters);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, LrnShape, LrnParameters)"/>
    public void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx, LrnShape shape, LrnParameters parameters) =>
        HostBackward<double, DoubleOps>(x, y, true, dy, dx, shape, parameters);

    /// <summary>Frees the scratch, the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        _scratch?.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }

    private void HostForward<T, TOps>(ReadOnlySpan<T> x, Span<T> y, LrnShape shape, LrnParameters parameters)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        GpuArgs args = Prepare(shape, parameters);
        RequireLength(x.Length, shape, nameof(x));
        RequireLength(y.Length, shape, nameof(y));
        using MemoryBuffer1D<T, Stride1D.Dense> xBuffer = Accelerator.Allocate1D<T>(x.Length);
        using MemoryBuffer1D<T, Stride1D.Dense> yBuffer = Accelerator.Allocate1D<T>(y.Length);
        ArrayView<T> xd = xBuffer.View, yd = yBuffer.View;
        xd.CopyFromCPU(x);
        LaunchForward<T, TOps>(xd, yd, shape, parameters, args);
        yd.CopyToCPU(y);
        Accelerator.Synchronize();
    }

    private void HostBackward<T, TOps>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, bool hasY, ReadOnlySpan<T> dy, Span<T> dx, LrnShape shape, LrnParameters parameters)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        GpuArgs args = Prepare(shape, parameters);
        RequireLength(x.Length, shape, nameof(x));
        if (hasY)
        {
            RequireLength(y.Length, shape, nameof(y));
        }

        RequireLength(dy.Length, shape, nameof(dy));
        RequireLength(dx.Length, shape, nameof(dx));
        using MemoryBuffer1D<T, Stride1D.Dense> xBuffer = Accelerator.Allocate1D<T>(x.Length);
        using MemoryBuffer1D<T, Stride1D.Dense> yBuffer = Accelerator.Allocate1D<T>(hasY ? y.Length : 1);
        using MemoryBuffer1D<T, Stride1D.Dense> dyBuffer = Accelerator.Allocate1D<T>(dy.Length);
        using MemoryBuffer1D<T, Stride1D.Dense> dxBuffer = Accelerator.Allocate1D<T>(dx.Length);
        ArrayView<T> xd = xBuffer.View, yd = yBuffer.View, dyd = dyBuffer.View, dxd = dxBuffer.View;
        xd.CopyFromCPU(x);
        if (hasY)
        {
            yd.CopyFromCPU(y);
        }

        dyd.CopyFromCPU(dy);
        args.HasY = hasY ? 1 : 0;
        LaunchBackward<T, TOps>(xd, hasY ? yd : xd, dyd, dxd, shape, parameters, args);
        dxd.CopyToCPU(dx);
        Accelerator.Synchronize();
    }

    private void ForwardCore<T, TOps>(ArrayView<T> x, ArrayView<T> y, LrnShape shape, LrnParameters parameters)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        GpuArgs args = Prepare(shape, parameters);
        RequireView(x, shape, nameof(x));
        RequireView(y, shape, nameof(y));
        RequireApart(y, x, nameof(y), nameof(x));
        LaunchForward<T, TOps>(x, y, shape, parameters, args);
    }

    private void BackwardCore<T, TOps>(ArrayView<T> x, ArrayView<T> y, bool hasY, ArrayView<T> dy, ArrayView<T> dx, LrnShape shape, LrnParameters parameters)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        GpuArgs args = Prepare(shape, parameters);
        RequireView(x, shape, nameof(x));
        if (hasY)
        {
            RequireView(y, shape, nameof(y));
            RequireApart(dx, y, nameof(dx), nameof(y));
        }

        RequireView(dy, shape, nameof(dy));
        RequireView(dx, shape, nameof(dx));
        RequireApart(dx, x, nameof(dx), nameof(x));
        RequireApart(dx, dy, nameof(dx), nameof(dy));
        args.HasY = hasY ? 1 : 0;
        LaunchBackward<T, TOps>(x, hasY ? y : x, dy, dx, shape, parameters, args);
    }

    private void LaunchForward<T, TOps>(ArrayView<T> x, ArrayView<T> y, LrnShape shape, LrnParameters parameters, GpuArgs args)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        if (args.Total == 0)
        {
            return;
        }

        bool single = typeof(T) == typeof(float);
        if (parameters.Region == LrnRegion.WithinChannel)
        {
            if (single && UsesRows(shape, parameters))
            {
                int items = args.Total / args.D1 * ((args.D1 + WithinKernels.RowChunk - 1) / WithinKernels.RowChunk);
                Cached("within-rows-forward", typeof(float), () => Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, GpuArgs, SpecializedValue<int>>(WithinKernels.ForwardRows))(
                    items, Single(x), Single(y), args, SpecializedValue.New(parameters.WindowLength));
            }
            else
            {
                Load<T>("within-forward", WithinKernels.Forward<T, TOps>)(args.Total, x, y, args);
            }
        }
        else if (UsesRing(shape, parameters) && single && parameters.WindowLength <= Slots.Length)
        {
            int items = args.Outer * args.Inner * ((args.Channels + AcrossKernels.ChannelChunk - 1) / AcrossKernels.ChannelChunk);
            Cached("slots-forward", typeof(float), () => Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, GpuArgs, SpecializedValue<int>, SpecializedValue<int>>(AcrossKernels.ForwardSlots))(
                items, Single(x), Single(y), args, SpecializedValue.New(parameters.WindowLength), SpecializedValue.New(parameters.Hi));
        }
        else if (UsesRing(shape, parameters))
        {
            Load<T>("ring-forward", AcrossKernels.ForwardRing<T, TOps>)(args.Outer * args.Inner, x, y, args);
        }
        else
        {
            Load<T>("direct-forward", AcrossKernels.ForwardDirect<T, TOps>)(args.Total, x, y, args);
        }
    }

    private void LaunchBackward<T, TOps>(ArrayView<T> x, ArrayView<T> y, ArrayView<T> dy, ArrayView<T> dx, LrnShape shape, LrnParameters parameters, GpuArgs args)
        where T : unmanaged
        where TOps : struct, IElementOps<T>
    {
        if (args.Total == 0)
        {
            return;
        }

        if (parameters.Region != LrnRegion.WithinChannel && UsesRing(shape, parameters) && typeof(T) == typeof(float) && parameters.WindowLength <= Slots.Length)
        {
            int items = args.Outer * args.Inner * ((args.Channels + AcrossKernels.ChannelChunk - 1) / AcrossKernels.ChannelChunk);
            Cached("slots-backward", typeof(float), () => Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuArgs, SpecializedValue<int>, SpecializedValue<int>>(AcrossKernels.BackwardSlots))(
                items, Single(x), Single(y), Single(dy), Single(dx), args,
                SpecializedValue.New(parameters.WindowLength), SpecializedValue.New(parameters.Lo));
            return;
        }

        if (parameters.Region != LrnRegion.WithinChannel && UsesRing(shape, parameters))
        {
            Load<T>("ring-backward", AcrossKernels.BackwardRing<T, TOps>)(
                args.Outer * args.Inner, x, y, dy, dx, args);
            return;
        }

        ArrayView<double> t = Scratch(args.Total);
        if (parameters.Region == LrnRegion.WithinChannel)
        {
            Load<T>("within-terms", WithinKernels.BackwardTerms<T, TOps>)(args.Total, x, y, dy, t, args);
            Load<T>("within-combine", WithinKernels.BackwardCombine<T, TOps>)(args.Total, x, dy, t, dx, args);
        }
        else
        {
            Load<T>("direct-terms", AcrossKernels.BackwardTerms<T, TOps>)(args.Total, x, y, dy, t, args);
            Load<T>("direct-combine", AcrossKernels.BackwardCombine<T, TOps>)(args.Total, x, dy, t, dx, args);
        }
    }

    /// <summary>The row-window within-channel forward: float32 channels-first, two spatial axes, a box of up to 16 on a side.</summary>
    private bool UsesRows(LrnShape shape, LrnParameters parameters) =>
        Kernel != LrnGpuKernel.Direct
        && parameters.Region == LrnRegion.WithinChannel
        && shape.Layout == LrnLayout.ChannelsFirst
        && shape.Rank == 4
        && parameters.WindowLength <= Slots.Length;

    private bool UsesRing(LrnShape shape, LrnParameters parameters) =>
        Kernel != LrnGpuKernel.Direct
        && parameters.Region == LrnRegion.AcrossChannels
        && shape.Layout == LrnLayout.ChannelsFirst
        && shape.SpatialSize > 1
        && parameters.WindowLength <= AcrossKernels.RingLength;

    /// <summary>The kernel for (name, element type), compiled on first use (on CUDA: PTX, a second or so) and kept.</summary>
    private TDelegate Cached<TDelegate>(string name, Type element, Func<TDelegate> load)
        where TDelegate : Delegate
    {
        string key = name + "/" + element.Name;
        if (!_kernels.TryGetValue(key, out Delegate? kernel))
        {
            kernel = load();
            _kernels[key] = kernel;
        }

        return (TDelegate)kernel;
    }

    private Action<Index1D, ArrayView<T>, ArrayView<T>, GpuArgs> Load<T>(string name, Action<Index1D, ArrayView<T>, ArrayView<T>, GpuArgs> source)
        where T : unmanaged =>
        Cached(name, typeof(T), () => Accelerator.LoadAutoGroupedStreamKernel(source));

    private Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, GpuArgs> Load<T>(
        string name, Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, GpuArgs> source)
        where T : unmanaged =>
        Cached(name, typeof(T), () => Accelerator.LoadAutoGroupedStreamKernel(source));

    private Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<T>, GpuArgs> Load<T>(
        string name, Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<double>, ArrayView<T>, GpuArgs> source)
        where T : unmanaged =>
        Cached(name, typeof(T), () => Accelerator.LoadAutoGroupedStreamKernel(source));

    private Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, GpuArgs> Load<T>(
        string name, Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, GpuArgs> source)
        where T : unmanaged =>
        Cached(name, typeof(T), () => Accelerator.LoadAutoGroupedStreamKernel(source));

    /// <summary>The same view typed as float: only called where T is float (the float32-only kernels), so no conversion happens.</summary>
    private static ArrayView<float> Single<T>(ArrayView<T> view)
        where T : unmanaged
    {
        System.Diagnostics.Debug.Assert(typeof(T) == typeof(float), "a float32 kernel on other data");
        return System.Runtime.CompilerServices.Unsafe.As<ArrayView<T>, ArrayView<float>>(ref view);
    }

    private ArrayView<double> Scratch(long length)
    {
        if (_scratch is null || _scratch.Length < length)
        {
            _scratch?.Dispose();
            _scratch = Accelerator.Allocate1D<double>(length);
        }

        return _scratch.View.SubView(0, length);
    }

    private static GpuArgs Prepare(LrnShape shape, LrnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        return GpuPlan.Args(shape, parameters);
    }

    private static void RequireLength(int length, LrnShape shape, string name)
    {
        if (length != shape.ElementCount)
        {
            throw new ArgumentException($"{name}.Length must equal the shape's element count {shape.ElementCount} ({shape}), got {length}", name);
        }
    }

    private static void RequireView<T>(ArrayView<T> view, LrnShape shape, string name)
        where T : unmanaged
    {
        if (view.Length != shape.ElementCount)
        {
            throw new ArgumentException($"{name}.Length must equal the shape's element count {shape.ElementCount} ({shape}), got {view.Length}", name);
        }
    }

    private static void RequireApart<T>(ArrayView<T> written, ArrayView<T> read, string writtenName, string readName)
        where T : unmanaged
    {
        if (written.Length == 0 || read.Length == 0 || !ReferenceEquals(((IArrayView)written).Buffer, ((IArrayView)read).Buffer))
        {
            return;
        }

        long a0 = ((IContiguousArrayView)written).Index, a1 = a0 + written.Length;
        long b0 = ((IContiguousArrayView)read).Index, b1 = b0 + read.Length;
        if (a0 < b1 && b0 < a1)
        {
            throw new ArgumentException($"{writtenName} must not overlap {readName} on the device (the GPU kernels do not run in place; the host-span overloads do)", writtenName);
        }
    }
}
