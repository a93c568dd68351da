namespace Lrn.Benchmarks;

/// <summary>The shapes of the suite, and seeded data for them.</summary>
public static class Tensors
{
    /// <summary>Named channels-first shapes (N, C, H, W): the LRN layers of AlexNet and GoogLeNet, a large batch and a small one.</summary>
    public static readonly IReadOnlyDictionary<string, int[]> Shapes = new Dictionary<string, int[]>
    {
        ["alexnet-norm1"] = [8, 96, 55, 55],
        ["alexnet-norm2"] = [8, 256, 27, 27],
        ["googlenet"] = [8, 64, 56, 56],
        ["large"] = [32, 96, 55, 55],
        ["small"] = [2, 16, 13, 13],
    };

    public static float[] Random(long length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (long i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>The suite's baseline: copies <paramref name="from"/> into <paramref name="to"/> in one chunk per core.</summary>
    public static void ParallelCopy(float[] from, float[] to) => ParallelCopy<float>(from, to);

    /// <summary><see cref="ParallelCopy(float[], float[])"/> for any element type (float64: the float64 forward's floor).</summary>
    public static void ParallelCopy<T>(T[] from, T[] to) => Parallel.For(0, Environment.ProcessorCount, part =>
    {
        int chunk = (from.Length + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
        int start = part * chunk;
        int length = Math.Min(chunk, from.Length - start);
        from.AsSpan(start, length).CopyTo(to.AsSpan(start, length));
    });

    /// <summary>
    /// The backward's baseline: <paramref name="sum"/> = <paramref name="a"/> + <paramref name="b"/> element by
    /// element with <see cref="System.Numerics.Vector{T}"/>, one chunk per core, as `lrn bench` adds. Until
    /// 2026-11-27 (fourth session) this was a scalar loop, about 3x slower than the vector add on AlexNet norm1 (0.68
    /// against 0.24 ms), which flattered the backward's ratios in the earlier result files.
    /// </summary>
    public static void ParallelAdd(float[] a, float[] b, float[] sum) => Parallel.For(0, Environment.ProcessorCount, part =>
    {
        int chunk = (a.Length + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
        int start = part * chunk;
        int end = Math.Min(start + chunk, a.Length);
        int i = start;
        for (; i <= end - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
        {
            (new System.Numerics.Vector<float>(a, i) + new System.Numerics.Vector<float>(b, i)).CopyTo(sum, i);
        }

        for (; i < end; i++)
        {
            sum[i] = a[i] + b[i];
        }
    });

    /// <summary>(N, C, H, W) as (N, H, W, C) for channels-last.</summary>
    public static int[] ChannelsLast(int[] nchw) => [nchw[0], nchw[2], nchw[3], nchw[1]];

    /// <summary>Fails the benchmark's setup when a peer and Lrn disagree on its data: a fast wrong answer is no result.</summary>
    public static void RequireAgreement(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string who)
    {
        const double Relative = 1e-5;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)expected[i] - actual[i]);
            if (!(error <= Relative * (Math.Abs(expected[i]) + 1e-30)))
            {
                throw new InvalidOperationException($"{who} disagrees with Lrn at {i}: {actual[i]} vs {expected[i]}");
            }
        }
    }
}
