using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Lrn.Cli;

namespace Lrn.Tests;

/// <summary>
/// .npy files built byte by byte from the format specification, independently of <see cref="Npy.Write(string, ReadOnlySpan{int}, ReadOnlySpan{float})"/>:
/// valid ones for round trips and every malformed one the reader must reject (shared with the CLI's end-to-end tests).
/// </summary>
internal static class NpyFiles
{
    /// <summary>The .npy magic string, \x93NUMPY.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>A valid version 1.0 file holding little-endian float32 <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static byte[] Valid(ReadOnlySpan<int> shape, float[] data) =>
        Build(1, Dict(shape: ShapeText(shape)), Float32Bytes(data));

    /// <summary>A valid version 1.0 file holding little-endian float64 <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static byte[] ValidFloat64(ReadOnlySpan<int> shape, double[] data) =>
        Build(1, Dict(descr: "'<f8'", shape: ShapeText(shape)), Float64Bytes(data));

    /// <summary>The header dict numpy writes, with each value given as Python source so tests can break any part of it.</summary>
    public static string Dict(string descr = "'<f4'", string fortranOrder = "False", string shape = "(2, 3)") =>
        $"{{'descr': {descr}, 'fortran_order': {fortranOrder}, 'shape': {shape}, }}";

    /// <summary>A shape as a Python tuple: () for rank 0, (5,) for rank 1, (2, 3) otherwise.</summary>
    public static string ShapeText(ReadOnlySpan<int> shape)
    {
        string[] dims = [.. shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))];
        return shape.Length == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
    }

    /// <summary>
    /// A file of format version <paramref name="major"/>.0: the header is encoded (UTF-8 for 3.0, latin1 otherwise),
    /// padded with spaces so the data starts on a multiple of 64 and terminated by '\n', as the spec describes.
    /// </summary>
    public static byte[] Build(int major, string header, ReadOnlySpan<byte> data, bool pad = true)
    {
        Encoding encoding = major == 3 ? new UTF8Encoding(false) : Encoding.Latin1;
        return BuildFromBytes(major, encoding.GetBytes(header), data, pad);
    }

    /// <summary>Like <see cref="Build"/>, from header bytes that need not be valid text.</summary>
    public static byte[] BuildFromBytes(int major, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, bool pad = true)
    {
        int prefixLength = major == 1 ? 10 : 12;
        int length = header.Length + 1;
        int padding = pad ? (64 - ((prefixLength + length) % 64)) % 64 : 0;
        byte[] padded = [.. header, .. Enumerable.Repeat((byte)' ', padding), (byte)'\n'];
        return Raw((byte)major, 0, (uint)padded.Length, padded, data);
    }

    /// <summary>A file with every field given explicitly, including a header length that may lie about the header.</summary>
    public static byte[] Raw(byte major, byte minor, uint headerLength, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        int lengthSize = major == 1 ? 2 : 4;
        var bytes = new byte[Magic.Length + 2 + lengthSize + header.Length + data.Length];
        Magic.CopyTo(bytes);
        bytes[6] = major;
        bytes[7] = minor;
        if (lengthSize == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), checked((ushort)headerLength));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), headerLength);
        }

        header.CopyTo(bytes.AsSpan(8 + lengthSize));
        data.CopyTo(bytes.AsSpan(8 + lengthSize + header.Length));
        return bytes;
    }

    public static byte[] Float32Bytes(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static byte[] Float64Bytes(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    /// <summary>
    /// Every malformed or unsupported file the reader must reject: a unique name, the file's bytes, and a word
    /// (case-sensitive) that the error message must contain.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Bytes, string ExpectedWord)> Malformed()
    {
        byte[] six = Float32Bytes(0, 1, 2, 3, 4, 5); // what shape (2, 3) of '<f4' needs: 24 bytes
        byte[] WithHeader(string header) => Build(1, header, six);
        byte[] Preamble(params byte[] rest) => [.. Magic, .. rest];

        // Not a .npy file at all.
        yield return ("empty file", [], "empty");
        yield return ("bad magic: a CSV file", "x,y\n1,2\n3,4\n"u8.ToArray(), "bad magic");
        yield return ("bad magic: lower-case numpy", [0x93, .. "numpy"u8, 1, 0, 0, 0], "bad magic");
        yield return ("bad magic: an .npz zip archive", [.. "PK\u0003\u0004"u8, .. new byte[26]], "zip archive");
        yield return ("bad magic: a single byte", [0x00], "bad magic");

        // The preamble: magic, version, header length.
        yield return ("truncated inside the magic", [0x93, (byte)'N', (byte)'U', (byte)'M'], "preamble");
        yield return ("truncated inside the version", Preamble(1), "preamble");
        yield return ("truncated inside the v1 header length", Preamble(1, 0, 0x76), "preamble");
        yield return ("truncated inside the v2 header length", Preamble(2, 0, 0x76, 0, 0), "preamble");
        yield return ("unsupported version 4.0", Preamble(4, 0, 0x76, 0, 0, 0), "version 4.0");
        yield return ("unsupported version 1.1", Preamble(1, 1, 0x76, 0), "version 1.1");
        yield return ("unsupported version 0.0", Preamble(0, 0, 0x76, 0), "version 0.0");
        yield return ("unsupported version 255.255", Preamble(255, 255, 0x76, 0), "version 255.255");
        yield return ("header length past the end of the file",
            Raw(1, 0, 1000, Encoding.ASCII.GetBytes(Dict() + "\n"), six), "past the end");
        yield return ("v2 header length of 4 GiB past the end of the file",
            Raw(2, 0, uint.MaxValue, Encoding.ASCII.GetBytes(Dict() + "\n"), six), "past the end");
        yield return ("header length over the limit", Build(2, Dict() + new string(' ', Npy.MaxHeaderLength), six), "limit");
        yield return ("v3 header is not UTF-8", BuildFromBytes(3, [.. "{'descr': '"u8, 0xFF, .. "', 'fortran_order': False, 'shape': (2, 3), }"u8], six), "UTF-8");

        // The header is not a dict literal.
        yield return ("header is empty", Raw(1, 0, 0, [], six), "cannot parse header");
        yield return ("header is only padding", WithHeader("    "), "cannot parse header");
        yield return ("header is a list", WithHeader("['descr', '<f4']"), "not a dict");
        yield return ("header is a string", WithHeader("'descr'"), "not a dict");
        yield return ("header is a tuple", WithHeader("(2, 3)"), "not a dict");
        yield return ("header dict is not closed", WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "), "cannot parse header");
        yield return ("header tuple is not closed", WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}"), "cannot parse header");
        yield return ("header string is not terminated", WithHeader("{'descr': '<f4"), "unterminated string");
        yield return ("header has a misplaced quote", WithHeader("{'descr: '<f4', 'fortran_order': False, 'shape': (2, 3), }"), "cannot parse header");
        yield return ("header misses a colon", WithHeader("{'descr' '<f4', 'fortran_order': False, 'shape': (2, 3), }"), "expected ':'");
        yield return ("header misses a comma", WithHeader("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3), }"), "expected ','");
        yield return ("header has a double comma", WithHeader("{'descr': '<f4',, 'fortran_order': False, 'shape': (2, 3), }"), "cannot parse header");
        yield return ("header has text after the dict", WithHeader(Dict() + " x"), "after the end of the dict");
        yield return ("header has two dicts", WithHeader(Dict() + Dict()), "after the end of the dict");
        yield return ("header uses JSON false", WithHeader(Dict(fortranOrder: "false")), "unexpected name false");
        yield return ("header uses JSON", WithHeader("{\"descr\": \"<f4\", \"fortran_order\": false, \"shape\": [2, 3]}"), "cannot parse header");
        yield return ("header has Python 2 longs", WithHeader(Dict(shape: "(2L, 3L)")), "malformed number");
        yield return ("header has a hex number", WithHeader(Dict(shape: "(0x2, 3)")), "malformed number");
        yield return ("header has a backslash escape", WithHeader(Dict(descr: "'<f\\x34'")), "backslash");
        yield return ("header has a NUL byte", WithHeader(Dict().Replace("}", "\0}", StringComparison.Ordinal)), "cannot parse header");
        yield return ("header nests 200000 brackets", Build(2, "{'descr': " + new string('[', 200_000), six), "nesting");

        // The dict's keys.
        yield return ("header is an empty dict", WithHeader("{}"), "missing key");
        yield return ("header misses 'descr'", WithHeader("{'fortran_order': False, 'shape': (2, 3), }"), "missing key 'descr'");
        yield return ("header misses 'fortran_order'", WithHeader("{'descr': '<f4', 'shape': (2, 3), }"), "missing key 'fortran_order'");
        yield return ("header misses 'shape'", WithHeader("{'descr': '<f4', 'fortran_order': False, }"), "missing key 'shape'");
        yield return ("header repeats 'shape'", WithHeader(Dict().Replace(", }", ", 'shape': (2, 3), }", StringComparison.Ordinal)), "duplicate key 'shape'");
        yield return ("header repeats 'descr' with another value", WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'descr': '<f8'}"), "duplicate key 'descr'");
        yield return ("header has an unknown key", WithHeader(Dict().Replace(", }", ", 'extra': 1, }", StringComparison.Ordinal)), "unknown key 'extra'");
        yield return ("header has a non-string key", WithHeader(Dict().Replace(", }", ", 1: 2, }", StringComparison.Ordinal)), "unknown key 1");

        // 'descr': only '<f4' and '<f8'.
        yield return ("big-endian float32 '>f4'", WithHeader(Dict(descr: "'>f4'")), "big-endian");
        yield return ("big-endian float64 '>f8'", Build(1, Dict(descr: "'>f8'"), Float64Bytes(0, 1, 2, 3, 4, 5)), "big-endian");
        yield return ("object dtype '|O'", Build(1, Dict(descr: "'|O'"), new byte[48]), "object");
        yield return ("int32 dtype '<i4'", WithHeader(Dict(descr: "'<i4'")), "'<i4'");
        yield return ("int64 dtype '<i8'", Build(1, Dict(descr: "'<i8'"), new byte[48]), "'<i8'");
        yield return ("float16 dtype '<f2'", Build(1, Dict(descr: "'<f2'"), new byte[12]), "'<f2'");
        yield return ("complex64 dtype '<c8'", Build(1, Dict(descr: "'<c8'"), new byte[48]), "'<c8'");
        yield return ("bool dtype '|b1'", Build(1, Dict(descr: "'|b1'"), new byte[6]), "'|b1'");
        yield return ("native-order float32 '=f4'", WithHeader(Dict(descr: "'=f4'")), "'=f4'");
        yield return ("dtype given by name 'float32'", WithHeader(Dict(descr: "'float32'")), "'float32'");
        yield return ("structured dtype", WithHeader(Dict(descr: "[('x', '<f4')]")), "structured");
        yield return ("descr is not a string", WithHeader(Dict(descr: "4")), "unsupported dtype 4");

        // 'fortran_order'.
        yield return ("Fortran order", WithHeader(Dict(fortranOrder: "True")), "Fortran");
        yield return ("fortran_order is not a bool", WithHeader(Dict(fortranOrder: "0")), "True or False");

        // 'shape'.
        yield return ("shape is a list", WithHeader(Dict(shape: "[2, 3]")), "tuple of integers");
        yield return ("shape is an int", WithHeader(Dict(shape: "6")), "tuple of integers");
        yield return ("shape is a parenthesized int, not a tuple", WithHeader(Dict(shape: "(6)")), "tuple of integers");
        yield return ("shape holds floats (4e9, 4e9)", Build(1, Dict(shape: "(4e9, 4e9)"), new byte[8]), "tuple of integers");
        yield return ("shape holds strings", WithHeader(Dict(shape: "('2', '3')")), "tuple of integers");
        yield return ("shape holds None", WithHeader(Dict(shape: "(None,)")), "tuple of integers");
        yield return ("negative dimensions", WithHeader(Dict(shape: "(-2, -3)")), "negative");
        yield return ("negative dimension next to a zero", Build(1, Dict(shape: "(0, -1)"), []), "negative");
        yield return ("element count overflows 64 bits (4000000000, 4000000000)",
            Build(1, Dict(shape: "(4000000000, 4000000000)"), new byte[8]), "overflows");
        yield return ("element count overflows 64 bits beside a zero", Build(1, Dict(shape: "(0, 4294967296, 4294967296)"), []), "overflows");
        yield return ("dimension beyond 64 bits", Build(1, Dict(shape: "(" + new string('9', 30) + ",)"), new byte[8]), "overflows");
        yield return ("element count 2**62", Build(1, Dict(shape: "(4611686018427387904,)"), new byte[8]), "too many elements");
        yield return ("element count one past Array.MaxLength",
            Build(1, Dict(shape: $"({(Array.MaxLength + 1L).ToString(CultureInfo.InvariantCulture)},)"), new byte[8]), "too many elements");
        yield return ("dimension past int32 in an empty array", Build(1, Dict(shape: "(0, 3000000000)"), []), "too large");

        // The data must be exactly what the header describes.
        yield return ("data is truncated", Build(1, Dict(), six.AsSpan(0, 12)), "truncated");
        yield return ("data is missing", Build(1, Dict(), []), "truncated");
        yield return ("data is one byte short", Build(1, Dict(), six.AsSpan(0, 23)), "truncated");
        yield return ("float64 header over float32 data", Build(1, Dict(descr: "'<f8'"), six), "truncated");
        yield return ("data of Array.MaxLength elements claimed, 8 bytes present",
            Build(1, Dict(shape: $"({Array.MaxLength.ToString(CultureInfo.InvariantCulture)},)"), new byte[8]), "truncated");
        yield return ("data has trailing bytes", Build(1, Dict(), [.. six, 0, 0, 0, 0]), "trailing");
        yield return ("data has one trailing byte", Build(1, Dict(), [.. six, 0]), "trailing");
        yield return ("scalar with two elements", Build(1, Dict(shape: "()"), Float32Bytes(1, 2)), "trailing");
        yield return ("empty array with data", Build(1, Dict(shape: "(0, 3)"), Float32Bytes(1)), "trailing");
    }
}
