using System.Numerics;

namespace Lrn.Kernels;

/// <summary>
/// An implementation of LRN across channels. Kernels get a validated <see cref="LrnPlan"/> and pointers to memory
/// the caller has pinned and checked: x and y have the plan's element count, y is either x itself or disjoint from it,
/// and dx is disjoint from everything else.
/// </summary>
/// <remarks>
/// The fast kernels' methods with hot loops (and the within-channel kernels') are
/// <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c>: compiled fully optimized on their first call instead
/// of starting as tier-0 code that the runtime recompiles later in the background. With every core busy in the
/// kernel that background compile waited, and whole runs of `lrn bench` (dozens of calls) stayed on slow code: float64
/// forward 11.5 ms instead of 1.4, n = 31 1.9 ms instead of 0.8, beta 0.6 11.9 ms instead of 0.9 (AlexNet norm1, 2
/// threads, 2026-11-27; an outlier in a different case on each run). A training loop would have paid that too.
/// </remarks>
internal abstract unsafe class LrnKernel
{
    /// <summary>The name printed by tools and accepted by <c>LRN_KERNEL</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The public kind this kernel answers to.</summary>
    public abstract LrnKernelKind Kind { get; }

    /// <summary>Whether this machine can run it (SIMD kernels need their vector width accelerated).</summary>
    public virtual bool IsSupported => true;

    /// <summary>Whether this kernel's channels-first float32 forward can write its outputs with streaming stores (see <see cref="LrnPlan.StreamsOutputs"/>).</summary>
    public virtual bool StreamsFloat32Outputs => false;

    /// <summary>
    /// The doubles of scratch one work item (or, for the reference, one call) needs. The caller checks it against
    /// <see cref="Array.MaxLength"/> before the kernel runs, so kernels may cast it to int.
    /// </summary>
    public abstract long ScratchLength(in LrnPlan plan);

    /// <summary>y from x. In place (y == x) must work.</summary>
    public abstract void Forward<T>(in LrnPlan plan, T* x, T* y, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dx from x, dy and, when not null, the forward output y.</summary>
    public abstract void Backward<T>(in LrnPlan plan, T* x, T* y, T* dy, T* dx, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The kernels in order of preference: <see cref="LrnKernelKind.Auto"/> takes the first this machine supports.
/// Wider vectors first (each runs the same block-sum scheme on more lanes; see bench/results for the measured
/// ratios), then scalar, then the reference, which stays last because its cost grows with the window.
/// <c>LRN_KERNEL=vector512|vector256|vector128|scalar|reference</c> forces one when the caller asks for Auto.
/// </summary>
internal static class KernelRegistry
{
    public const string EnvironmentVariable = "LRN_KERNEL";

    private static readonly LrnKernel[] Ordered =
        [new Vector512Kernel(), new Vector256Kernel(), new Vector128Kernel(), new ScalarKernel(), new ReferenceKernel()];

    public static IReadOnlyList<LrnKernel> All => Ordered;

    public static LrnKernel Select(LrnKernelKind kind)
    {
        if (kind == LrnKernelKind.Auto)
        {
            string? forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(forced))
            {
                return Array.Find(Ordered, k => k.IsSupported)!;
            }

            LrnKernel named = Array.Find(Ordered, k => string.Equals(k.Name, forced, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(
                    $"{EnvironmentVariable} must name a kernel ({string.Join(", ", Array.ConvertAll(Ordered, k => k.Name))}), got '{forced}'");
            return Supported(named, EnvironmentVariable);
        }

        LrnKernel kernel = Array.Find(Ordered, k => k.Kind == kind)
            ?? throw new ArgumentOutOfRangeException(nameof(kind), $"kernel must be a defined LrnKernelKind, got {(int)kind}");
        return Supported(kernel, "options.Kernel");
    }

    private static LrnKernel Supported(LrnKernel kernel, string setting) => kernel.IsSupported
        ? kernel
        : throw new PlatformNotSupportedException($"{setting} asks for the {kernel.Name} kernel, which this machine does not accelerate");
}
