using System.Globalization;
using System.Runtime.InteropServices;

namespace Lrn.Tests;

/// <summary>Where a <see cref="GuardedBuffer{T}"/> puts its elements against the two unreadable pages around them.</summary>
internal enum GuardPlacement
{
    /// <summary>The last element ends exactly where the trailing guard page starts: one element past the end faults.</summary>
    EndsAtGuard,

    /// <summary>The first element starts exactly where the leading guard page ends: one element before the start faults.</summary>
    StartsAfterGuard,
}

/// <summary>
/// Native memory for one tensor with a page that can be neither read nor written right before it and right after it,
/// mapped with mmap and mprotect (Linux), placed by <see cref="GuardPlacement"/>. A kernel that reads or writes one
/// element outside its span touches a guard page and the process dies with SIGSEGV, which .NET does not turn into a
/// catchable exception: the test host crashes instead of a test passing quietly. The pages between the guards are
/// mapped without a reservation (MAP_NORESERVE), so a large buffer that is never touched costs no memory.
/// </summary>
internal sealed unsafe class GuardedBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly void* _mapping;
    private readonly nuint _mappingBytes;
    private bool _disposed;

    public GuardedBuffer(long length, GuardPlacement placement, bool accessible = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        nuint page = (nuint)Environment.SystemPageSize;
        nuint bytes = (nuint)length * (nuint)sizeof(T);
        nuint dataPages = (bytes + page - 1) / page;
        _mappingBytes = (dataPages + 2) * page;

        // Everything starts as PROT_NONE; only the pages between the two guards are then opened.
        _mapping = Libc.Map(_mappingBytes);
        byte* first = (byte*)_mapping + page;
        if (accessible && dataPages > 0)
        {
            Libc.Protect(first, dataPages * page, Libc.ProtRead | Libc.ProtWrite);
        }

        Pointer = placement == GuardPlacement.EndsAtGuard ? (T*)(first + (dataPages * page) - bytes) : (T*)first;
        Length = length;
        GuardBefore = (nuint)first - page;
        GuardAfter = (nuint)first + (dataPages * page);
    }

    /// <summary>The first element.</summary>
    public T* Pointer { get; }

    public long Length { get; }

    /// <summary>The address of the guard page before the data.</summary>
    public nuint GuardBefore { get; }

    /// <summary>The address of the guard page after the data.</summary>
    public nuint GuardAfter { get; }

    /// <summary>The elements as a span (the public API takes spans, so at most int.MaxValue of them).</summary>
    public Span<T> Span => new(Pointer, checked((int)Length));

    /// <summary>A guarded copy of <paramref name="values"/>.</summary>
    public static GuardedBuffer<T> From(ReadOnlySpan<T> values, GuardPlacement placement)
    {
        var buffer = new GuardedBuffer<T>(values.Length, placement);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Libc.Unmap(_mapping, _mappingBytes);
        }
    }
}

/// <summary>The three libc calls the guarded buffers need (Linux x86-64 and arm64 share these constants).</summary>
internal static unsafe partial class Libc
{
    public const int ProtNone = 0;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int MapNoReserve = 0x4000;

    /// <summary>Whether this process can map guard pages: Linux only.</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Maps <paramref name="bytes"/> of anonymous memory with no access at all.</summary>
    public static void* Map(nuint bytes)
    {
        void* address = MMap(null, bytes, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (address == (void*)-1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"mmap of {bytes} bytes failed: errno {Marshal.GetLastPInvokeError()}"));
        }

        return address;
    }

    public static void Protect(void* address, nuint bytes, int protection)
    {
        if (MProtect(address, bytes, protection) != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"mprotect failed: errno {Marshal.GetLastPInvokeError()}"));
        }
    }

    public static void Unmap(void* address, nuint bytes)
    {
        if (MUnmap(address, bytes) != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"munmap failed: errno {Marshal.GetLastPInvokeError()}"));
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* MMap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int MProtect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int MUnmap(void* address, nuint length);
}
