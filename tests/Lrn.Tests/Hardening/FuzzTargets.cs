using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Lrn.Cli;

namespace Lrn.Tests;

/// <summary>A fuzz input broke one of the rules a target checks (as opposed to crashing, which is an unexpected exception).</summary>
public sealed class FuzzRuleException : Exception
{
    public FuzzRuleException()
    {
    }

    public FuzzRuleException(string message)
        : base(message)
    {
    }

    public FuzzRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The fuzz targets, shared by the bounded runs in CI (<see cref="FuzzTests"/>) and the long, coverage-guided runs of
/// tests/Lrn.Fuzz (SharpFuzz with AFL++ or libFuzzer). Each takes one input as bytes and returns normally when every
/// rule holds; a broken rule throws <see cref="FuzzRuleException"/>, and any other exception that escapes is a crash.
/// Public so that tests/Lrn.Fuzz, which cannot see the CLI's internals, can call them.
/// </summary>
public static class FuzzTargets
{
    /// <summary>What one read may allocate beyond a multiple of the input's length: the 1 MiB header cap a non-seekable stream allows, decoded.</summary>
    public const long NpyAllocationConstant = 8L << 20;

    /// <summary>Bytes one read may allocate per byte of input (header as bytes and text, data, and twice the data for a growing non-seekable read).</summary>
    public const long NpyAllocationPerInputByte = 32;

    /// <summary>
    /// The .npy reader: through a seekable stream and a non-seekable one that hands out the bytes in small chunks. Rules:
    /// the only exception is <see cref="NpyFormatException"/> with a one-line message that starts with the name; both
    /// streams agree; an accepted array has as many elements as its shape says and reads back, rewritten, to the same
    /// bits; the reader allocates no more than <see cref="NpyAllocationConstant"/> + <see cref="NpyAllocationPerInputByte"/>
    /// times the input's length (it never trusts a size in the header).
    /// </summary>
    /// <returns>Whether the file was accepted.</returns>
    public static bool Npy(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        (NpyArray? seekable, string? seekableError) = TryRead(new MemoryStream(bytes, writable: false));
        int chunk = 1 + (bytes.Length == 0 ? 0 : bytes[^1] % 61);
        (NpyArray? piped, string? pipedError) = TryRead(new ChunkedStream(bytes, chunk));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long limit = NpyAllocationConstant + (NpyAllocationPerInputByte * bytes.Length);
        Require(allocated <= limit, $"reading {bytes.Length} bytes allocated {allocated} bytes (limit {limit})");
        Require((seekable is null) == (piped is null), $"seekable and non-seekable reads disagree: '{seekableError ?? "accepted"}' vs '{pipedError ?? "accepted"}'");
        if (seekable is null || piped is null)
        {
            return false;
        }

        RequireConsistent(seekable);
        Require(SameArray(seekable, piped), "seekable and non-seekable reads returned different arrays");

        // Rewritten by the test's own builder (independent of Npy.Write), the array must read back bit for bit.
        byte[] data = seekable.DType == NpyDType.Float32 ? NpyFiles.Float32Bytes(seekable.Float32!) : NpyFiles.Float64Bytes(seekable.Float64!);
        string descr = seekable.DType == NpyDType.Float32 ? "'<f4'" : "'<f8'";
        byte[] rewritten = NpyFiles.Build(2, NpyFiles.Dict(descr: descr, shape: NpyFiles.ShapeText(seekable.Shape)), data);
        Require(SameArray(seekable, Lrn.Cli.Npy.Read(new MemoryStream(rewritten), "rewritten.npy")), "the array does not survive a rewrite");
        return true;
    }

