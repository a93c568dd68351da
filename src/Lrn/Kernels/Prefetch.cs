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

    /// <summary>
    /// Hints every cache line of [p, p + bytes) into the L1 cache: the lines of p, p + 64, ... p + bytes (one more line
    /// than bytes / 64, as a run that does not start on a line boundary touches it). Runs of up to 256 bytes are
    /// written out: bytes is a constant where this is inlined, so the tests fold away, where the JIT kept the loop and
    /// its six instructions per line (the 16-register loops hint two runs of 256 bytes per row of eight vectors:
    /// forward, n = 5, [2,96,16,16] 0.0300-0.0302 -> 0.0279-0.0281 ms, [2,96,55,55] 0.359-0.364 -> 0.331-0.335,
    /// one thread on a Zen 2 EPYC, alternating runs, 2026-11-27).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Range(void* p, int bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* b = (byte*)p;
        if (bytes <= 4 * LineBytes)
        {
            Sse.Prefetch0(b);
            if (bytes >= LineBytes)
            {
                Sse.Prefetch0(b + LineBytes);
            }

            if (bytes >= 2 * LineBytes)
            {
                Sse.Prefetch0(b + (2 * LineBytes));
            }

            if (bytes >= 3 * LineBytes)
            {
                Sse.Prefetch0(b + (3 * LineBytes));
            }

            if (bytes >= 4 * LineBytes)
            {
                Sse.Prefetch0(b + (4 * LineBytes));
            }

            return;
        }

        for (int at = 0; at <= bytes; at += LineBytes)
        {
            Sse.Prefetch0(b + at);
        }
    }
}
