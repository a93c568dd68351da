using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace Lrn.Cli;

/// <summary>
/// <c>lrn bench</c>: a quick side-by-side timing of Lrn's forward and backward against copying the same tensor (and
/// an element-wise dx = x + dy for the backward) in the same process, with the same thread count. Medians of
/// repeated runs; ratios to the copy are what to compare across machines, not absolute times.
/// </summary>
internal static class Bench
{
    /// <summary>Each case runs at least this many times after warming up, and until <see cref="MinSeconds"/> have passed.</summary>
    private const int MinRuns = 7;

    private const double MinSeconds = 0.4;

    private const int WarmupRuns = 2;

    /// <summary>Elements per parallel chunk of the baselines: big enough to amortize scheduling, small enough to balance 2 cores.</summary>
    private const int BaselineChunk = 1 << 16;

    public sealed record Row(string Name, double MedianMs, double Bytes, double RatioToCopy, string Baseline)
    {
        public double GigabytesPerSecond => Bytes / (MedianMs * 1e6);
    }

    public static void Run(IReadOnlyList<string> args, TextWriter o)
    {
        var settings = BenchSettings.Parse(args);
        if (settings.Device != "cpu")
        {
            // The GPU benchmark: float32 channels-first, PyTorch's convention (alpha 1e-4, k 2), every GPU kernel.
            using Lrn.Gpu.LrnGpu gpu = settings.Device == "cuda" ? Lrn.Gpu.LrnGpu.Cuda() : Lrn.Gpu.LrnGpu.CpuEmulation();
            Lrn.GpuCli.GpuBench.Run(gpu, settings.Shape, settings.Size, o);
            return;
        }

        LrnShape shape = new(settings.Layout, settings.Shape);
        LrnParameters p = settings.Within
            ? LrnParameters.CuDnnWithinChannel(settings.Size, lrnAlpha: 1e-4, lrnBeta: settings.Beta, lrnK: 2)
            : LrnParameters.PyTorch(settings.Size, alpha: 1e-4, beta: settings.Beta, k: 2);
        var options = new LrnOptions { Kernel = settings.Kernel, MaxDegreeOfParallelism = settings.Threads };
        int threads = settings.Threads == -1 ? Environment.ProcessorCount : settings.Threads;
        string kernel = LocalResponseNorm.KernelName(shape, p, options);
        List<Row> rows = settings.Double ? Measure<double>(shape, p, options, threads) : Measure<float>(shape, p, options, threads);

        if (settings.Json)
        {
            o.WriteLine(JsonSerializer.Serialize(new
            {
                date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                machine = Environment.MachineName,
                processors = Environment.ProcessorCount,
                runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                shape = settings.Shape,
                layout = settings.Layout.ToString(),
                dtype = settings.Double ? "float64" : "float32",
                threads,
                kernel,
                parameters = p.Describe(),
                rows = rows.Select(r => new { r.Name, r.MedianMs, r.GigabytesPerSecond, r.RatioToCopy, r.Baseline }),
            }));
            return;
        }

        o.WriteLine($"lrn bench: {shape}, {(settings.Double ? "float64" : "float32")}, {threads} thread(s), kernel {kernel}");
        o.WriteLine($"  {p.Describe()}");
        o.WriteLine($"  medians of >= {MinRuns} runs (>= {MinSeconds} s per case); GB/s counts bytes read + written");
        o.WriteLine();
        o.WriteLine($"  {"case",-34} {"median ms",10} {"GB/s",8} {"ratio",8}  to");
        foreach (Row r in rows)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Name,-34} {r.MedianMs,10:F3} {r.GigabytesPerSecond,8:F1} {r.RatioToCopy,8:F2}  {r.Baseline}"));
        }

        Row? peer = rows.Find(r => r.Name.StartsWith("onnxruntime", StringComparison.Ordinal));
        Row forward = rows.Find(r => r.Name == "lrn forward")!;
        o.WriteLine();
        o.WriteLine(peer is null
            ? "  onnxruntime: not run (its CPU kernel needs across-channel LRN on a 4-D channels-first float32 tensor, odd size)"
            : string.Create(CultureInfo.InvariantCulture, $"  lrn forward is {peer.MedianMs / forward.MedianMs:F1}x faster than {peer.Name}"));
        foreach (Row r in rows)
        {
            string? line = r.Name switch
            {
                OneThreadRow => $"{threads} threads run the forward {r.MedianMs / forward.MedianMs:F2}x as fast as one",
                FiveRow => $"n = {p.Size} takes {forward.MedianMs / r.MedianMs:F2}x the time of n = 5",
                Float32Row => $"float64 takes {forward.MedianMs / r.MedianMs:F2}x the time of float32",
                _ => null,
            };
            if (line is not null)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {line}"));
            }
        }
    }

    /// <summary>The forward on one thread, measured where the bench runs more (issue 3's target: 2 threads at least 1.7x one).</summary>
    private const string OneThreadRow = "lrn forward, one thread";

    /// <summary>The forward with n = 5, measured where the bench's window is another across channels (target: n = 31 within 1.3x of n = 5).</summary>
    private const string FiveRow = "lrn forward, n = 5";

    /// <summary>The forward of the same values as float32, measured for float64 data (target: float64 at most 2x float32).</summary>
    private const string Float32Row = "lrn forward, float32 data";

    private static List<Row> Measure<T>(LrnShape shape, LrnParameters p, LrnOptions options, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = shape.ElementCount;
        if (n > Array.MaxLength)
        {
            throw new UsageException($"--shape has {n} elements, more than one array holds");
        }

        var random = new Random(20261126);
        T[] x = new T[n];
        T[] dy = new T[n];
        for (long i = 0; i < n; i++)
        {
            x[i] = T.CreateTruncating((random.NextDouble() * 2) - 1);
            dy[i] = T.CreateTruncating((random.NextDouble() * 2) - 1);
        }

        T[] y = new T[n];
        T[] dx = new T[n];
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        double two = 2.0 * n * size;
        double three = 3.0 * n * size;

        double copy = Median(() => ParallelChunks(n, threads, (start, length) => x.AsSpan(start, length).CopyTo(y.AsSpan(start, length))));
        double add = Median(() => ParallelChunks(n, threads, (start, length) => Add(x.AsSpan(start, length), dy.AsSpan(start, length), dx.AsSpan(start, length))));
        double forward = Median(() => Forward(x, y, shape, p, options));
        Row? onnx = typeof(T) == typeof(float) ? OnnxRuntime((float[])(object)x, (float[])(object)y, shape, p, threads, copy, two) : null;
        double backward = Median(() => Backward(x, dy, dx, shape, p, options));
        double backwardWithY = Median(() => Backward(x, y, dy, dx, shape, p, options));

        List<Row> rows =
        [
            new Row("copy y = x", copy, two, 1, "copy"),
            new Row("add dx = x + dy", add, three, add / copy, "copy"),
            new Row("lrn forward", forward, two, forward / copy, "copy"),
            new Row("lrn backward (x, dy)", backward, three, backward / add, "add"),
            new Row("lrn backward (x, y, dy)", backwardWithY, 4.0 * n * size, backwardWithY / add, "add"),
        ];
        if (onnx is not null)
        {
            rows.Insert(3, onnx);
        }

        // What issue 3's targets compare the forward with, in the same process: one thread, the window of five, float32.
        if (threads > 1)
        {
            var one = new LrnOptions { Kernel = options.Kernel, MaxDegreeOfParallelism = 1 };
            double ms = Median(() => Forward(x, y, shape, p, one));
            rows.Add(new Row(OneThreadRow, ms, two, ms / copy, "copy"));
        }

        if (p.Region == LrnRegion.AcrossChannels && p.Size != 5)
        {
            LrnParameters five = LrnParameters.PyTorch(5, alpha: p.Alpha, beta: p.Beta, k: p.K);
            double ms = Median(() => Forward(x, y, shape, five, options));
            rows.Add(new Row(FiveRow, ms, two, ms / copy, "copy"));
        }

        if (typeof(T) == typeof(double))
        {
            float[] xf = [.. ((double[])(object)x).Select(v => (float)v)];
            float[] yf = new float[n];
            double ms = Median(() => LocalResponseNorm.Forward(xf, yf, shape, p, options));
            rows.Add(new Row(Float32Row, ms, 2.0 * n * sizeof(float), ms / copy, "copy"));
        }

        return rows;
    }

    /// <summary>
    /// ONNX Runtime's LRN on the same data and threads, where its CPU kernel applies (4-D channels-first float32, odd n,
    /// the pytorch parameters are ONNX's for odd n). Null where it does not; throws if it disagrees with Lrn's y.
    /// </summary>
    private static Row? OnnxRuntime(float[] x, float[] lrnY, LrnShape shape, LrnParameters p, int threads, double copy, double bytes)
    {
        if (shape.Rank != 4 || shape.Layout != LrnLayout.ChannelsFirst || p.Size % 2 == 0 || p.Region != LrnRegion.AcrossChannels)
        {
            return null;
        }

        int[] dims = [.. shape.Dims];
        using var onnx = new Lrn.Peers.OnnxLrn(p.Size, (float)p.Alpha, (float)p.Beta, (float)p.K, dims, threads);
        float[] y = onnx.Run(x, dims);
        for (int i = 0; i < y.Length; i++)
        {
            if (!(Math.Abs(y[i] - lrnY[i]) <= 1e-5 * Math.Abs(lrnY[i]) + 1e-30))
            {
                throw new InvalidOperationException($"onnxruntime disagrees with Lrn at element {i}: {y[i]} vs {lrnY[i]}");
            }
        }

        double ms = Median(() => onnx.Run(x, dims));
        return new Row($"onnxruntime {Lrn.Peers.OnnxLrn.RuntimeVersion} forward", ms, bytes, ms / copy, "copy");
    }

    private static void Forward<T>(T[] x, T[] y, LrnShape shape, LrnParameters p, LrnOptions options)
    {
        if (x is float[] xf)
        {
            LocalResponseNorm.Forward(xf, (float[])(object)y, shape, p, options);
        }
        else
        {
            LocalResponseNorm.Forward((double[])(object)x, (double[])(object)y, shape, p, options);
        }
    }

    private static void Backward<T>(T[] x, T[] dy, T[] dx, LrnShape shape, LrnParameters p, LrnOptions options)
    {
        if (x is float[] xf)
        {
            LocalResponseNorm.Backward(xf, (float[])(object)dy, (float[])(object)dx, shape, p, options);
        }
        else
        {
            LocalResponseNorm.Backward((double[])(object)x, (double[])(object)dy, (double[])(object)dx, shape, p, options);
        }
    }

    private static void Backward<T>(T[] x, T[] y, T[] dy, T[] dx, LrnShape shape, LrnParameters p, LrnOptions options)
    {
        if (x is float[] xf)
        {
            LocalResponseNorm.Backward(xf, (float[])(object)y, (float[])(object)dy, (float[])(object)dx, shape, p, options);
        }
        else
        {
            LocalResponseNorm.Backward((double[])(object)x, (double[])(object)y, (double[])(object)dy, (double[])(object)dx, shape, p, options);
        }
    }

    /// <summary>
    /// The backward's baseline, sum = a + b, with the widest vectors the machine has. Until 2026-11-27 (sixth session)
    /// it sliced spans into Vector&lt;T&gt; (256 bits) each step and took about twice BenchmarkDotNet's add (0.40-0.52
    /// against 0.21-0.27 ms, AlexNet norm1, 2 threads), which flattered the backward's ratio here.
    /// </summary>
    private static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T left = ref MemoryMarshal.GetReference(a);
        ref T right = ref MemoryMarshal.GetReference(b);
        ref T result = ref MemoryMarshal.GetReference(sum);
        nuint n = (nuint)a.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref left, i) + Vector512.LoadUnsafe(ref right, i)).StoreUnsafe(ref result, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref left, i) + Vector256.LoadUnsafe(ref right, i)).StoreUnsafe(ref result, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref result, i) = Unsafe.Add(ref left, i) + Unsafe.Add(ref right, i);
        }
    }

    private static void ParallelChunks(long n, int threads, Action<int, int> body)
    {
        int chunks = (int)((n + BaselineChunk - 1) / BaselineChunk);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            int start = c * BaselineChunk;
            body(start, (int)Math.Min(BaselineChunk, n - start));
        });
    }

    private static double Median(Action run)
    {
        for (int i = 0; i < WarmupRuns; i++)
        {
            run();
        }

        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < MinRuns || total.Elapsed.TotalSeconds < MinSeconds)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private sealed class BenchSettings
    {
        public int[] Shape { get; private set; } = [8, 96, 55, 55];

        public LrnLayout Layout { get; private set; } = LrnLayout.ChannelsFirst;

        public int Threads { get; private set; } = -1;

        public LrnKernelKind Kernel { get; private set; } = LrnKernelKind.Auto;

        public int Size { get; private set; } = 5;

        public double Beta { get; private set; } = 0.75;

        public bool Double { get; private set; }

        public bool Within { get; private set; }

        public bool Json { get; private set; }

        /// <summary>cpu (Lrn's CPU kernels), cuda (an NVIDIA GPU through Lrn.Gpu) or emulated (Lrn.Gpu on ILGPU's CPU accelerator).</summary>
        public string Device { get; private set; } = "cpu";

        public static BenchSettings Parse(IReadOnlyList<string> args)
        {
            var settings = new BenchSettings();
            for (int i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--shape":
                        string text = Value();
                        settings.Shape = [.. text.Split(',').Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"--shape must be comma-separated non-negative integers like 8,96,55,55, got '{text}'"))];
                        break;
                    case "--layout":
                        string layout = Value();
                        settings.Layout = layout switch
                        {
                            "channels-first" => LrnLayout.ChannelsFirst,
                            "channels-last" => LrnLayout.ChannelsLast,
                            _ => throw new UsageException($"--layout must be channels-first or channels-last, got '{layout}'"),
                        };
                        break;
                    case "--threads":
                        settings.Threads = int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int t) && (t == -1 || t >= 1)
                            ? t
                            : throw new UsageException("--threads must be -1 (all cores) or >= 1");
                        break;
                    case "--kernel":
                        string kernel = Value();
                        settings.Kernel = CliOptions.ParseKernel(kernel);
                        break;
                    case "--size":
                        settings.Size = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1
                            ? size
                            : throw new UsageException("--size must be an integer >= 1");
                        break;
                    case "--beta":
                        settings.Beta = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double beta)
                            ? beta
                            : throw new UsageException("--beta must be a number");
                        break;
                    case "--double":
                        settings.Double = true;
                        break;
                    case "--region":
                        string region = Value();
                        settings.Within = region switch
                        {
                            "across" => false,
                            "within" => true,
                            _ => throw new UsageException($"--region must be across or within, got '{region}'"),
                        };
                        break;
                    case "--json":
                        settings.Json = true;
                        break;
                    case "--device":
                        string device = Value();
                        settings.Device = device is "cpu" or "cuda" or "emulated"
                            ? device
                            : throw new UsageException($"--device must be cpu, cuda or emulated, got '{device}'");
                        break;
                    default:
                        throw new UsageException($"unknown bench option {args[i]} (see lrn --help)");
                }
            }

            return settings;
        }
    }
}
