using System.Globalization;
using System.Text;

namespace Lrn.Tests;

/// <summary>Seeded inputs, named edge shapes, and comparisons that report the first mismatches with their coordinates.</summary>
internal static class TestData
{
    /// <summary>
    /// Every fast kernel this machine can run, each forced in turn. A kernel the machine does not accelerate is left
    /// out here and named by <see cref="KernelTests.Kernels_this_machine_cannot_run_are_refused_by_name"/>.
    /// </summary>
    public static LrnKernelKind[] FastKernels { get; } =
        [.. new[] { LrnKernelKind.Vector512, LrnKernelKind.Vector256, LrnKernelKind.Vector128, LrnKernelKind.Scalar }.Where(IsSupported)];

    /// <summary>The reference and every fast kernel.</summary>
    public static LrnKernelKind[] AllKernels { get; } = [LrnKernelKind.Reference, .. FastKernels];

    public static TheoryData<LrnKernelKind> AllKernelData => [.. AllKernels];

    public static bool IsSupported(LrnKernelKind kind)
    {
        try
        {
            LocalResponseNorm.KernelName(new LrnOptions { Kernel = kind });
            return true;
        }
        catch (PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Shapes named for the edge they exercise, given channels-first as (N, C, spatial...); the channels-last twin
    /// moves C to the end. The scalar kernel tiles 64 spatial positions, later SIMD kernels 16 or 8 floats.
    /// </summary>
    public static readonly (string Name, int[] Dims)[] EdgeShapes =
    [
        ("rank2", [3, 7]),
        ("c1", [2, 1, 5]),
        ("c_below_window", [2, 2, 3, 3]),
        ("channel_tail", [1, 19, 4]),
        ("plane_of_1", [3, 6, 1, 1]),
        ("plane_vector_plus_1", [1, 5, 17]),
        ("plane_tile_plus_1", [1, 5, 65]),
        ("plane_two_tiles_plus_1", [2, 3, 129]),
        ("rank5", [2, 4, 2, 3, 2]),
        ("alexnet_norm1_slice", [1, 96, 5, 5]),
        ("empty_batch", [0, 4, 3]),
        ("empty_plane", [2, 4, 0]),
    ];

    public static LrnShape Shape(LrnLayout layout, int[] channelsFirstDims)
    {
        if (layout == LrnLayout.ChannelsFirst)
        {
            return LrnShape.ChannelsFirst(channelsFirstDims);
        }

        int[] dims = new int[channelsFirstDims.Length];
        dims[0] = channelsFirstDims[0];
        Array.Copy(channelsFirstDims, 2, dims, 1, channelsFirstDims.Length - 2);
        dims[^1] = channelsFirstDims[1];
        return LrnShape.ChannelsLast(dims);
    }

    /// <summary>Uniform values in [-scale, scale], with a few exact zeros and small values mixed in.</summary>
    public static double[] Random(Random random, long length, double scale = 2)
    {
        var values = new double[length];
        for (long i = 0; i < length; i++)
        {
            double u = random.NextDouble();
            values[i] = u < 0.03 ? 0 : u < 0.06 ? 1e-3 * (random.NextDouble() - 0.5) : scale * ((2 * random.NextDouble()) - 1);
        }

        return values;
    }

    public static T[] As<T>(double[] values)
    {
        if (typeof(T) == typeof(float))
        {
            return (T[])(object)Array.ConvertAll(values, v => (float)v);
        }

        return (T[])(object)values.Clone();
    }

    public static double[] ToDouble<T>(T[] values) => values switch
    {
        float[] f => Array.ConvertAll(f, v => (double)v),
        double[] d => (double[])d.Clone(),
        _ => throw new ArgumentException("float or double", nameof(values)),
    };

    public static void Forward<T>(T[] x, T[] y, LrnShape shape, LrnParameters p, LrnOptions options)
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

    public static void Backward<T>(T[] x, T[]? y, T[] dy, T[] dx, LrnShape shape, LrnParameters p, LrnOptions options)
    {
        if (x is float[] xf)
        {
            if (y is null)
            {
                LocalResponseNorm.Backward(xf, (float[])(object)dy, (float[])(object)dx, shape, p, options);
            }
            else
            {
                LocalResponseNorm.Backward(xf, (float[])(object)y, (float[])(object)dy, (float[])(object)dx, shape, p, options);
            }
        }
        else if (y is null)
        {
            LocalResponseNorm.Backward((double[])(object)x, (double[])(object)dy, (double[])(object)dx, shape, p, options);
        }
        else
        {
            LocalResponseNorm.Backward((double[])(object)x, (double[])(object)y, (double[])(object)dy, (double[])(object)dx, shape, p, options);
        }
    }

    /// <summary>Asserts every element is within <paramref name="maxUlps"/>; on failure lists the first mismatches as (n, c, position).</summary>
    public static void AssertUlps<T>(T[] expected, T[] actual, long maxUlps, LrnShape shape, string context)
    {
        var failures = new StringBuilder();
        int count = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            long d = expected is float[] ef ? Ulps.Between(ef[i], ((float[])(object)actual)[i]) : Ulps.Between(((double[])(object)expected)[i], ((double[])(object)actual)[i]);
            if (d > maxUlps && count++ < 5)
            {
                failures.Append(CultureInfo.InvariantCulture, $"\n  at {Coordinates(shape, i)}: expected {expected[i]}, got {actual[i]} ({d} ulps)");
            }
        }

        Assert.True(count == 0, $"{context}: {count} of {expected.Length} elements beyond {maxUlps} ulps on {shape}:{failures}");
    }

    /// <summary>Asserts |expected - actual| &lt;= tolerance * scale elementwise; lists the first mismatches as (n, c, position).</summary>
    public static void AssertScaled(double[] expected, double[] actual, double[] scale, double tolerance, LrnShape shape, string context)
    {
        var failures = new StringBuilder();
        int count = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = expected[i] == actual[i] || (double.IsNaN(expected[i]) && double.IsNaN(actual[i])); // infinities too
            double error = Math.Abs(expected[i] - actual[i]);
            if (!same && !(error <= tolerance * scale[i]) && count++ < 5)
            {
                failures.Append(CultureInfo.InvariantCulture, $"\n  at {Coordinates(shape, i)}: expected {expected[i]:R}, got {actual[i]:R} (error {error:G3}, allowed {tolerance * scale[i]:G3})");
            }
        }

        Assert.True(count == 0, $"{context}: {count} of {expected.Length} elements out of tolerance on {shape}:{failures}");
    }

