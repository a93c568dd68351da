using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Lrn.Cli;

/// <summary>The element types this reader and writer support: numpy's <c>'&lt;f4'</c> and <c>'&lt;f8'</c>.</summary>
internal enum NpyDType
{
    Float32,
    Float64,
}

/// <summary>A C-ordered (row-major) array read from a .npy file. Exactly one of <see cref="Float32"/> and <see cref="Float64"/> is set.</summary>
internal sealed class NpyArray
{
    public NpyArray(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        DType = NpyDType.Float32;
        Shape = shape;
        Float32 = data;
        Length = data.LongLength;
    }

    public NpyArray(int[] shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        DType = NpyDType.Float64;
        Shape = shape;
        Float64 = data;
        Length = data.LongLength;
    }

    public NpyDType DType { get; }

    /// <summary>The dimensions; empty for a scalar (rank 0), which holds one element.</summary>
    public int[] Shape { get; }

    public float[]? Float32 { get; }

    public double[]? Float64 { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public long Length { get; }
}

/// <summary>The content of a .npy file is malformed or unsupported. The message is one line that starts with the file name.</summary>
internal sealed class NpyFormatException : Exception
{
    public NpyFormatException()
    {
    }

    public NpyFormatException(string message)
        : base(message)
    {
    }

    public NpyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A strict reader and writer for NumPy's .npy format (versions 1.0, 2.0 and 3.0) limited to little-endian
/// float32 and float64 arrays in C order.
/// </summary>
/// <remarks>
/// Error contract: anything wrong with the bytes of a file raises <see cref="NpyFormatException"/> with a one-line
/// message naming the file and the problem. Failures of the file system itself (file not found, access denied,
/// a failing disk) are not about the format, so they propagate unchanged as the usual
/// <see cref="IOException"/> / <see cref="UnauthorizedAccessException"/>, whose messages already name the path.
/// The reader treats every number in a file as hostile: nothing is allocated from a header-supplied size until
/// that size has been checked against the bytes that are really there.
/// </remarks>
internal static class Npy
{
    /// <summary>
    /// The longest header we accept. numpy's own headers are far below 100 KiB (numpy itself refuses more than
    /// 10 000 characters unless told otherwise), so this only bounds what a hostile file can make us read and parse.
    /// </summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>numpy aligns the start of the data to this many bytes (so the file can be memory-mapped).</summary>
    private const int DataAlignment = 64;

    /// <summary>numpy's GROWTH_AXIS_MAX_DIGITS: spare spaces it leaves after the dict so the first axis can grow in place.</summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>The magic string plus the two version bytes.</summary>
    private const int MagicAndVersionLength = 8;

    /// <summary>Elements moved per read or write call: big enough to be fast, small enough that the byte count fits an int.</summary>
    private const int ElementsPerBlock = 1 << 16;

    /// <summary>Where the data array starts when the stream's length cannot be known up front; it then grows with the data.</summary>
    private const int NonSeekableInitialCapacity = 1 << 16;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads one array from the current position to the end of <paramref name="stream"/>; <paramref name="name"/> labels error messages.</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        string headerText = ReadHeaderText(stream, name);
        Header header = ParseHeader(headerText, name);
        return header.DType == NpyDType.Float32
            ? new NpyArray(header.Shape, ReadData<float>(stream, header.Count, name))
            : new NpyArray(header.Shape, ReadData<double>(stream, header.Count, name));
    }

    public static void Write(string path, ReadOnlySpan<int> shape, ReadOnlySpan<float> data) => WriteFile(path, shape, data, "<f4");

    public static void Write(string path, ReadOnlySpan<int> shape, ReadOnlySpan<double> data) => WriteFile(path, shape, data, "<f8");

    // ---------------------------------------------------------------- reading: preamble and header

    private readonly record struct Header(NpyDType DType, int[] Shape, long Count);

    private static readonly string[] ExpectedKeys = ["descr", "fortran_order", "shape"];

