using System.Globalization;
using System.Text;

namespace Lrn.PeerTests;

/// <summary>Seeded inputs, an independent float64 evaluation of s for tolerance scales, and comparisons that list the first mismatches with their coordinates.</summary>
internal static class PeerData
{
    /// <summary>The base seed; each input adds a stable number of its own, and failure messages print the seed used.</summary>
    public const int BaseSeed = 20260501;

    /// <summary>One family of inputs: a name and a generator of length values from a seeded random source.</summary>
    public sealed record Dataset(string Name, Func<Random, int, double[]> Make)
    {
        public override string ToString() => Name;
    }

    /// <summary>
    /// Uniform values at three magnitudes, log-uniform magnitudes 1e-3..1e3 mixed in one tensor, and integers in
    /// [-8, 8] whose squares and window sums are exact in float32 (at most 15 * 64 = 960).
    /// </summary>
    public static readonly Dataset[] Datasets =
    [
        new("uniform_1e-3", (r, len) => Uniform(r, len, 1e-3)),
        new("uniform_1", (r, len) => Uniform(r, len, 1)),
        new("uniform_1e3", (r, len) => Uniform(r, len, 1e3)),
        new("mixed_1e-3_to_1e3", (r, len) => Generate(len, () => (r.Next(2) == 0 ? -1 : 1) * Math.Pow(10, (6 * r.NextDouble()) - 3))),
        new("integers_-8_to_8", (r, len) => Generate(len, () => r.Next(-8, 9))),
    ];

    public static int Seed(params int[] parts)
    {
        int seed = BaseSeed;
        foreach (int part in parts)
        {
            seed = unchecked((seed * 31) + part);
        }

        return seed & int.MaxValue;
    }

    public static double[] Uniform(Random random, int length, double scale) =>
        Generate(length, () => scale * ((2 * random.NextDouble()) - 1));

    public static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    public static int Count(IReadOnlyList<int> dims) => dims.Aggregate(1, (p, d) => p * d);

    /// <summary>s at every element of a channels-first tensor, in float64, for the window and coefficients of p.</summary>
    public static double[] Scale(double[] x, IReadOnlyList<int> dims, LrnParameters p)
    {
        int batch = dims[0], channels = dims[1];
        int plane = Count(dims) / (batch * channels);
        var s = new double[x.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int q = 0; q < plane; q++)
            {
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - p.Lo); j <= Math.Min(channels - 1, c + p.Hi); j++)
                    {
                        double v = x[Index(b, j, q, channels, plane)];
                        sum += v * v;
                    }

