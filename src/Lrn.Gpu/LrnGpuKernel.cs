namespace Lrn.Gpu;

/// <summary>Which GPU strategy runs across-channel LRN (see <see cref="LrnGpu.KernelName"/>). Within-channel LRN has one.</summary>
public enum LrnGpuKernel
{
    /// <summary>The ring for channels-first windows of up to 32 channels, direct otherwise.</summary>
    Auto,

    /// <summary>One thread per element, each window summed straight from memory; any layout and window.</summary>
    Direct,

    /// <summary>
    /// One thread per (batch, position) walking the channels with a per-thread ring of the last 32: channels-first and
    /// windows of up to 32 channels only (others fall back to direct).
    /// </summary>
    Ring,
}
