using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Lrn.Cli;

namespace Lrn.Tests;

public sealed class NpyTests : IDisposable
{
    private static readonly int[] FiveDims = [2, 3, 1, 4, 2];

    private readonly string _directory = Directory.CreateTempSubdirectory("lrn-npy-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // ---------------------------------------------------------------- round trips through Npy.Write

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Write_Float32_RoundTripsEveryRank(int rank)
    {
        int[] shape = FiveDims[..rank];
        float[] data = RandomFloats(Product(shape), seed: rank);
        string path = PathFor($"f32-rank{rank}.npy");

        Npy.Write(path, shape, data);
        NpyArray array = Npy.Read(path);

        Assert.Equal(NpyDType.Float32, array.DType);
        Assert.Equal(shape, array.Shape);
        Assert.Equal(data.Length, array.Length);
        Assert.Null(array.Float64);
        Assert.Equal(Bits(data), Bits(array.Float32!));
        AssertWrittenLikeNumpy(File.ReadAllBytes(path), "<f4", shape, NpyFiles.Float32Bytes(data));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Write_Float64_RoundTripsEveryRank(int rank)
    {
        int[] shape = FiveDims[..rank];
        double[] data = RandomDoubles(Product(shape), seed: rank);
        string path = PathFor($"f64-rank{rank}.npy");

        Npy.Write(path, shape, data);
        NpyArray array = Npy.Read(path);

        Assert.Equal(NpyDType.Float64, array.DType);
        Assert.Equal(shape, array.Shape);
        Assert.Equal(data.Length, array.Length);
        Assert.Null(array.Float32);
        Assert.Equal(Bits(data), Bits(array.Float64!));
        AssertWrittenLikeNumpy(File.ReadAllBytes(path), "<f8", shape, NpyFiles.Float64Bytes(data));
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 2, 0, 3 })]
    [InlineData(new[] { 123456789, 0 })]
    public void Write_EmptyArrays_RoundTrip(int[] shape)
    {
        string path = PathFor("empty.npy");

        Npy.Write(path, shape, ReadOnlySpan<float>.Empty);
        NpyArray array = Npy.Read(path);

        Assert.Equal(shape, array.Shape);
        Assert.Empty(array.Float32!);
        AssertWrittenLikeNumpy(File.ReadAllBytes(path), "<f4", shape, []);
    }

