using System.Diagnostics;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using Lrn.Gpu;

namespace Lrn.GpuCli;

/// <summary>
/// Times the GPU kernels on one shape against a device-to-device copy of the same tensor (and Lrn's CPU forward on
/// this machine's cores), in the same process. Each row: a warm-up, then the mean of <see cref="Launches"/> launches
/// between two synchronizations, repeated <see cref="Repeats"/> times; the median of those means is reported.
/// GB/s counts the bytes each kernel must move: 8 per element for the forward and the copy (read and write), 12 for
/// the backward from (x, dy), 16 with y.
/// </summary>
internal static class GpuBench
{
    private const int Launches = 50;
    private const int Repeats = 5;

    public sealed record Row(string Name, string Kernel, double Ms, double BytesPerElement, long Elements, double CopyMs)
    {
        public double GigabytesPerSecond => BytesPerElement * Elements / (Ms * 1e6);

        public double RatioToCopy => Ms / CopyMs;
    }

    public static List<Row> Run(LrnGpu gpu, int[] dims, int size, TextWriter o)
    {
        var cf = LrnShape.ChannelsFirst(dims);
        var cl = new LrnShape(LrnLayout.ChannelsLast, [dims[0], .. dims[2..], dims[1]]);
        long n = cf.ElementCount;
        Accelerator acc = gpu.Accelerator;
        using var xBuffer = acc.Allocate1D<float>(n);
        using var yBuffer = acc.Allocate1D<float>(n);
        using var dyBuffer = acc.Allocate1D<float>(n);
        using var dxBuffer = acc.Allocate1D<float>(n);
        ArrayView<float> x = xBuffer.View, y = yBuffer.View, dy = dyBuffer.View, dx = dxBuffer.View;
        var random = new Random(1);
        float[] host = new float[n];
        for (long i = 0; i < n; i++)
        {
            host[i] = (float)((random.NextDouble() * 2) - 1) * 30;
        }

        x.CopyFromCPU(host);
        dy.CopyFromCPU(host);

        var copyKernel = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(CopyKernel);
        double copyMs = Time(acc, () => x.CopyTo(y));
        double copyKernelMs = Time(acc, () => copyKernel((int)n, x, y));
        var rows = new List<Row>
        {
            new("device copy (cudaMemcpy)", "-", copyMs, 8, n, copyMs),
            new("copy kernel, one float per thread", "-", copyKernelMs, 8, n, copyMs),
        };

        var p = LrnParameters.PyTorch(size, alpha: 1e-4, beta: 0.75, k: 2);
        var p6 = LrnParameters.PyTorch(size, alpha: 1e-4, beta: 0.6, k: 2);
        var within = LrnParameters.CuDnnWithinChannel(size % 2 == 1 ? size : size + 1, lrnAlpha: 1e-4, lrnBeta: 0.75, lrnK: 2);
        void Add(string name, LrnGpuKernel kernel, LrnShape shape, LrnParameters parameters, double bytes, Action run)
        {
            gpu.Kernel = kernel;
            string used = gpu.KernelName(shape, parameters, backward: name.StartsWith("backward", StringComparison.Ordinal) || name.Contains(" backward", StringComparison.Ordinal));
            rows.Add(new Row(name, used, Time(acc, run), bytes, n, copyMs));
        }

        foreach (LrnGpuKernel kernel in new[] { LrnGpuKernel.Ring, LrnGpuKernel.Direct })
        {
            Add("forward, beta 0.75", kernel, cf, p, 8, () => gpu.Forward(x, y, cf, p));
            Add("forward, beta 0.6", kernel, cf, p6, 8, () => gpu.Forward(x, y, cf, p6));
            Add("backward from x, dy", kernel, cf, p, 12, () => gpu.Backward(x, dy, dx, cf, p));
            Add("backward from x, y, dy", kernel, cf, p, 16, () => gpu.Backward(x, y, dy, dx, cf, p));
        }

        Add("forward channels-last, beta 0.75", LrnGpuKernel.Auto, cl, p, 8, () => gpu.Forward(x, y, cl, p));
        Add("backward channels-last from x, dy", LrnGpuKernel.Auto, cl, p, 12, () => gpu.Backward(x, dy, dx, cl, p));
        Add("within-channel forward (cudnn-within)", LrnGpuKernel.Auto, cf, within, 8, () => gpu.Forward(x, y, cf, within));
        Add("within-channel forward (cudnn-within)", LrnGpuKernel.Direct, cf, within, 8, () => gpu.Forward(x, y, cf, within));
        Add("within-channel backward from x, dy", LrnGpuKernel.Auto, cf, within, 12, () => gpu.Backward(x, dy, dx, cf, within));
        Add("within-channel forward channels-last", LrnGpuKernel.Auto, cl, within, 8, () => gpu.Forward(x, y, cl, within));
        gpu.Kernel = LrnGpuKernel.Auto;

        // Lrn's CPU forward on this machine's cores, for the ratio the issue asks for.
        float[] hostY = new float[n];
        var cpu = Stopwatch.StartNew();
        int runs = 0;
        LocalResponseNorm.Forward(host, hostY, cf, p);
        cpu.Restart();
        while (runs < 3 || cpu.Elapsed.TotalSeconds < 1)
        {
            LocalResponseNorm.Forward(host, hostY, cf, p);
            runs++;
        }

        double cpuMs = cpu.Elapsed.TotalMilliseconds / runs;
        rows.Add(new Row($"CPU forward, beta 0.75 ({Environment.ProcessorCount} cores, {LocalResponseNorm.KernelName()})", "cpu", cpuMs, 8, n, copyMs));

        o.WriteLine($"{gpu.DeviceName}; shape {cf} ({n} float32), n = {size}; {DateTime.UtcNow:yyyy-MM-dd}; mean of {Launches} launches, median of {Repeats}");
        o.WriteLine($"{"what",-42} {"kernel",-18} {"ms",9} {"GB/s",8} {"x copy",7}");
        foreach (Row r in rows)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-42} {r.Kernel,-18} {r.Ms,9:F4} {r.GigabytesPerSecond,8:F0} {r.RatioToCopy,7:F2}"));
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GPU forward (auto) is {cpuMs / rows.First(r => r.Name == "forward, beta 0.75").Ms:F0}x faster than the CPU forward here"));
        return rows;
    }

    private static void CopyKernel(Index1D i, ArrayView<float> from, ArrayView<float> to) => to[i] = from[i];

    private static double Time(Accelerator acc, Action run)
    {
        for (int i = 0; i < 3; i++)
        {
            run();
        }

        acc.Synchronize();
        var means = new double[Repeats];
        for (int r = 0; r < Repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < Launches; i++)
            {
                run();
            }

            acc.Synchronize();
            means[r] = watch.Elapsed.TotalMilliseconds / Launches;
        }

        Array.Sort(means);
        return means[Repeats / 2];
    }
}