    /// <summary>
    /// The magnitude of dx_j's two terms, |dy_j| s_j^-beta + 2 a beta |x_j| sum_{c in W*(j)} |dy_c y_c / s_c|,
    /// against which gradient errors are measured (SPEC.md section 6). Only a scale: it need not match any kernel.
    /// </summary>
    public static double[] GradientScale(double[] x, double[] dy, LrnShape shape, LrnParameters p)
    {
        var scale = new double[x.Length];
        int channels = shape.Channels;
        var s = new double[channels];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (long q = 0; q < shape.SpatialSize; q++)
            {
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - p.Lo); j <= Math.Min(channels - 1, c + p.Hi); j++)
                    {
                        double v = x[ConventionCase.Index(shape, b, j, q)];
                        sum += v * v;
                    }

                    s[c] = p.K + (p.A * sum);
                }

                for (int j = 0; j < channels; j++)
                {
                    double mirrored = 0;
                    for (int c = Math.Max(0, j - p.Hi); c <= Math.Min(channels - 1, j + p.Lo); c++)
                    {
                        long atC = ConventionCase.Index(shape, b, c, q);
                        mirrored += Math.Abs(dy[atC] * x[atC] * Math.Pow(s[c], -p.Beta) / s[c]);
                    }

                    long at = ConventionCase.Index(shape, b, j, q);
                    scale[at] = (Math.Abs(dy[at]) * Math.Pow(s[j], -p.Beta)) + (2 * p.A * p.Beta * Math.Abs(x[at]) * mirrored) + double.Epsilon;
                }
            }
        }

        return scale;
    }

    /// <summary>"(n, c, position)" of a flat index, for failure messages.</summary>
    public static string Coordinates(LrnShape shape, long index)
    {
        long b;
        long c;
        long q;
        if (shape.Layout == LrnLayout.ChannelsFirst)
        {
            q = index % shape.SpatialSize;
            c = index / shape.SpatialSize % shape.Channels;
            b = index / shape.SpatialSize / shape.Channels;
        }
        else
        {
            c = index % shape.Channels;
            q = index / shape.Channels % shape.SpatialSize;
            b = index / shape.Channels / shape.SpatialSize;
        }

        return string.Create(CultureInfo.InvariantCulture, $"(n={b}, c={c}, position={q})");
    }
}