    [Fact]
    public void Write_HeaderTooLongForVersion1_FallsBackToVersion2()
    {
        // 30 000 dimensions of 1 make a header of about 90 KB, more than version 1.0's uint16 length can say.
        int[] shape = [.. Enumerable.Repeat(1, 30_000)];
        string path = PathFor("v2.npy");

        Npy.Write(path, shape, [42.0]);
        byte[] bytes = File.ReadAllBytes(path);
        NpyArray array = Npy.Read(path);

        Assert.Equal(2, bytes[6]);
        Assert.Equal(0, bytes[7]);
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        Assert.True(headerLength > ushort.MaxValue);
        Assert.Equal(0u, (12 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[12 + (int)headerLength - 1]);
        Assert.Equal(shape, array.Shape);
        Assert.Equal([42.0], array.Float64!);
    }

    // ---------------------------------------------------------------- exactly numpy's bytes

    /// <summary>
    /// What <c>np.save(f, np.arange(6, dtype='&lt;f4').reshape(2, 3))</c> writes, spelled out from the format spec:
    /// magic, version 1.0, a uint16 header length, the dict with sorted keys, spaces up to a 64-byte boundary, '\n',
    /// then six little-endian floats. (Current numpy puts 20 of the spaces right after the dict as room to grow the
    /// first axis; the total of 58 spaces is the same either way.)
    /// </summary>
    private static byte[] NumpyArange6Reshaped2x3() =>
    [
        0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', // magic
        0x01, 0x00,                                                   // version 1.0
        0x76, 0x00,                                                   // header length 118: 10 + 118 = 128 = 2 * 64
        .. "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"u8, // 59 bytes
        .. Enumerable.Repeat((byte)' ', 58),                          // 59 + 58 + 1 = 118
        (byte)'\n',
        0x00, 0x00, 0x00, 0x00,                                       // 0.0f
        0x00, 0x00, 0x80, 0x3F,                                       // 1.0f
        0x00, 0x00, 0x00, 0x40,                                       // 2.0f
        0x00, 0x00, 0x40, 0x40,                                       // 3.0f
        0x00, 0x00, 0x80, 0x40,                                       // 4.0f
        0x00, 0x00, 0xA0, 0x40,                                       // 5.0f
    ];

    [Fact]
    public void Read_FileAsNumpyWritesIt()
    {
        byte[] bytes = NumpyArange6Reshaped2x3();
        Assert.Equal(128 + 24, bytes.Length);

        NpyArray array = Npy.Read(new MemoryStream(bytes), "arange.npy");

        Assert.Equal(NpyDType.Float32, array.DType);
        Assert.Equal([2, 3], array.Shape);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], array.Float32!);
    }

    [Fact]
    public void Write_ProducesExactlyNumpysBytes()
    {
        string path = PathFor("arange.npy");

        Npy.Write(path, [2, 3], [0f, 1f, 2f, 3f, 4f, 5f]);

        Assert.Equal(NumpyArange6Reshaped2x3(), File.ReadAllBytes(path));
    }

    // ---------------------------------------------------------------- hand-built files: versions and header syntax

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_AcceptsFormatVersions(int major)
    {
        float[] floats = [1.5f, -2f, float.NaN, float.PositiveInfinity, -0f, float.Epsilon];
        double[] doubles = [1.5, -2, double.NaN, double.NegativeInfinity, -0.0, double.Epsilon];

        NpyArray f32 = ReadBoth(NpyFiles.Build(major, NpyFiles.Dict(), NpyFiles.Float32Bytes(floats)));
        NpyArray f64 = ReadBoth(NpyFiles.Build(major, NpyFiles.Dict(descr: "'<f8'"), NpyFiles.Float64Bytes(doubles)));

        Assert.Equal([2, 3], f32.Shape);
        Assert.Equal(Bits(floats), Bits(f32.Float32!));
        Assert.Equal([2, 3], f64.Shape);
        Assert.Equal(Bits(doubles), Bits(f64.Float64!));
    }

    [Fact]
    public void Read_Version3HeaderIsUtf8_OthersLatin1()
    {
        // The same descr reaches the parser as 'é' either way, which proves each version's decoding.
        byte[] v3 = NpyFiles.Build(3, NpyFiles.Dict(descr: "'é'"), new byte[24]);
        byte[] v1 = NpyFiles.Build(1, NpyFiles.Dict(descr: "'é'"), new byte[24]);

        Assert.Contains("unsupported dtype 'é'", Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(v3), "v3.npy")).Message);
        Assert.Contains("unsupported dtype 'é'", Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(v1), "v1.npy")).Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", "2,3")]
    [InlineData("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}", "2,3")]
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}", "2,3")]
    [InlineData("  {'descr':'<f4','fortran_order':False,'shape':(2,3)}", "2,3")]
    [InlineData("{ 'descr' : '<f4' ,\n\t'fortran_order' : False ,\r\n 'shape' : ( 2 , 3 , ) , }\n\n", "2,3")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", "6")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6 , ), }", "6")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (+6,), }", "6")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 6, 1, 1), }", "1,6,1,1")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (((6,))), }", "6")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", "")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': ( ), }", "")]
    public void Read_ParsesHeaderVariants(string header, string expectedShape)
    {
        int[] shape = expectedShape.Length == 0 ? [] : [.. expectedShape.Split(',').Select(int.Parse)];
        float[] data = RandomFloats(Product(shape), seed: 7);

        NpyArray array = ReadBoth(NpyFiles.Build(1, header, NpyFiles.Float32Bytes(data)));

        Assert.Equal(shape, array.Shape);
        Assert.Equal(Bits(data), Bits(array.Float32!));
    }

    [Fact]
    public void Read_HeaderNeedsNeitherPaddingNorNewline()
    {
        // numpy's reader does not insist on them either; the data simply starts where the header length says.
        byte[] text = Encoding.ASCII.GetBytes(NpyFiles.Dict(shape: "(2,)"));
        byte[] bytes = NpyFiles.Raw(1, 0, (uint)text.Length, text, NpyFiles.Float32Bytes(3, 4));

        Assert.Equal([3f, 4f], ReadBoth(bytes).Float32!);
    }

    [Fact]
    public void Valid_BuildsA64ByteAlignedVersion1File()
    {
        byte[] bytes = NpyFiles.Valid([3], [1f, 2f, 3f]);

        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, (10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))) % 64);
        NpyArray array = ReadBoth(bytes);
        Assert.Equal([3], array.Shape);
        Assert.Equal([1f, 2f, 3f], array.Float32!);
        Assert.Equal([4.0], ReadBoth(NpyFiles.ValidFloat64([], [4.0])).Float64!);
    }

    // ---------------------------------------------------------------- streams and files

    [Fact]
    public void Read_Stream_StartsAtTheCurrentPosition()
    {
        byte[] file = NpyFiles.Valid([2], [1f, 2f]);
        var stream = new MemoryStream([1, 2, 3, .. file]) { Position = 3 };

        Assert.Equal([1f, 2f], Npy.Read(stream, "offset.npy").Float32!);
    }

    [Fact]
    public void Read_NonSeekableStream_GrowsToLargeArrays()
    {
        double[] data = RandomDoubles(300_000, seed: 3);
        byte[] file = NpyFiles.ValidFloat64([600, 500], data);

        NpyArray array = Npy.Read(new NonSeekableStream(file), "pipe");
        NpyArray trickled = Npy.Read(new NonSeekableStream(NpyFiles.ValidFloat64([5], [1, 2, 3, 4, 5]), maxChunk: 3), "trickle");

        Assert.Equal([600, 500], array.Shape);
        Assert.Equal(Bits(data), Bits(array.Float64!));
        Assert.Equal([1.0, 2, 3, 4, 5], trickled.Float64!);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundUnchanged()
    {
        Assert.Throws<FileNotFoundException>(() => Npy.Read(PathFor("nope.npy")));
    }

    [Fact]
    public void Read_MessagesStartWithTheName()
    {
        string path = PathFor("bad.npy");
        File.WriteAllBytes(path, "not numpy"u8.ToArray());

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(path));

        Assert.StartsWith(path + ": not a .npy file (bad magic", error.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- malformed files

    public static TheoryData<string> MalformedNames() => [.. NpyFiles.Malformed().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void Read_RejectsMalformedFile(string caseName)
    {
        (_, byte[] bytes, string word) = NpyFiles.Malformed().Single(c => c.Name == caseName);
        string path = PathFor("malformed.npy");
        File.WriteAllBytes(path, bytes);

        var fromMemory = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes), "case.npy"));
        var fromFile = Assert.Throws<NpyFormatException>(() => Npy.Read(path));
        var fromPipe = Assert.Throws<NpyFormatException>(() => Npy.Read(new NonSeekableStream(bytes, maxChunk: 4096), "pipe.npy"));

        AssertOneLineMessage(fromMemory, "case.npy", word);
        AssertOneLineMessage(fromFile, path, word);

        // Without a length to compare against, a huge header length can only be refused by the cap.
        string pipeWord = word == "past the end" && fromPipe.Message.Contains("exceeds the limit", StringComparison.Ordinal) ? "limit" : word;
        AssertOneLineMessage(fromPipe, "pipe.npy", pipeWord);
    }

    [Fact]
    public void Malformed_HasUniqueNamesAndCoversEveryRequiredProblem()
    {
        var cases = NpyFiles.Malformed().ToList();
        string[] required =
        [
            "bad magic", "version", "past the end", "not a dict", "cannot parse header", "missing key", "duplicate key",
            "unknown key", "big-endian", "Fortran", "object", "'<i4'", "negative", "overflows", "too many elements",
            "truncated", "trailing", "limit", "UTF-8", "structured", "nesting",
        ];

        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        Assert.All(required, word => Assert.Contains(cases, c => c.ExpectedWord.Contains(word, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("(4611686018427387904,)", "too many elements")]
    [InlineData("(4000000000, 4000000000)", "overflows")]
    [InlineData("(2147483591,)", "truncated")]
    [InlineData("(46340, 46340)", "truncated")]
    public void Read_HostileShape_FailsFastWithoutAllocating(string shape, string word)
    {
        byte[] bytes = NpyFiles.Build(1, NpyFiles.Dict(descr: "'<f8'", shape: shape), new byte[8]);
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var seekable = Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(bytes), "hostile.npy"));
        var pipe = Assert.Throws<NpyFormatException>(() => Npy.Read(new NonSeekableStream(bytes), "hostile.npy"));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Contains(word, seekable.Message, StringComparison.Ordinal);
        Assert.Contains(word, pipe.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    // ---------------------------------------------------------------- fuzzing

    [Fact]
    public void Read_EveryTruncation_ThrowsFormatException()
    {
        byte[][] files =
        [
            NpyFiles.Valid([2, 3], [0f, 1f, 2f, 3f, 4f, 5f]),
            NpyFiles.ValidFloat64([], [1.0]),
            NpyFiles.Build(2, NpyFiles.Dict(shape: "(3,)"), NpyFiles.Float32Bytes(1, 2, 3)),
        ];

        foreach (byte[] file in files)
        {
            for (int length = 0; length < file.Length; length++)
            {
                byte[] prefix = file[..length];
                Assert.Throws<NpyFormatException>(() => Npy.Read(new MemoryStream(prefix), "prefix.npy"));
                Assert.Throws<NpyFormatException>(() => Npy.Read(new NonSeekableStream(prefix), "prefix.npy"));
            }

            _ = Npy.Read(new MemoryStream(file), "whole.npy");
        }
    }

    [Fact]
    public void Read_RandomByteFlips_SucceedOrThrowFormatException()
    {
        byte[] original = NpyFiles.Valid([2, 3], [0f, 1f, 2f, 3f, 4f, 5f]);
        byte[] interesting = "(){}[],:'\"\\-+.e0129 \n\0TFN"u8.ToArray();
        var random = new Random(20_260_101);
        int succeeded = 0;
        int rejected = 0;

        for (int trial = 0; trial < 1000; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                // Mostly hit the preamble and header, where the parsing is; a flip in the data is always harmless.
                int position = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(128);
                bytes[position] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
            }

            foreach (Stream stream in new Stream[] { new MemoryStream(bytes), new NonSeekableStream(bytes, maxChunk: 1 + random.Next(64)) })
            {
                try
                {
                    _ = Npy.Read(stream, "fuzz.npy");
                    succeeded++;
                }
                catch (NpyFormatException error)
                {
                    Assert.DoesNotContain('\n', error.Message);
                    rejected++;
                }
            }
        }

        // Both outcomes must actually occur, or the fuzzing is not exercising anything.
        Assert.True(succeeded > 0 && rejected > 0, $"{succeeded} succeeded, {rejected} rejected");
    }

    // ---------------------------------------------------------------- Write's argument checks and atomicity

    [Fact]
    public void Write_ShapeNotMatchingData_ThrowsNamingData()
    {
        string path = PathFor("mismatch.npy");

        var error = Assert.Throws<ArgumentException>(() => Npy.Write(path, [2, 3], new float[5]));
        var huge = Assert.Throws<ArgumentException>(() => Npy.Write(path, [int.MaxValue, int.MaxValue, 2], new double[4]));

        Assert.Equal("data", error.ParamName);
        Assert.Contains("(2, 3) holds 6 elements but data has 5", error.Message, StringComparison.Ordinal);
        Assert.Equal("data", huge.ParamName);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_NegativeDimension_ThrowsNamingShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Npy.Write(PathFor("negative.npy"), [-1, -6], new float[6]));

        Assert.Equal("shape", error.ParamName);
    }

    [Fact]
    public void Write_ReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        string path = PathFor("replace.npy");

        Npy.Write(path, [2], [1f, 2f]);
        Npy.Write(path, [3], [7.0, 8.0, 9.0]);

        Assert.Equal([7.0, 8.0, 9.0], Npy.Read(path).Float64!);
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Write_FailingRename_DeletesTheTemporaryFile()
    {
        // A directory where the file should go makes the final rename fail after the temporary file was written.
        string path = PathFor("taken.npy");
        Directory.CreateDirectory(path);

        var error = Record.Exception(() => Npy.Write(path, [2], [1f, 2f]));

        Assert.True(error is IOException or UnauthorizedAccessException, $"unexpected {error}");
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Write_MissingDirectory_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Npy.Write(PathFor("no/such/dir/x.npy"), [1], [1f]));
    }

    // ---------------------------------------------------------------- helpers

    private string PathFor(string fileName) => Path.Combine(_directory, fileName);

    /// <summary>Reads a file from a seekable and a non-seekable stream, requires both to agree, and returns one.</summary>
    private static NpyArray ReadBoth(byte[] bytes)
    {
        NpyArray seekable = Npy.Read(new MemoryStream(bytes), "test.npy");
        NpyArray pipe = Npy.Read(new NonSeekableStream(bytes, maxChunk: 5), "test.npy");
        Assert.Equal(seekable.Shape, pipe.Shape);
        Assert.Equal(seekable.DType, pipe.DType);
        Assert.Equal(Bits(seekable.Float32 ?? []), Bits(pipe.Float32 ?? []));
        Assert.Equal(Bits(seekable.Float64 ?? []), Bits(pipe.Float64 ?? []));
        return seekable;
    }

    /// <summary>Checks a file from Npy.Write byte by byte against the format spec and numpy's own layout.</summary>
    private static void AssertWrittenLikeNumpy(byte[] file, string descr, int[] shape, byte[] data)
    {
        Assert.Equal(NpyFiles.Magic.ToArray(), file[..6]);
        Assert.Equal([1, 0], file[6..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        int dataOffset = 10 + headerLength;
        Assert.Equal(0, dataOffset % 64);
        Assert.Equal(dataOffset + data.Length, file.Length);

        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NpyFiles.ShapeText(shape)}, }}";
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(dict + new string(' ', headerLength - dict.Length - 1) + "\n", header);
        Assert.Equal(data, file[dataOffset..]);
    }

    private static void AssertOneLineMessage(NpyFormatException error, string name, string word)
    {
        Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    private static int Product(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>Random values plus the ones a byte-level bug would mangle: NaN payloads, signed zero, infinities, subnormals.</summary>
    private static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        float[] special = [float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue];
        return [.. Enumerable.Range(0, count).Select(i => i < special.Length ? special[i] : (float)((random.NextDouble() * 200) - 100))];
    }

    private static double[] RandomDoubles(int count, int seed)
    {
        var random = new Random(seed);
        double[] special = [double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue];
        return [.. Enumerable.Range(0, count).Select(i => i < special.Length ? special[i] : (random.NextDouble() * 200) - 100)];
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    /// <summary>A read-only stream that cannot seek or report its length, like a pipe, and may return short reads.</summary>
    private sealed class NonSeekableStream(byte[] bytes, int maxChunk = int.MaxValue) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, maxChunk), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
