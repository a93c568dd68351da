using Lrn;
using Lrn.Gpu;

namespace Lrn.GpuChecks;

/// <summary>One GPU-against-reference comparison: a shape, parameters, element type and across-channel strategy.</summary>
internal sealed record GpuCase(string Name, LrnShape Shape, LrnParameters Parameters, bool Double, LrnGpuKernel Kernel, double Scale, int Seed, double GradientScale = 1)
{
    public override string ToString() => $"{Name} {Shape} {Parameters.Name} n={Parameters.Size} beta={Parameters.Beta} {(Double ? "float64" : "float32")} {Kernel} scale={Scale} dy scale={GradientScale}";
}

/// <summary>
/// The GPU conformance cases and their check, shared by the xunit tests (ILGPU's CPU accelerator, small shapes) and
/// <c>lrn-gpu check</c> (a real GPU, larger shapes). The oracle is Lrn's float64 reference kernel on the CPU; the
/// bounds are <see cref="GpuAccuracy"/>'s; the backward's error is measured against the magnitude of dx's two terms,
/// computed here from the formula.
/// </summary>
internal static class GpuCases
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };

    public static IEnumerable<GpuCase> All(bool large)
    {
        int seed = 1;
        int[][] shapes = large
            ? [[2, 7, 5, 3], [1, 3, 4], [3, 9], [1, 6, 2, 3, 2], [2, 33, 2, 2], [2, 7, 13, 11], [4, 40, 9], [2, 5, 3, 4, 6]]
            : [[2, 7, 5, 3], [1, 3, 4], [3, 9], [1, 6, 2, 3, 2], [2, 33, 2, 2]];
        var across = new List<LrnParameters>
        {
            LrnParameters.PyTorch(5, alpha: 0.5, beta: 0.75, k: 2),
            LrnParameters.PyTorch(4, alpha: 0.5, beta: 0.75, k: 1),
            LrnParameters.Onnx(4, alpha: 0.5, beta: 0.5, bias: 1),
            LrnParameters.CuDnn(6, lrnAlpha: 0.5, lrnBeta: 1, lrnK: 2),
            LrnParameters.TensorFlow(depthRadius: 2, bias: 1, alpha: 0.3, beta: 0.6),
            LrnParameters.Caffe(3, alpha: 2, beta: 0.75, k: 1),
            LrnParameters.OneDnn(6, alpha: 0.5, beta: 0.75, k: 1),
            LrnParameters.MXNet(3, alpha: 0.5, beta: 0.75, knorm: 2),
            LrnParameters.Paper(5, k: 2, alpha: 1e-4, beta: 0.75),
            LrnParameters.PyTorch(1, alpha: 0.5, beta: 0.75, k: 1),
            LrnParameters.PyTorch(35, alpha: 0.5, beta: 2.5, k: 1),
            LrnParameters.Canonical(3, 1, 0.25, 0, 0.75),
            LrnParameters.Canonical(1, 2, 0.25, 1, 0),
            LrnParameters.Canonical(7, 8, 0.1, 1, 0.75),
            LrnParameters.Canonical(8, 8, 0.1, 1, 0.75),
        };
        foreach (int[] dims in shapes)
        {
            foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
            {
                var shape = new LrnShape(layout, layout == LrnLayout.ChannelsFirst ? dims : [dims[0], .. dims[2..], dims[1]]);
                foreach (LrnParameters p in across)
                {
                    foreach (LrnGpuKernel kernel in new[] { LrnGpuKernel.Direct, LrnGpuKernel.Ring })
                    {
                        if (kernel == LrnGpuKernel.Ring && (layout == LrnLayout.ChannelsLast || dims.Length == 2))
                        {
                            continue; // the ring serves channels-first planes only: the same kernel as Direct
                        }

                        foreach (bool isDouble in new[] { false, true })
                        {
                            yield return new GpuCase("across", shape, p, isDouble, kernel, 3, seed++);
                        }
                    }
                }

                if (dims.Length >= 3)
                {
                    foreach (LrnParameters p in new[]
                             {
                                 LrnParameters.CaffeWithinChannel(3, alpha: 2, beta: 0.75),
                                 LrnParameters.CuDnnWithinChannel(5, lrnAlpha: 0.5, lrnBeta: 0.6, lrnK: 2),
                                 LrnParameters.OneDnnWithinChannel(5, alpha: 0.5, beta: 1, k: 1),
                             })
                    {
                        foreach (bool isDouble in new[] { false, true })
                        {
                            yield return new GpuCase("within", shape, p, isDouble, LrnGpuKernel.Auto, 3, seed++);
                            yield return new GpuCase("within", shape, p, isDouble, LrnGpuKernel.Direct, 3, seed++);
                        }
                    }
                }
            }
        }

        if (large)
        {
            // AlexNet norm1's planes, fewer images: what the benchmark times, checked element by element.
            foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
            {
                var shape = layout == LrnLayout.ChannelsFirst ? LrnShape.ChannelsFirst(2, 96, 55, 55) : LrnShape.ChannelsLast(2, 55, 55, 96);
                foreach (LrnParameters p in new[] { LrnParameters.PyTorch(5, 1e-4, 0.75, 2), LrnParameters.PyTorch(5, 1e-4, 0.6, 2), LrnParameters.CuDnnWithinChannel(5, 1e-4, 0.75, 2) })
                {
                    yield return new GpuCase("alexnet", shape, p, false, LrnGpuKernel.Auto, 30, seed++);
                    yield return new GpuCase("alexnet", shape, p, false, LrnGpuKernel.Direct, 30, seed++);
                }
            }
        }

        // Values far outside float32's comfortable range: the float32 path must hand these to float64.
        int[] small = large ? [4, 24, 7, 9] : [2, 6, 3, 2];
        foreach (double scale in new[] { 1e19, 1e-25, 3e-39 })
        {
            foreach (LrnParameters p in new[] { LrnParameters.Canonical(2, 2, 1, 0, 0.75), LrnParameters.Canonical(1, 1, 1e30, 1e-30, 0.6), LrnParameters.PyTorch(3, 0.5, 0.75, 1) })
            {
                yield return new GpuCase("extreme", LrnShape.ChannelsFirst(small), p, false, LrnGpuKernel.Auto, scale, seed++);
                yield return new GpuCase("extreme", LrnShape.ChannelsFirst(small), p, false, LrnGpuKernel.Direct, scale, seed++);
            }
        }

        // Gradients near float32's ends: the float32 backward must hand these to float64.
        foreach (double gradientScale in new[] { 1e36, 1e-36, 1e-44 })
        {
            yield return new GpuCase("extreme dy", LrnShape.ChannelsFirst(small), LrnParameters.PyTorch(5, 0.5, 0.75, 1), false, LrnGpuKernel.Auto, 3, seed++, gradientScale);
            yield return new GpuCase("extreme dy", LrnShape.ChannelsFirst(small), LrnParameters.Canonical(1, 1, 1e-3, 1e-3, 0.6), false, LrnGpuKernel.Auto, 1e-3, seed++, gradientScale);
        }
    }

    /// <summary>Runs forward, backward from (x, dy) and backward from (x, y, dy); null when all agree with the reference, else what did not.</summary>
    public static string? Check(LrnGpu gpu, GpuCase c)
    {
        gpu.Kernel = c.Kernel;
        int n = checked((int)c.Shape.ElementCount);
        var random = new Random(c.Seed);
        double[] x = new double[n], dy = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = ((random.NextDouble() * 2) - 1) * c.Scale;
            dy[i] = ((random.NextDouble() * 2) - 1) * c.GradientScale;
        }

        if (!c.Double)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)x[i];
                dy[i] = (float)dy[i];
            }
        }

        double[] y = new double[n], dx = new double[n];
        LocalResponseNorm.Forward(x, y, c.Shape, c.Parameters, Reference);
        LocalResponseNorm.Backward(x, dy, dx, c.Shape, c.Parameters, Reference);
        double[] magnitude = GradientMagnitude(x, dy, c.Shape, c.Parameters);
        int w = WindowElements(c.Shape, c.Parameters);
        if (c.Double)
        {
            double[] gy = new double[n], gdx = new double[n], gdxY = new double[n];
            gpu.Forward(x, gy, c.Shape, c.Parameters);
            gpu.Backward(x, dy, gdx, c.Shape, c.Parameters);
            gpu.Backward(x, y, dy, gdxY, c.Shape, c.Parameters);
            return CompareForward(c, y, i => gy[i], GpuAccuracy.Float64ForwardUlps(w, c.Parameters.Beta), isDouble: true)
                ?? CompareBackward("backward", dx, i => gdx[i], magnitude, GpuAccuracy.GradientRelative(false, w, c.Parameters.Beta), singlePrecision: false)
                ?? CompareBackward("backward with y", dx, i => gdxY[i], magnitude, GpuAccuracy.GradientRelative(false, w, c.Parameters.Beta) + YRounding(false), singlePrecision: false);
        }

        float[] xf = [.. x.Select(v => (float)v)], dyf = [.. dy.Select(v => (float)v)], yf = [.. y.Select(v => (float)v)];
        float[] fy = new float[n], fdx = new float[n], fdxY = new float[n];
        gpu.Forward(xf, fy, c.Shape, c.Parameters);
        gpu.Backward(xf, dyf, fdx, c.Shape, c.Parameters);
        gpu.Backward(xf, yf, dyf, fdxY, c.Shape, c.Parameters);
        return CompareForward(c, y, i => fy[i], GpuAccuracy.Float32ForwardUlps(w, c.Parameters.Beta), isDouble: false)
            ?? CompareBackward("backward", dx, i => fdx[i], magnitude, GpuAccuracy.GradientRelative(true, w, c.Parameters.Beta), singlePrecision: true)
            ?? CompareBackward("backward with y", dx, i => fdxY[i], magnitude, GpuAccuracy.GradientRelative(true, w, c.Parameters.Beta) + YRounding(true), singlePrecision: true);
    }

    /// <summary>The backward with y reads y rounded to the element type: up to one rounding more in the second term.</summary>
    private static double YRounding(bool singlePrecision) => singlePrecision ? Math.Pow(2, -24) : Math.Pow(2, -53);

    private static string? CompareForward(GpuCase c, double[] reference, Func<int, double> gpu, long ulps, bool isDouble)
    {
        for (int i = 0; i < reference.Length; i++)
        {
            long d = isDouble ? UlpsBetween(reference[i], gpu(i)) : UlpsBetween((float)reference[i], (float)gpu(i));
            if (d > ulps)
            {
                return $"forward element {i}: reference {reference[i]:R}, gpu {gpu(i):R}, {d} ulps apart (allowed {ulps})";
            }
        }

        _ = c;
        return null;
    }

    /// <summary>
    /// Against the reference rounded to the element type (so both may overflow to the same infinity), allowing the
    /// relative bound times the terms' magnitude plus the spacing of subnormal numbers, which no relative bound covers.
    /// </summary>
    private static string? CompareBackward(string what, double[] reference, Func<int, double> gpu, double[] magnitude, double relative, bool singlePrecision)
    {
        for (int i = 0; i < reference.Length; i++)
        {
            double expected = singlePrecision ? (float)reference[i] : reference[i];
            double error = expected == gpu(i) ? 0 : Math.Abs(expected - gpu(i));
            double allowed = (relative * magnitude[i]) + (singlePrecision ? 2 * (double)float.Epsilon : double.Epsilon);
            if (!(error <= allowed) && !(double.IsNaN(expected) && double.IsNaN(gpu(i))))
            {
                return $"{what} element {i}: reference {reference[i]:R}, gpu {gpu(i):R}, error {error:E2} > allowed {allowed:E2} (terms' magnitude {magnitude[i]:E2})";
            }
        }

        return null;
    }

    /// <summary>Elements in one window: the channel window, or the within-channel box clipped to the tensor.</summary>
    private static int WindowElements(LrnShape shape, LrnParameters p)
    {
        if (p.Region == LrnRegion.AcrossChannels)
        {
            return p.WindowLength;
        }

        int first = shape.Layout == LrnLayout.ChannelsFirst ? 2 : 1, w = 1;
        for (int axis = first; axis < first + shape.Rank - 2; axis++)
        {
            w *= Math.Min(p.WindowLength, shape.Dims[axis]);
        }

        return w;
    }

    /// <summary>|dy_j| s_j^-beta + 2 a beta |x_j| sum over c whose window holds j of |dy_c x_c| s_c^(-beta-1), from the formula.</summary>
    private static double[] GradientMagnitude(double[] x, double[] dy, LrnShape shape, LrnParameters p)
    {
        int n = x.Length, spatialAxes = shape.Rank - 2;
        double a = p.Region == LrnRegion.WithinChannel ? p.Coefficient(spatialAxes) : p.A;
        var s = new double[n];
        var windows = new List<int>[n];
        for (int e = 0; e < n; e++)
        {
            windows[e] = Window(e, shape, p);
            double sum = 0;
            foreach (int q in windows[e])
            {
                sum += x[q] * x[q];
            }

            s[e] = p.K + (a * sum);
        }

        var magnitude = new double[n];
        for (int c = 0; c < n; c++)
        {
            magnitude[c] += Math.Abs(dy[c]) * Math.Pow(s[c], -p.Beta);
            double term = 2 * a * p.Beta * Math.Abs(dy[c] * x[c]) * Math.Pow(s[c], -p.Beta - 1);
            foreach (int j in windows[c])
            {
                magnitude[j] += Math.Abs(x[j]) * term;
            }
        }

        return magnitude;
    }

    /// <summary>The elements in e's window, by coordinates: along the channel axis, or along every spatial axis.</summary>
    private static List<int> Window(int e, LrnShape shape, LrnParameters p)
    {
        int rank = shape.Rank;
        int[] dims = [.. shape.Dims], coords = new int[rank];
        for (int axis = rank - 1, rest = e; axis >= 0; axis--)
        {
            coords[axis] = rest % dims[axis];
            rest /= dims[axis];
        }

        int channelAxis = shape.Layout == LrnLayout.ChannelsFirst ? 1 : rank - 1;
        var axes = p.Region == LrnRegion.AcrossChannels ? [channelAxis] : Enumerable.Range(0, rank).Where(axis => axis != 0 && axis != channelAxis).ToArray();
        var result = new List<int>();
        var at = (int[])coords.Clone();
        void Visit(int k)
        {
            if (k == axes.Length)
            {
                int index = 0;
                for (int axis = 0; axis < rank; axis++)
                {
                    index = (index * dims[axis]) + at[axis];
                }

                result.Add(index);
                return;
            }

            int ax = axes[k];
            for (int v = Math.Max(0, coords[ax] - p.Lo); v <= Math.Min(dims[ax] - 1, coords[ax] + p.Hi); v++)
            {
                at[ax] = v;
                Visit(k + 1);
            }

            at[ax] = coords[ax];
        }

        Visit(0);
        return result;
    }

    private static long UlpsBetween(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        return Math.Abs((long)Ordered(BitConverter.SingleToInt32Bits(a)) - Ordered(BitConverter.SingleToInt32Bits(b)));
        static long Ordered(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;
    }

    private static long UlpsBetween(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        }

        Int128 d = (Int128)Ordered(BitConverter.DoubleToInt64Bits(a)) - Ordered(BitConverter.DoubleToInt64Bits(b));
        d = d < 0 ? -d : d;
        return d > long.MaxValue ? long.MaxValue : (long)d;
        static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;
    }
}