                    s[Index(b, c, q, channels, plane)] = p.K + (p.A * sum);
                }
            }
        }

        return s;
    }

    /// <summary>max over channels of s, broadcast to every element of the column (n, :, spatial).</summary>
    public static double[] ColumnMax(double[] s, IReadOnlyList<int> dims)
    {
        int batch = dims[0], channels = dims[1];
        int plane = Count(dims) / (batch * channels);
        var max = new double[s.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int q = 0; q < plane; q++)
            {
                double m = 0;
                for (int c = 0; c < channels; c++)
                {
                    m = Math.Max(m, s[Index(b, c, q, channels, plane)]);
                }

                for (int c = 0; c < channels; c++)
                {
                    max[Index(b, c, q, channels, plane)] = m;
                }
            }
        }

        return max;
    }

    /// <summary>The magnitude of dx_j's two terms: |dy_j| s_j^-beta + 2 a beta |x_j| sum_{c in [j-hi, j+lo]} |dy_c x_c| s_c^(-beta-1).</summary>
    public static double[] GradientMagnitude(double[] x, double[] dy, IReadOnlyList<int> dims, LrnParameters p)
    {
        double[] s = Scale(x, dims, p);
        int batch = dims[0], channels = dims[1];
        int plane = Count(dims) / (batch * channels);
        var m = new double[x.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int q = 0; q < plane; q++)
            {
                for (int j = 0; j < channels; j++)
                {
                    double mirrored = 0;
                    for (int c = Math.Max(0, j - p.Hi); c <= Math.Min(channels - 1, j + p.Lo); c++)
                    {
                        int at = Index(b, c, q, channels, plane);
                        mirrored += Math.Abs(dy[at] * x[at]) * Math.Pow(s[at], -p.Beta - 1);
                    }

                    int i = Index(b, j, q, channels, plane);
                    m[i] = (Math.Abs(dy[i]) * Math.Pow(s[i], -p.Beta)) + (2 * p.A * p.Beta * Math.Abs(x[i]) * mirrored);
                }
            }
        }

        return m;
    }

    /// <summary>
    /// Compares Lrn's result with a peer's element by element: |peer - lrn| &lt;= allowed[i]. Returns null when all
    /// agree, else a message with the count, the worst error and the first mismatches at (n, c, spatial...).
    /// </summary>
    public static string? Compare(string context, double[] peer, double[] lrn, double[] allowed, IReadOnlyList<int> dims)
    {
        var lines = new StringBuilder();
        int count = 0;
        double worst = 0;
        for (int i = 0; i < peer.Length; i++)
        {
            double error = Math.Abs(peer[i] - lrn[i]);
            bool ok = error <= allowed[i] || (double.IsNaN(peer[i]) && double.IsNaN(lrn[i]));
            if (!ok)
            {
                worst = Math.Max(worst, allowed[i] > 0 ? error / allowed[i] : double.PositiveInfinity);
                if (count++ < PeerTolerance.MismatchesShown)
                {
                    lines.Append(CultureInfo.InvariantCulture,
                        $"\n    at {Coordinates(dims, i)}: peer {peer[i]:R}, Lrn {lrn[i]:R}, error {error:G3}, allowed {allowed[i]:G3}");
                }
            }
        }

        return count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{context}: {count} of {peer.Length} elements differ beyond the tolerance (worst {worst:G3} times the allowed error) on shape [{string.Join(", ", dims)}]:{lines}");
    }

    /// <summary>The largest error / allowed over all elements (0 when all are exact), to report how much of each bound is used.</summary>
    public static double UsedFraction(double[] peer, double[] lrn, double[] allowed)
    {
        double used = 0;
        for (int i = 0; i < peer.Length; i++)
        {
            double error = Math.Abs(peer[i] - lrn[i]);
            if (error > 0)
            {
                used = Math.Max(used, allowed[i] > 0 ? error / allowed[i] : double.PositiveInfinity);
            }
        }

        return used;
    }

    /// <summary>Fails if any comparison failed, with the tolerances, the seed rule and the first failures' messages.</summary>
    public static void AssertNoFailures(List<string> failures, int comparisons)
    {
        if (failures.Count > 0)
        {
            string shown = string.Join("\n  ", failures.Take(FailuresShown));
            string more = failures.Count > FailuresShown ? $"\n  ... and {failures.Count - FailuresShown} more failed comparisons" : "";
            Assert.Fail($"{failures.Count} of {comparisons} comparisons failed. {PeerTolerance.Describe()} Inputs: seed {BaseSeed} combined with the case numbers (PeerData.Seed).\n  {shown}{more}");
        }
    }

    /// <summary>How many failed comparisons a failure message shows in full.</summary>
    public const int FailuresShown = 6;

    public static string Coordinates(IReadOnlyList<int> dims, int index)
    {
        var coordinates = new int[dims.Count];
        for (int axis = dims.Count - 1; axis >= 0; axis--)
        {
            coordinates[axis] = index % dims[axis];
            index /= dims[axis];
        }

        return "(" + string.Join(", ", coordinates) + ")";
    }

    private static double[] Generate(int length, Func<double> next)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = next();
        }

        return values;
    }

    private static int Index(int b, int c, int q, int channels, int plane) => (((b * channels) + c) * plane) + q;
}