    /// <summary>Reads the magic, version, header length and header, and decodes the header to text.</summary>
    private static string ReadHeaderText(Stream stream, string name)
    {
        Span<byte> preamble = stackalloc byte[MagicAndVersionLength + 4];
        int got = stream.ReadAtLeast(preamble[..MagicAndVersionLength], MagicAndVersionLength, throwOnEndOfStream: false);
        if (got == 0)
        {
            throw Error(name, "not a .npy file (the file is empty)");
        }

        int magicBytes = Math.Min(got, Magic.Length);
        if (!preamble[..magicBytes].SequenceEqual(Magic[..magicBytes]))
        {
            throw BadMagic(name, preamble[..got]);
        }

        if (got < MagicAndVersionLength)
        {
            throw TruncatedPreamble(name, got);
        }

        byte major = preamble[6];
        byte minor = preamble[7];
        int lengthSize = (major, minor) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw Error(name, $"unsupported .npy format version {major}.{minor} (only 1.0, 2.0 and 3.0 are supported)"),
        };

        Span<byte> lengthField = preamble.Slice(MagicAndVersionLength, lengthSize);
        got = stream.ReadAtLeast(lengthField, lengthSize, throwOnEndOfStream: false);
        if (got < lengthSize)
        {
            throw TruncatedPreamble(name, MagicAndVersionLength + got);
        }

        long headerLength = lengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);