    /// <summary>
    /// The command line: <paramref name="bytes"/> are decoded into an argument vector by <see cref="CliArguments"/>, which
    /// draws commands, options, values and file names (valid, malformed, missing, a directory, outputs) from tables, so
    /// mutations of the bytes stay mostly meaningful. Rules: <see cref="CommandLine.Run"/> returns 0 or 2 and never throws;
    /// exit 2 prints exactly one line, "lrn: ...", on stderr (or, with no arguments, the help on stdout); exit 0 prints
    /// nothing on stderr, and apply or grad leave a readable .npy of the input's dtype and shape; a failed apply or grad
    /// leaves no output file and no temporary file behind. The lrn bench and lrn explain commands are left out: they time
    /// and draw rather than read untrusted files, and belong to other work.
    /// </summary>
    public static int CommandLine(byte[] bytes, CliFuzzFiles files)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(files);
        string[] args = files.Confine(CliArguments.Decode(bytes, files));
        if (args.Length > 0 && args[0] is "bench" or "explain")
        {
            return -1;
        }

        files.ResetOutputs();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Lrn.Cli.CommandLine.Run(args, stdout, stderr);
        string err = stderr.ToString();
        string shown = string.Join(' ', args.Select(a => "'" + a + "'"));
        Require(code is 0 or 2, $"exit code {code} for {shown}");
        string[] outputs = files.ExistingOutputs();
        if (code == 2)
        {
            bool help = args.Length == 0 && err.Length == 0 && stdout.ToString().StartsWith("lrn:", StringComparison.Ordinal);
            Require(help || (err.StartsWith("lrn: ", StringComparison.Ordinal) && err.Count(ch => ch == '\n') == 1 && err.EndsWith('\n')), $"exit 2 without one 'lrn: ' line on stderr for {shown}: {err}");
            Require(outputs.Length == 0, $"a failed run left {string.Join(", ", outputs)} for {shown}");
            Require(files.ChangedInputs(args).Length == 0, $"a failed run changed {string.Join(", ", files.ChangedInputs(args))} for {shown}");
        }
        else
        {
            Require(err.Length == 0, $"exit 0 with stderr '{err}' for {shown}");
            if (args.Length > 0 && args[0] is "apply" or "grad")
            {
                CheckOutput(args, files, shown);
            }
        }

        // An input named as the output was legitimately replaced: put it back for the next input.
        files.RestoreInputs(args);

        Require(files.TemporaryFiles().Length == 0, $"temporary files left behind for {shown}");
        return code;
    }

    /// <summary>After exit 0 from apply or grad: the last positional is a readable .npy of the first's dtype and shape.</summary>
    private static void CheckOutput(string[] args, CliFuzzFiles files, string shown)
    {
        List<string> positionals = CliOptions.Parse(args[1..]).Positionals;
        NpyArray input = files.Original(positionals[0]);
        NpyArray written = Lrn.Cli.Npy.Read(positionals[^1]);
        RequireConsistent(written);
        Require(written.DType == input.DType && written.Shape.AsSpan().SequenceEqual(input.Shape), $"the output's dtype or shape differs from the input's for {shown}");
    }

    private static (NpyArray? Array, string? Error) TryRead(Stream stream)
    {
        try
        {
            return (Lrn.Cli.Npy.Read(stream, "fuzz.npy"), null);
        }
        catch (NpyFormatException e)
        {
            Require(e.Message.StartsWith("fuzz.npy: ", StringComparison.Ordinal), $"message does not start with the name: {e.Message}");
            Require(!e.Message.Contains('\n', StringComparison.Ordinal) && !e.Message.Contains('\r', StringComparison.Ordinal), $"message is not one line: {e.Message}");
            return (null, e.Message);
        }
    }

    private static void RequireConsistent(NpyArray array)
    {
        long product = 1;
        foreach (int d in array.Shape)
        {
            Require(d >= 0, $"negative dimension {d}");
            product *= d;
        }

        long length = array.DType == NpyDType.Float32 ? array.Float32!.LongLength : array.Float64!.LongLength;
        Require(array.Length == product && length == product, $"shape ({string.Join(", ", array.Shape)}) holds {product} elements, the array {length}");
        Require((array.Float32 is null) != (array.Float64 is null), "exactly one of Float32 and Float64 must be set");
    }

