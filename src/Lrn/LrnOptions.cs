namespace Lrn;

/// <summary>Which implementation computes LRN.</summary>
public enum LrnKernelKind
{
    /// <summary>
    /// The fastest kernel this machine supports: vector512, else vector256, vector128, scalar. The environment
    /// variable <c>LRN_KERNEL</c> (one of those names, or reference) forces one.
    /// </summary>
    Auto,

    /// <summary>
    /// The formula of SPEC.md written out: float64 sums over each window, <see cref="Math.Pow(double, double)"/>, one thread.
    /// Its cost grows with the window; it is the oracle the others are tested against.
    /// </summary>
    Reference,

    /// <summary>Scalar float64 arithmetic whose cost does not depend on the window size; parallel over fixed work items.</summary>
    Scalar,

    /// <summary>The scalar kernel's scheme on 128-bit vectors (SSE2, NEON); float32 arithmetic for float32 data where the values allow it (see the README's Accuracy section), else float64.</summary>
    Vector128,

    /// <summary>The scalar kernel's scheme on 256-bit vectors (AVX2); float32 arithmetic for float32 data where the values allow it (see the README's Accuracy section), else float64.</summary>
    Vector256,

    /// <summary>The scalar kernel's scheme on 512-bit vectors (AVX-512); float32 arithmetic for float32 data where the values allow it (see the README's Accuracy section), else float64.</summary>
    Vector512,
}

/// <summary>How a call runs. The result does not depend on these settings beyond the kernel: any degree of parallelism gives the same bits.</summary>
public sealed class LrnOptions
{
    /// <summary>Options that pick the fastest kernel and use every core.</summary>
    public static LrnOptions Default { get; } = new();

    /// <summary>Which kernel to run. Default <see cref="LrnKernelKind.Auto"/>.</summary>
    public LrnKernelKind Kernel { get; init; } = LrnKernelKind.Auto;

    /// <summary>The most threads one call uses; -1 (the default) means <see cref="Environment.ProcessorCount"/>. Must be -1 or &gt;= 1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
