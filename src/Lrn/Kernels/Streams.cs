// Non-temporal ("streaming") stores for the SIMD kernels' outputs when the tensors are larger than the caches. An
// ordinary store to a line that is not cached first reads the line from memory (a read for ownership) and writes it
// back later: three transfers per output line. A non-temporal store of a whole aligned line writes it without the
// read: two. Output rows of a channels-first tensor rarely start on a line, so a kernel joins the tail of a row's
// previous result vector with the head of its next into the aligned vector between them (Join). Overloads by width
// let Vector512Kernel, Vector256Kernel and Vector128Kernel stay identical apart from their aliases.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lrn.Kernels;

internal static unsafe class Streams
{
    /// <summary>
    /// Whether a kernel of this width streams: only where <see cref="Join(Vector512{float}, Vector512{float}, Vector512{int})"/>
    /// and <see cref="Store(float*, Vector512{float})"/> run (AVX-512) and one vector is one 64-byte cache line. A
    /// narrower stream writes half a line per row and block, and the other half one block later: by then the
    /// write-combining buffer has gone out partial, which measured slower than ordinary stores ([32,96,55,55]
    /// forward, one thread, vector256 2.43-2.50 -> 2.63-2.71 ms, vector128 3.95-4.13 -> 4.97-5.07; 2026-11-27). The
    /// narrower overloads below are there for the generated kernels to compile.
    /// </summary>
    public static bool Supported(Vector512<float> width) => Avx512F.IsSupported;

    /// <inheritdoc cref="Supported(Vector512{float})"/>
    public static bool Supported(Vector256<float> width) => false;

    /// <inheritdoc cref="Supported(Vector512{float})"/>
    public static bool Supported(Vector128<float> width) => false;

    /// <summary>
    /// The selector for <see cref="Join(Vector512{float}, Vector512{float}, Vector512{int})"/> at a row whose address
    /// lies <paramref name="offset"/> lanes past an aligned vector: lane j takes lane j + Count - offset of (previous,
    /// next) seen as one vector of 2 Count lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Selector(Vector512<float> width, int offset) => Vector512.Create(Vector512<float>.Count - offset) + Vector512<int>.Indices;

    /// <inheritdoc cref="Selector(Vector512{float}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Selector(Vector256<float> width, int offset) => Vector256.Create(Vector256<float>.Count - offset) + Vector256<int>.Indices;

    /// <inheritdoc cref="Selector(Vector512{float}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Selector(Vector128<float> width, int offset) => Vector128.Create(Vector128<float>.Count - offset) + Vector128<int>.Indices;

    /// <summary>The last offset lanes of <paramref name="previous"/> followed by the first Count - offset lanes of <paramref name="next"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Join(Vector512<float> previous, Vector512<float> next, Vector512<int> selector) =>
        Avx512F.PermuteVar16x32x2(previous, selector, next);

    /// <inheritdoc cref="Join(Vector512{float}, Vector512{float}, Vector512{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Join(Vector256<float> previous, Vector256<float> next, Vector256<int> selector) =>
        Avx512F.VL.PermuteVar8x32x2(previous, selector, next);

    /// <inheritdoc cref="Join(Vector512{float}, Vector512{float}, Vector512{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Join(Vector128<float> previous, Vector128<float> next, Vector128<int> selector) =>
        Avx512F.VL.PermuteVar4x32x2(previous, selector, next);

    /// <summary>Writes v to the aligned address past the caches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* aligned, Vector512<float> v) => Avx512F.StoreAlignedNonTemporal(aligned, v);

    /// <inheritdoc cref="Store(float*, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* aligned, Vector256<float> v) => Avx.StoreAlignedNonTemporal(aligned, v);

    /// <inheritdoc cref="Store(float*, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* aligned, Vector128<float> v) => Sse.StoreAlignedNonTemporal(aligned, v);

    /// <summary>Writes v to the aligned address past the caches (an ordinary store where the instruction set has no streaming store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* aligned, Vector512<double> v)
    {
        if (Avx512F.IsSupported)
        {
            Avx512F.StoreAlignedNonTemporal(aligned, v);
            return;
        }

        v.StoreAligned(aligned);
    }

    /// <inheritdoc cref="Store(double*, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* aligned, Vector256<double> v)
    {
        if (Avx.IsSupported)
        {
            Avx.StoreAlignedNonTemporal(aligned, v);
            return;
        }

        v.StoreAligned(aligned);
    }

    /// <inheritdoc cref="Store(double*, Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* aligned, Vector128<double> v)
    {
        if (Sse2.IsSupported)
        {
            Sse2.StoreAlignedNonTemporal(aligned, v);
            return;
        }

        v.StoreAligned(aligned);
    }

    /// <summary>Writes the lanes of v whose <paramref name="mask"/> lanes are all ones (an ordinary store: the part of a line that another block writes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* at, Vector512<float> v, Vector512<float> mask) => Avx512F.MaskStore(at, mask, v);

    /// <inheritdoc cref="StoreLanes(float*, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* at, Vector256<float> v, Vector256<float> mask) => Avx.MaskStore(at, mask, v);

    /// <inheritdoc cref="StoreLanes(float*, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(float* at, Vector128<float> v, Vector128<float> mask) => Avx.MaskStore(at, mask, v);

    /// <summary>Orders every streaming store before the stores that follow (the end of a work item, or a block computed again).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }
}