    private static bool SameArray(NpyArray a, NpyArray b) =>
        a.DType == b.DType && a.Shape.AsSpan().SequenceEqual(b.Shape) && (a.DType == NpyDType.Float32
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Float32.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.Float32.AsSpan()))
            : System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Float64.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.Float64.AsSpan())));

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new FuzzRuleException(rule);
        }
    }

    /// <summary>A stream that cannot seek and returns at most <c>chunk</c> bytes per read, like a pipe.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : Stream
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
            int n = Math.Min(Math.Min(buffer.Length, chunk), bytes.Length - _position);
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

/// <summary>
/// The files a command-line fuzz run draws from, in a directory of its own: valid inputs of several ranks, dtypes and
/// sizes, malformed ones, a missing path, a directory, and output paths that are cleared before every input.
/// </summary>
public sealed class CliFuzzFiles : IDisposable
{
    private readonly string _root;
    private readonly string _outputs;
    private readonly Dictionary<string, byte[]> _originals = new(StringComparer.Ordinal);

    public CliFuzzFiles()
    {
        _root = System.IO.Directory.CreateTempSubdirectory("lrn-cli-fuzz-").FullName;
        _outputs = Path.Combine(_root, "out");
        System.IO.Directory.CreateDirectory(_outputs);
        var inputs = new List<string>();
        void Add(string name, byte[] bytes)
        {
            string path = Path.Combine(_root, name);
            File.WriteAllBytes(path, bytes);
            inputs.Add(path);
            _originals[path] = bytes;
        }

        var random = new Random(7);
        float[] Floats(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 4) - 2))];
        Add("f32-2x5.npy", NpyFiles.Valid([2, 5], Floats(10)));
        Add("f32-1x3x4x4.npy", NpyFiles.Valid([1, 3, 4, 4], Floats(48)));
        Add("f32-2x3x7.npy", NpyFiles.Valid([2, 3, 7], Floats(42)));
        Add("f64-2x4x3.npy", NpyFiles.ValidFloat64([2, 4, 3], [.. Floats(24).Select(v => (double)v)]));
        Add("f32-rank1.npy", NpyFiles.Valid([4], Floats(4)));
        Add("f32-rank0.npy", NpyFiles.Valid([], Floats(1)));
        Add("f32-empty.npy", NpyFiles.Valid([0, 4, 3], []));
        Add("f32-huge-values.npy", NpyFiles.Valid([1, 4, 2], [3e38f, -3e38f, float.NaN, float.PositiveInfinity, 1e-45f, 0, -0f, 1]));
        foreach ((string name, byte[] bytes, _) in NpyFiles.Malformed().Where((_, i) => i % 9 == 0))
        {
            Add("bad-" + string.Concat(name.Where(char.IsAsciiLetterOrDigit)) + ".npy", bytes);
        }

        Inputs = [.. inputs];
        Outputs = [.. Enumerable.Range(0, 3).Select(i => Path.Combine(_outputs, $"out{i}.npy"))];
        Missing = Path.Combine(_root, "missing", "nothing.npy");
        Directory = _root;
    }

    /// <summary>Existing files, valid and malformed.</summary>
    public string[] Inputs { get; }

    /// <summary>Paths that do not exist before each input runs.</summary>
    public string[] Outputs { get; }

    /// <summary>A path in a directory that does not exist.</summary>
    public string Missing { get; }

    /// <summary>A directory, where a file is expected.</summary>
    public string Directory { get; }

    /// <summary>
    /// Moves every relative path among the positionals into this run's output directory, so that no input writes into the
    /// current directory: a value such as "3" or "APPLY" in a positional place would otherwise be read or written there.
    /// Options that take a value are recognized as <c>CliOptions.Parse</c> does (with "=" or with the next argument).
    /// </summary>
    public string[] Confine(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string[] confined = (string[])args.Clone();
        for (int i = 1; i < confined.Length; i++)
        {
            string arg = confined[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg != "--")
            {
                i += !arg.Contains('=', StringComparison.Ordinal) && CliArguments.OptionNames.AsSpan(0, 11).Contains(arg) ? 1 : 0;
            }
            else if (!Path.IsPathRooted(arg))
            {
                confined[i] = Path.Combine(_outputs, "relative-" + Convert.ToHexString(Encoding.UTF8.GetBytes(arg)));
            }
        }

        return confined;
    }

    public void ResetOutputs()
    {
        foreach (string path in System.IO.Directory.GetFiles(_outputs))
        {
            File.Delete(path);
        }
    }

    /// <summary>Files in the output directory after a run: the outputs, and any relative path <see cref="Confine"/> moved there.</summary>
    public string[] ExistingOutputs() => System.IO.Directory.GetFiles(_outputs);

    /// <summary>Hidden temporary files that a writer failed to clean up.</summary>
    public string[] TemporaryFiles() =>
        [.. System.IO.Directory.GetFiles(_outputs, ".*.tmp").Concat(System.IO.Directory.GetFiles(_root, ".*.tmp"))];

    /// <summary>The files in the current directory, to check that a run wrote none there.</summary>
    public static string[] CurrentDirectoryFiles() => [.. System.IO.Directory.GetFiles(Environment.CurrentDirectory).Order(StringComparer.Ordinal)];

    /// <summary>The array an input file held before any run, read from its original bytes.</summary>
    internal NpyArray Original(string path) => Npy.Read(new MemoryStream(_originals[path]), path);

    /// <summary>The inputs named in <paramref name="args"/> whose bytes are no longer the original ones.</summary>
    public string[] ChangedInputs(string[] args) =>
        [.. args.Where(_originals.ContainsKey).Distinct().Where(path => !File.ReadAllBytes(path).AsSpan().SequenceEqual(_originals[path]))];

    public void RestoreInputs(string[] args)
    {
        foreach (string path in ChangedInputs(args))
        {
            File.WriteAllBytes(path, _originals[path]);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}

/// <summary>
/// Turns bytes into an argument vector: each token is chosen by one byte from a table picked by the byte before it,
/// so every byte string decodes to something and small mutations change one token. Byte 0xFF starts a raw token:
/// the bytes up to the next 0x00, as Latin-1.
/// </summary>
public static class CliArguments
{
    public static readonly string[] Commands = ["apply", "grad", "demo", "conventions", "--help", "-h", "help", "--version", "", "bogus", "APPLY", "apply "];

    public static readonly string[] OptionNames =
    [
        "--convention", "--size", "--depth-radius", "--alpha", "--beta", "--bias", "--k", "--region", "--layout", "--kernel", "--threads",
        "--Size", "-size", "---size", "--", "--size=", "--alpha=", "--=3", "--unknown", "--convention=onnx", "--size=3", "--threads=1",
    ];

    public static readonly string[] Values =
    [
        "pytorch", "tensorflow", "onnx", "cudnn", "caffe", "onednn", "mxnet", "paper", "canonical", "PyTorch", "keras", string.Empty,
        "0", "1", "2", "3", "4", "5", "7", "16", "17", "-1", "-2", "2147483647", "2147483648", "-2147483648", "99999999999",
        "1e-4", "0.75", "-0.5", "NaN", "nan", "Infinity", "-Infinity", "1e308", "1e400", "1e-400", "0x10", " 5", "5 ", "\u0663", "5.0", "1,5", "+3",
        "across", "within", "Within", "channels-first", "channels-last", "nchw",
        "auto", "vector512", "vector256", "vector128", "scalar", "reference", "Auto", "SCALAR", "9",
    ];

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="files"/> supplies the paths.</summary>
    public static string[] Decode(ReadOnlySpan<byte> bytes, CliFuzzFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var args = new List<string>();
        for (int i = 0; i + 1 < bytes.Length && args.Count < 32; i += 2)
        {
            byte kind = bytes[i];
            byte pick = bytes[i + 1];
            if (kind == 0xFF)
            {
                int end = bytes[(i + 1)..].IndexOf((byte)0);
                end = end < 0 ? bytes.Length : i + 1 + end;
                args.Add(Encoding.Latin1.GetString(bytes[(i + 1)..end]));
                i = end - 1;
                continue;
            }

            args.Add((kind % 5) switch
            {
                0 => Commands[pick % Commands.Length],
                1 => OptionNames[pick % OptionNames.Length],
                2 => Values[pick % Values.Length],
                3 => files.Inputs[pick % files.Inputs.Length],
                _ => (pick % 8) switch
                {
                    0 => files.Missing,
                    1 => files.Directory,
                    _ => files.Outputs[pick % files.Outputs.Length],
                },
            });
        }

        return [.. args];
    }

    /// <summary>
    /// Bytes for a plausible command line: apply or grad with its files, a convention with a size where it needs one, and
    /// a few options with values of the right kind, so that random generation reaches the library about as often as it
    /// hits a usage error.
    /// </summary>
    public static byte[] Plausible(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new List<byte>();
        void Token(int kind, int pick)
        {
            bytes.Add((byte)kind);
            bytes.Add((byte)pick);
        }

        void Option(string name, params string[] values)
        {
            Token(1, Array.IndexOf(OptionNames, name));
            Token(2, Array.IndexOf(Values, values[random.Next(values.Length)]));
        }

        bool grad = random.Next(3) == 0;
        Token(0, grad ? 1 : 0);
        Token(3, random.Next(256));
        if (grad)
        {
            Token(3, random.Next(256));
        }

        Token(4, 2 + random.Next(200));
        string convention = Values[random.Next(8)];
        Option("--convention", convention);
        if (convention != "tensorflow" || random.Next(4) == 0)
        {
            Option("--size", "1", "3", "5", "7", "4", "17");
        }

        (string Name, string[] Values)[] extras =
        [
            ("--layout", ["channels-first", "channels-last"]),
            ("--kernel", ["auto", "scalar", "reference", "vector512", "vector256", "vector128"]),
            ("--threads", ["1", "2", "-1", "16"]),
            ("--alpha", ["1e-4", "0.75", "2", "1e308"]),
            ("--beta", ["0.75", "0", "1", "-0.5"]),
            ("--bias", ["0", "1", "2"]),
            ("--region", ["across", "within"]),
        ];
        for (int count = random.Next(4); count > 0; count--)
        {
            (string name, string[] values) = extras[random.Next(extras.Length)];
            Option(name, values);
        }

        return [.. bytes];
    }
}

/// <summary>
/// A mutator for the CI runs and for tests/Lrn.Fuzz's uninstrumented mode: stacks of byte flips, interesting bytes and
/// integers, token insertions from a dictionary of .npy header syntax, deletions, duplications, truncations, splices
/// between seeds and rewrites of the version and header-length fields. Deterministic for a seed.
/// </summary>
public sealed class Mutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly byte[][] Dictionary =
    [
        .. new[]
        {
            "{", "}", "(", ")", "[", "]", ",", ":", "'", "\"", " ", "\n", "\\", ",)", "()", "(0,)", "(1,)", "-", "+", ".", "e", "E",
            "'descr'", "'fortran_order'", "'shape'", "'<f4'", "'<f8'", "'>f4'", "'|O'", "'<i4'", "True", "False", "None",
            "\u00e9", "\u0000", "\u0093NUMPY",
        }.Select(Encoding.Latin1.GetBytes),
        .. Numbers(),
    ];

    private static IEnumerable<byte[]> Numbers() =>
        new[]
        {
            "0", "1", "-1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "1e9", "0x10", "2L", "1_000", "00", "-0",
        }.Select(Encoding.Latin1.GetBytes);

    private static readonly uint[] InterestingLengths = [0, 1, 2, 63, 64, 65, 118, 127, 128, 255, 256, 65535, 65536, 1 << 20, (1 << 20) + 1, int.MaxValue, uint.MaxValue];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        byte[] bytes = seeds[_random.Next(seeds.Count)];
        for (int count = 1 + _random.Next(4); count > 0; count--)
        {
            bytes = MutateOnce(bytes);
        }

        return bytes;
    }

    private byte[] MutateOnce(byte[] input)
    {
        // Most of the parsing is in the first few hundred bytes (preamble and header): aim there more often.
        int Position(int length) => length == 0 ? 0 : _random.Next(3) == 0 ? _random.Next(length + 1) : _random.Next(Math.Min(length, 160) + 1);
        var bytes = new List<byte>(input);
        switch (_random.Next(11))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(Position(bytes.Count), bytes.Count - 1)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[Math.Min(Position(bytes.Count), bytes.Count - 1)] = (byte)_random.Next(256);
                break;
            case 2:
                bytes.InsertRange(Position(bytes.Count), Dictionary[_random.Next(Dictionary.Length)]);
                break;
            case 3 when bytes.Count > 0:
            {
                int at = Math.Min(Position(bytes.Count), bytes.Count - 1);
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(16)));
                break;
            }

            case 4 when bytes.Count > 0:
            {
                int at = Math.Min(Position(bytes.Count), bytes.Count - 1);
                byte[] copy = [.. bytes.Skip(at).Take(1 + _random.Next(32))];
                bytes.InsertRange(Position(bytes.Count), copy);
                break;
            }

            case 5:
            {
                int cut = Math.Min(Position(bytes.Count), bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            }

            case 6:
                bytes.AddRange(Enumerable.Range(0, 1 + _random.Next(64)).Select(_ => (byte)_random.Next(256)));
                break;
            case 7:
            {
                byte[] other = seeds[_random.Next(seeds.Count)];
                int cut = Math.Min(Position(bytes.Count), bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                bytes.AddRange(other.Skip(Math.Min(Position(other.Length), other.Length)));
                break;
            }

            case 8 when bytes.Count >= 8:
                bytes[6] = (byte)(_random.Next(5) == 0 ? _random.Next(256) : _random.Next(4));
                bytes[7] = (byte)(_random.Next(5) == 0 ? _random.Next(256) : 0);
                break;
            case 9 when bytes.Count >= 12:
            {
                uint length = InterestingLengths[_random.Next(InterestingLengths.Length)];
                byte[] field = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(field, length);
                bool two = bytes[6] == 1;
                for (int i = 0; i < (two ? 2 : 4); i++)
                {
                    bytes[8 + i] = field[i];
                }

                break;
            }

            default:
            {
                // Replace a run of digits with an interesting number.
                int start = bytes.FindIndex(Math.Min(Position(bytes.Count), bytes.Count), b => b is >= (byte)'0' and <= (byte)'9');
                if (start >= 0)
                {
                    int end = start;
                    while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9')
                    {
                        end++;
                    }

                    bytes.RemoveRange(start, end - start);
                    bytes.InsertRange(start, Numbers().ElementAt(_random.Next(15)));
                }

                break;
            }
        }

        return [.. bytes];
    }
}

/// <summary>Counts and timings of one fuzz run, for the test output and the closing note.</summary>
public sealed class FuzzStatistics
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public long Inputs { get; set; }

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public TimeSpan Slowest { get; set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public override string ToString() =>
        $"{Inputs} inputs in {Elapsed.TotalSeconds:F1} s: {Accepted} accepted, {Rejected} rejected; slowest {Slowest.TotalMilliseconds:F1} ms";
}