        // Check the claim against the real length before allocating a buffer for it.
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (headerLength > remaining)
            {
                throw HeaderPastEnd(name, headerLength, remaining);
            }
        }

        // A non-seekable stream cannot be measured, so the cap is what keeps the allocation bounded there.
        if (headerLength > MaxHeaderLength)
        {
            throw Error(name, $"header length {headerLength} bytes exceeds the limit of {MaxHeaderLength} bytes");
        }

        var headerBytes = new byte[headerLength];
        got = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (got < headerBytes.Length)
        {
            throw HeaderPastEnd(name, headerLength, got);
        }

        return DecodeHeader(headerBytes, utf8: major == 3, name);
    }

    /// <summary>Versions 1.0 and 2.0 store the header in latin1 (which decodes any byte); 3.0 stores it in UTF-8.</summary>
    private static string DecodeHeader(byte[] bytes, bool utf8, string name)
    {
        if (!utf8)
        {
            return Encoding.Latin1.GetString(bytes);
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(name, "version 3.0 header is not valid UTF-8");
        }
    }

    /// <summary>Parses the header's dict literal and checks every key and value; returns what the data must look like.</summary>
    private static Header ParseHeader(string text, string name)
    {
        object? literal = new LiteralParser(text, name).ParseDocument();
        if (literal is not PyDict dict)
        {
            throw Error(name, $"header is not a dict: {Repr(literal)}");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach ((object? key, object? value) in dict.Entries)
        {
            if (key is not string keyName || Array.IndexOf(ExpectedKeys, keyName) < 0)
            {
                throw Error(name, $"header has unknown key {Repr(key)} (expected exactly 'descr', 'fortran_order' and 'shape')");
            }

            if (!values.TryAdd(keyName, value))
            {
                throw Error(name, $"header has duplicate key {Repr(key)}");
            }
        }

        foreach (string key in ExpectedKeys)
        {
            if (!values.ContainsKey(key))
            {
                throw Error(name, $"header is missing key '{key}'");
            }
        }

        NpyDType dtype = ParseDescr(values["descr"], name);
        CheckFortranOrder(values["fortran_order"], name);
        (int[] shape, long count) = ParseShape(values["shape"], name);
        return new Header(dtype, shape, count);
    }

    private static NpyDType ParseDescr(object? descr, string name) => descr switch
    {
        "<f4" => NpyDType.Float32,
        "<f8" => NpyDType.Float64,
        ">f4" or ">f8" => throw Error(name,
            $"big-endian data ({Repr(descr)}) is not supported; convert it with arr.astype('{((string)descr).Replace('>', '<')}') before saving"),
        string s when s.TrimStart('|', '<', '>', '=').StartsWith('O') => throw Error(name,
            $"object arrays ({Repr(descr)}) are not supported: they hold pickled Python objects, not numbers"),
        PySeq { IsTuple: false } => throw Error(name,
            $"structured dtypes are not supported: {Repr(descr)} (only '<f4' float32 and '<f8' float64)"),
        _ => throw Error(name, $"unsupported dtype {Repr(descr)} (only '<f4' float32 and '<f8' float64 are supported)"),
    };

    private static void CheckFortranOrder(object? fortranOrder, string name)
    {
        if (fortranOrder is not bool isFortran)
        {
            throw Error(name, $"fortran_order must be True or False, not {Repr(fortranOrder)}");
        }

        // Column-major data would need a transpose; numpy writes False for every C-contiguous array.
        if (isFortran)
        {
            throw Error(name, "Fortran-ordered (column-major) arrays are not supported; save np.ascontiguousarray(arr) instead");
        }
    }

    /// <summary>Checks the shape and its element count (64-bit overflow, .NET array limit) before anything is allocated.</summary>
    private static (int[] Shape, long Count) ParseShape(object? shapeLiteral, string name)
    {
        if (shapeLiteral is not PySeq { IsTuple: true } tuple || !tuple.Items.All(item => item is PyInt))
        {
            throw Error(name, $"shape must be a tuple of integers, not {Repr(shapeLiteral)}");
        }

        PyInt[] dims = [.. tuple.Items.Cast<PyInt>()];
        foreach (PyInt dim in dims)
        {
            if (dim.Negative)
            {
                throw Error(name, $"shape {Repr(tuple)} has a negative dimension {Clip(dim.Text)}");
            }
        }

        // Like numpy, multiply the non-zero dimensions with an overflow check even when a zero makes the array empty.
        long count = 1;
        foreach (PyInt dim in dims)
        {
            if (dim.Value is not { } value || (value != 0 && count > long.MaxValue / value))
            {
                throw Error(name, $"shape {Repr(tuple)} is too large: its element count overflows a 64-bit integer");
            }

            count *= Math.Max(value, 1);
        }

        if (dims.Any(dim => dim.Value == 0))
        {
            count = 0;
        }

        if (count > Array.MaxLength)
        {
            throw Error(name, $"too many elements: shape {Repr(tuple)} has {count} elements but a .NET array holds at most {Array.MaxLength}");
        }

        // Only reachable for empty arrays such as (0, 3000000000), whose other dimensions are unbounded.
        PyInt? huge = Array.Find(dims, dim => dim.Value > int.MaxValue);
        if (huge is not null)
        {
            throw Error(name, $"dimension {huge.Text} of shape {Repr(tuple)} is too large (the maximum is {int.MaxValue})");
        }

        return ([.. dims.Select(dim => (int)dim.Value!.Value)], count);
    }

    // ---------------------------------------------------------------- reading: data

    /// <summary>
    /// Reads exactly <paramref name="count"/> little-endian elements and requires the stream to end right after them.
    /// </summary>
    private static T[] ReadData<T>(Stream stream, long count, string name)
        where T : unmanaged
    {
        int itemSize = Unsafe.SizeOf<T>();
        long expectedBytes = count * itemSize; // cannot overflow: count <= Array.MaxLength was checked

        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining < expectedBytes)
            {
                throw TruncatedData(name, count, expectedBytes, remaining);
            }

            if (remaining > expectedBytes)
            {
                throw Error(name, $"data has {Plural(remaining - expectedBytes, "trailing byte")}: header says {Plural(count, "element")} ({Plural(expectedBytes, "byte")}) but {Follow(remaining)} the header");
            }
        }

        // Seekable: the length matched, so the full allocation is backed by real bytes. Non-seekable: the array grows
        // with the bytes actually received, so a lying header costs at most twice the data that was really sent.
        var data = new T[stream.CanSeek ? count : Math.Min(count, NonSeekableInitialCapacity)];
        long filled = 0;
        while (filled < count)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            }

            Span<T> block = data.AsSpan((int)filled, (int)Math.Min(ElementsPerBlock, data.Length - filled));
            Span<byte> bytes = MemoryMarshal.AsBytes(block);
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length)
            {
                throw TruncatedData(name, count, expectedBytes, (filled * itemSize) + got);
            }

            FromLittleEndian(block);
            filled += block.Length;
        }

        // Also catches a non-seekable stream with extra data (and a file that grew while we read it).
        if (stream.ReadByte() >= 0)
        {
            throw Error(name, $"data has trailing bytes: header says {Plural(count, "element")} ({Plural(expectedBytes, "byte")}) but more bytes follow");
        }

        return data;
    }

    /// <summary>.npy data here is little-endian; swap in place on a big-endian machine (a no-op elsewhere).</summary>
    private static void FromLittleEndian<T>(Span<T> values)
        where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            return;
        }

        if (Unsafe.SizeOf<T>() == sizeof(uint))
        {
            Span<uint> words = MemoryMarshal.Cast<T, uint>(values);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else
        {
            Span<ulong> words = MemoryMarshal.Cast<T, ulong>(values);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    // ---------------------------------------------------------------- writing

    private static void WriteFile<T>(string path, ReadOnlySpan<int> shape, ReadOnlySpan<T> data, string descr)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long elements = ElementCount(shape);
        if (elements != data.Length)
        {
            string count = elements > int.MaxValue ? $"more than {int.MaxValue}" : elements.ToString(CultureInfo.InvariantCulture);
            throw new ArgumentException($"shape {FormatShape(shape)} holds {count} elements but data has {data.Length}", nameof(data));
        }

        byte[] header = BuildHeader(descr, shape);

        // Write next to the target and rename over it, so readers never see a half-written file.
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' is not a file path", nameof(path));
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                stream.Write(header);
                WriteLittleEndian(stream, data);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The product of the dimensions, saturated just past int.MaxValue (no span is longer) so it cannot overflow.</summary>
    private static long ElementCount(ReadOnlySpan<int> shape)
    {
        long product = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"dimension {i} of the shape is negative ({shape[i]})", nameof(shape));
            }

            product = Math.Min(product * shape[i], (long)int.MaxValue + 1);
        }

        return product;
    }

    /// <summary>The preamble and header exactly as numpy's np.save writes them, version 1.0 unless the header needs 2.0.</summary>
    private static byte[] BuildHeader(string descr, ReadOnlySpan<int> shape)
    {
        // numpy writes the keys sorted, each followed by ", ", and always False for a C-contiguous array.
        var dict = new StringBuilder()
            .Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': ")
            .Append(FormatShape(shape))
            .Append(", }");
        if (shape.Length > 0)
        {
            int firstAxisDigits = shape[0].ToString(CultureInfo.InvariantCulture).Length;
            dict.Append(' ', Math.Max(0, GrowthAxisMaxDigits - firstAxisDigits));
        }

        int lengthSize = 2;
        int headerLength = PaddedHeaderLength(dict.Length, lengthSize);
        if (headerLength > ushort.MaxValue)
        {
            lengthSize = 4;
            headerLength = PaddedHeaderLength(dict.Length, lengthSize);
        }

        int prefixLength = MagicAndVersionLength + lengthSize;
        var bytes = new byte[prefixLength + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = lengthSize == 2 ? (byte)1 : (byte)2;
        bytes[7] = 0;
        if (lengthSize == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(MagicAndVersionLength), (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(MagicAndVersionLength), (uint)headerLength);
        }

        Span<byte> text = bytes.AsSpan(prefixLength);
        int written = Encoding.ASCII.GetBytes(dict.ToString(), text);
        text[written..^1].Fill((byte)' ');
        text[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// The header length including padding and the final newline, so that the data starts on a multiple of
    /// <see cref="DataAlignment"/>. Like numpy, the padding is 1 to 64 spaces, never 0.
    /// </summary>
    private static int PaddedHeaderLength(int dictLength, int lengthSize)
    {
        int unpadded = MagicAndVersionLength + lengthSize + dictLength + 1;
        int padding = DataAlignment - (unpadded % DataAlignment);
        return dictLength + padding + 1;
    }

    /// <summary>A shape as Python writes a tuple: () for rank 0, (5,) for rank 1, (2, 3) otherwise.</summary>
    private static string FormatShape(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            text.Append(i > 0 ? ", " : string.Empty).Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(shape.Length == 1 ? ",)" : ")").ToString();
    }

    private static void WriteLittleEndian<T>(Stream stream, ReadOnlySpan<T> data)
        where T : unmanaged
    {
        // Block by block: the byte view of the whole span could be longer than int.MaxValue.
        byte[]? swapped = BitConverter.IsLittleEndian ? null : new byte[ElementsPerBlock * Unsafe.SizeOf<T>()];
        for (int start = 0; start < data.Length; start += ElementsPerBlock)
        {
            ReadOnlySpan<T> block = data.Slice(start, Math.Min(ElementsPerBlock, data.Length - start));
            if (swapped is null)
            {
                stream.Write(MemoryMarshal.AsBytes(block));
            }
            else
            {
                Span<T> copy = MemoryMarshal.Cast<byte, T>(swapped.AsSpan())[..block.Length];
                block.CopyTo(copy);
                FromLittleEndian(copy); // the swap is its own inverse
                stream.Write(MemoryMarshal.AsBytes(copy));
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    // ---------------------------------------------------------------- messages

    private static NpyFormatException Error(string name, string problem) => new($"{name}: {problem}");

    private static NpyFormatException BadMagic(string name, ReadOnlySpan<byte> start)
    {
        string hex = Convert.ToHexString(start[..Math.Min(start.Length, Magic.Length)]);
        string hint = start.StartsWith("PK\u0003\u0004"u8)
            ? "; it looks like a zip archive such as an .npz: extract the .npy files from it first"
            : string.Empty;
        return Error(name, $"not a .npy file (bad magic: starts with 0x{hex}, expected 0x934E554D5059 = \\x93NUMPY{hint})");
    }

    private static NpyFormatException TruncatedPreamble(string name, int length) =>
        Error(name, $"file is truncated: it ends after {length} bytes, inside the preamble (magic, version and header length)");

    private static NpyFormatException HeaderPastEnd(string name, long headerLength, long available) =>
        Error(name, $"header length {headerLength} runs past the end of the file: only {Follow(available)} the preamble");

    private static NpyFormatException TruncatedData(string name, long count, long expectedBytes, long available) =>
        Error(name, $"data is truncated: header says {Plural(count, "element")} ({Plural(expectedBytes, "byte")}) but only {Follow(available)} the header");

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Follow(long bytes) => bytes == 1 ? "1 byte follows" : $"{bytes} bytes follow";

    private const int MaxReprLength = 100;

    /// <summary>A Python-like rendering of a header value for messages: one line, control characters escaped, clipped.</summary>
    private static string Repr(object? value)
    {
        var text = new StringBuilder();
        AppendRepr(text, value);
        return Clip(text.ToString());
    }

    private static string Clip(string text) => text.Length <= MaxReprLength ? text : string.Concat(text.AsSpan(0, MaxReprLength), "...");

    private static void AppendRepr(StringBuilder text, object? value)
    {
        if (text.Length > MaxReprLength)
        {
            return; // the rest would be clipped anyway; stopping early keeps huge headers cheap
        }

        switch (value)
        {
            case null:
                text.Append("None");
                break;
            case bool b:
                text.Append(b ? "True" : "False");
                break;
            case string s:
                AppendQuoted(text, s);
                break;
            case PyInt i:
                text.Append(i.Text.Length <= MaxReprLength ? i.Text : Clip(i.Text));
                break;
            case PyFloat f:
                text.Append(Clip(f.Text));
                break;
            case PySeq seq:
                text.Append(seq.IsTuple ? '(' : '[');
                for (int k = 0; k < seq.Items.Count && text.Length <= MaxReprLength; k++)
                {
                    text.Append(k > 0 ? ", " : string.Empty);
                    AppendRepr(text, seq.Items[k]);
                }

                text.Append(seq.IsTuple && seq.Items.Count == 1 ? ",)" : seq.IsTuple ? ")" : "]");
                break;
            case PyDict dict:
                text.Append('{');
                for (int k = 0; k < dict.Entries.Count && text.Length <= MaxReprLength; k++)
                {
                    text.Append(k > 0 ? ", " : string.Empty);
                    AppendRepr(text, dict.Entries[k].Key);
                    text.Append(": ");
                    AppendRepr(text, dict.Entries[k].Value);
                }

                text.Append('}');
                break;
        }
    }

    private static void AppendQuoted(StringBuilder text, string s)
    {
        char quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        foreach (char c in s.Length <= MaxReprLength ? s : s[..MaxReprLength])
        {
            if (c == quote)
            {
                text.Append('\\').Append(c);
            }
            else
            {
                AppendPrintable(text, c);
            }
        }

        text.Append(quote);
    }

    /// <summary>Appends a character, escaping anything that would break a one-line message.</summary>
    private static void AppendPrintable(StringBuilder text, char c)
    {
        if (char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c))
        {
            text.Append(c < 0x100 ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
        }
        else
        {
            text.Append(c);
        }
    }

    // ---------------------------------------------------------------- the Python literal subset in headers

    /// <summary>A Python int literal. <see cref="Value"/> is null when it does not fit in a long.</summary>
    private sealed record PyInt(string Text, long? Value, bool Negative);

    /// <summary>A Python float literal, kept only so messages can name it.</summary>
    private sealed record PyFloat(string Text);

    /// <summary>A tuple or a list.</summary>
    private sealed record PySeq(bool IsTuple, List<object?> Items);

    /// <summary>A dict, with its entries in order and duplicates kept so they can be reported.</summary>
    private sealed record PyDict(List<KeyValuePair<object?, object?>> Entries);

    /// <summary>
    /// A recursive-descent parser for the subset of Python literals that .npy headers use (what numpy reads with
    /// ast.literal_eval): dicts, tuples, lists, strings without escapes, ints, floats, True, False and None.
    /// Values are: string, bool, null (None), <see cref="PyInt"/>, <see cref="PyFloat"/>, <see cref="PySeq"/>,
    /// <see cref="PyDict"/>. Nesting is capped so a hostile header cannot overflow the stack.
    /// </summary>
    private sealed class LiteralParser(string text, string name)
    {
        private const int MaxNesting = 16;

        private int _position;
        private int _depth;

        public object? ParseDocument()
        {
            object? value = ParseValue();
            SkipWhitespace();
            if (_position < text.Length)
            {
                throw Fail($"unexpected {Describe(text[_position])} after the end of the dict");
            }

            return value;
        }

        private object? ParseValue()
        {
            SkipWhitespace();
            if (_position >= text.Length)
            {
                throw Fail("unexpected end of header");
            }

            char c = text[_position];
            return c switch
            {
                '{' => ParseDict(),
                '(' => ParseSequence(')', isTuple: true),
                '[' => ParseSequence(']', isTuple: false),
                '\'' or '"' => ParseString(),
                '+' or '-' or '.' or (>= '0' and <= '9') => ParseNumber(),
                _ when char.IsAsciiLetter(c) || c == '_' => ParseName(),
                _ => throw Fail($"unexpected {Describe(c)}"),
            };
        }

        private PyDict ParseDict()
        {
            Enter();
            var entries = new List<KeyValuePair<object?, object?>>();
            while (!TryConsume('}'))
            {
                object? key = ParseValue();
                Expect(':');
                object? value = ParseValue();
                entries.Add(new(key, value));
                if (!TryConsume(',') && !At('}'))
                {
                    throw Fail($"expected ',' or '}}' but found {DescribeCurrent()}");
                }
            }

            _depth--;
            return new PyDict(entries);
        }

        /// <summary>Parses (...) or [...]. As in Python, (x) without a comma is just x, while (x,) and () are tuples.</summary>
        private object? ParseSequence(char close, bool isTuple)
        {
            Enter();
            var items = new List<object?>();
            bool sawComma = false;
            while (!TryConsume(close))
            {
                items.Add(ParseValue());
                if (TryConsume(','))
                {
                    sawComma = true;
                }
                else if (!At(close))
                {
                    throw Fail($"expected ',' or '{close}' but found {DescribeCurrent()}");
                }
            }

            _depth--;
            return isTuple && items.Count == 1 && !sawComma ? items[0] : new PySeq(isTuple, items);
        }

        private string ParseString()
        {
            char quote = text[_position++];
            int start = _position;
            while (_position < text.Length)
            {
                char c = text[_position];
                if (c == quote)
                {
                    _position++;
                    return text[start..(_position - 1)];
                }

                if (c == '\\')
                {
                    throw Fail("backslash escapes in strings are not supported");
                }

                if (c is '\n' or '\r')
                {
                    break;
                }

                _position++;
            }

            _position = start - 1;
            throw Fail("unterminated string");
        }

        /// <summary>Parses [+-]digits as an int, and anything with a '.' or an exponent as a float (for messages only).</summary>
        private object ParseNumber()
        {
            int start = _position;
            bool negative = text[_position] == '-';
            if (text[_position] is '+' or '-')
            {
                _position++;
            }

            int digitsStart = _position;
            SkipDigits();
            int digitsEnd = _position;
            bool isFloat = false;
            if (TryConsumeRaw('.'))
            {
                isFloat = true;
                SkipDigits();
            }

            if (digitsEnd == digitsStart && _position == digitsEnd + (isFloat ? 1 : 0))
            {
                throw Fail("malformed number");
            }

            if (TryConsumeRaw('e') || TryConsumeRaw('E'))
            {
                isFloat = true;
                _ = TryConsumeRaw('+') || TryConsumeRaw('-');
                int exponentStart = _position;
                SkipDigits();
                if (_position == exponentStart)
                {
                    throw Fail("malformed number");
                }
            }

            // Python 2 longs (2L), hex, underscores and the like are not plain literals; reject rather than misread.
            if (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '.'))
            {
                throw Fail($"malformed number {Clip(text[start..(_position + 1)])}");
            }

            string literal = text[start.._position];
            return isFloat ? new PyFloat(literal) : MakeInt(literal, text.AsSpan(digitsStart, digitsEnd - digitsStart), negative);
        }

        private static PyInt MakeInt(string literal, ReadOnlySpan<char> digits, bool negative)
        {
            ulong magnitude = 0;
            bool tooBig = false;
            foreach (char digit in digits)
            {
                ulong d = (ulong)(digit - '0');
                if (magnitude > (ulong.MaxValue - d) / 10)
                {
                    tooBig = true;
                    break;
                }

                magnitude = (magnitude * 10) + d;
            }

            long? value = tooBig || magnitude > long.MaxValue ? null : negative ? -(long)magnitude : (long)magnitude;
            return new PyInt(literal, value, negative && (tooBig || magnitude != 0));
        }

        private bool? ParseName()
        {
            int start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            string word = text[start.._position];
            switch (word)
            {
                case "True":
                    return true;
                case "False":
                    return false;
                case "None":
                    return null;
                default:
                    _position = start;
                    throw Fail($"unexpected name {Clip(word)}");
            }
        }

        private void Enter()
        {
            _position++; // the opening bracket
            if (++_depth > MaxNesting)
            {
                throw Fail($"nesting deeper than {MaxNesting} levels");
            }
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Fail($"expected '{c}' but found {DescribeCurrent()}");
            }
        }

        /// <summary>Skips whitespace, then consumes <paramref name="c"/> if it is next.</summary>
        private bool TryConsume(char c)
        {
            SkipWhitespace();
            return TryConsumeRaw(c);
        }

        private bool TryConsumeRaw(char c)
        {
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private bool At(char c)
        {
            SkipWhitespace();
            return _position < text.Length && text[_position] == c;
        }

        private void SkipWhitespace()
        {
            // Python's whitespace between tokens; numpy pads headers with spaces and ends them with '\n'.
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                _position++;
            }
        }

        private void SkipDigits()
        {
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }
        }

        private string DescribeCurrent() => _position < text.Length ? Describe(text[_position]) : "the end of the header";

        private static string Describe(char c) => $"character {Repr(c.ToString())}";

        private NpyFormatException Fail(string problem) =>
            Error(name, $"cannot parse header: {problem} at offset {_position}");
    }
}
