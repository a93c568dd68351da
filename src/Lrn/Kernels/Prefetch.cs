// Software prefetch for the SIMD kernels: a hint that a cache line will be read soon. Channels-first kernels read
// each channel's row of a tile as a short run (a few cache lines) far from the previous channel's, a pattern the
// hardware prefetchers do not follow, so without hints every row waits for the L3 or memory. Where the instruction
// set has no prefetch this does nothing; a prefetch never faults, so addresses past the tensor are harmless.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static unsafe class Prefetch
{
    private const int LineBytes = 64;

    /// <summary>Hints every cache line of [p, p + bytes) into the L1 cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Range(void* p, int bytes)
    {
        if (Sse.IsSupported)
        {
            byte* b = (byte*)p;
            // One more line than bytes / 64: a run that does not start on a line boundary touches it.
            for (int at = 0; at <= bytes; at += LineBytes)
            {
                Sse.Prefetch0(b + at);
            }
        }
    }
}
