using System.Runtime.Intrinsics;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// The float64 forward plane by plane in flat order (Block.ForwardFloat64Flat), which the 16-register kernels take for
/// windows of up to five channels when the images are large and many enough, in place too: against the reference at
/// every width and, bit for bit, against the blocks along the rows that it replaces (the same sums in the same order,
/// the same power, the last Inner mod B positions of each plane by the scalar kernel in both). Planes from one block to
/// the loop's largest, every window of up to five channels, images whole and in runs of channels, values that the
/// power's estimate cannot take (zero, infinite, NaN, huge, tiny). And s^-0.75 itself (Float64Powers) against Math.Pow.
/// </summary>
public unsafe class Float64FlatForwardTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    private static readonly int[][] Shapes =
    [
        [2, 7, 9, 37], [3, 5, 16, 16], [2, 3, 100, 3], [2, 3, 40, 1], [2, 5, 33, 1], [1, 96, 55, 55], [2, 6, 64, 64], [3, 4, 3, 11], [2, 9, 2, 4], [2, 2, 4, 4],
    ];

    private static readonly (int Lo, int Hi)[] Windows = [(2, 2), (0, 0), (1, 1), (2, 1), (1, 2), (0, 4), (4, 0), (3, 1), (0, 2)];

    private static bool Flat(int width, in LrnPlan plan, double[] x, double[] y, int chunks)
    {
        fixed (double* px = x, py = y)
        {
            return width switch
            {
                512 => Vector512Kernel.ForwardFlat(plan, px, py, chunks),
                256 => Vector256Kernel.ForwardFlat(plan, px, py, chunks),
                _ => Vector128Kernel.ForwardFlat(plan, px, py, chunks),
            };
        }
    }

    private static void AlongRows(int width, in LrnPlan plan, double[] x, double[] y)
    {
        fixed (double* px = x, py = y)
        {
            switch (width)
            {
                case 512: Vector512Kernel.ForwardAlongRows(plan, px, py); break;
                case 256: Vector256Kernel.ForwardAlongRows(plan, px, py); break;
                default: Vector128Kernel.ForwardAlongRows(plan, px, py); break;
            }
        }
    }

    private static bool Supported(int width) =>
        width == 512 ? Vector512.IsHardwareAccelerated : width == 256 ? Vector256.IsHardwareAccelerated : Vector128.IsHardwareAccelerated;

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_flat_float64_forward_matches_the_reference_and_the_blocks_along_the_rows_bit_for_bit(int width)
    {
        if (!Supported(width))
        {
            return;
        }

        var random = new Random(20261128 + width);
        int ran = 0;
        foreach (int[] dims in Shapes)
        {
            foreach ((int lo, int hi) in Windows)
            {
                foreach ((double beta, double k, int chunks, bool inPlace, bool special) in new[]
                {
                    (0.75, 2.0, 1, false, false), (0.75, 2.0, 1, true, false), (0.75, 0.0, 1, false, true), (1.0, 1.0, 1, false, false),
                    (0.5, 1.0, 1, false, false), (0.6, 0.5, 1, false, true), (0.0, 1.0, 1, false, false), (0.75, 2.0, 2, false, false), (0.75, 1.0, 3, false, true),
                })
                {
                    LrnShape shape = LrnShape.ChannelsFirst(dims);
                    LrnParameters p = LrnParameters.Canonical(lo, hi, 0.5, k, beta);
                    var plan = new LrnPlan(shape, p);
                    double[] x = TestData.Random(random, shape.ElementCount, scale: 3);
                    if (special)
                    {
                        // Zero (with k = 0: s = 0 and an infinite power), infinite, NaN, huge and tiny inputs: the
                        // estimate cannot take their windows, which go to the square roots lane by lane.
                        double[] values = [0, double.PositiveInfinity, double.NaN, 1e150, -1e-160, 3e-310, 1e19];
                        for (int j = 0; j < values.Length; j++)
                        {
                            x[random.Next(x.Length)] = values[j];
                        }

                        x.AsSpan(0, Math.Min(x.Length, 40)).Clear();
                    }

                    double[] flat = inPlace ? (double[])x.Clone() : new double[x.Length];
                    if (!Flat(width, plan, inPlace ? flat : x, flat, chunks))
                    {
                        int b = 2 * width / 64;
                        Assert.True(
                            plan.Lo + plan.Hi > 4 || plan.Inner < b || chunks > plan.Channels,
                            $"the flat loop refused {shape}, lo {plan.Lo}, hi {plan.Hi}, in {chunks} runs at width {width}");
                        continue;
                    }

                    ran++;
                    string context = $"width {width}, {shape}, lo {plan.Lo}, hi {plan.Hi}, beta {beta}, k {k}, {chunks} runs of channels{(inPlace ? ", in place" : "")}{(special ? ", special values" : "")}";
                    double[] expected = new double[x.Length];
                    LocalResponseNorm.Forward(x, expected, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
                    TestData.AssertUlps(expected, flat, Tolerance.Float64ForwardUlps(plan.Width, beta), shape, context);
                    double[] rows = new double[x.Length];
                    AlongRows(width, plan, x, rows);
                    Assert.True(Bits(rows).SequenceEqual(Bits(flat)), $"{context}: the flat forward's bits differ from the blocks'");
                }
            }
        }

        Assert.True(ran >= 400, $"the flat loop ran only {ran} times at width {width}");
    }

    private static ReadOnlySpan<long> Bits(double[] values) => System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(values.AsSpan());

    [Theory]
    [InlineData(1, 2, 0.75)]
    [InlineData(1, 3, 0.75)]
    [InlineData(3, 2, 1.0)]
    [InlineData(16, 2, 0.75)]
    [InlineData(16, 2, 1.0)]
    public void The_float64_forward_gives_the_same_bits_for_any_thread_count_and_in_place(int batch, int threads, double beta)
    {
        // Batches 1 and 3 on two or three threads: out of place each image in runs of channels, in place by blocks along
        // the rows. 16 images of 96 x 55 x 55 (2 x 37 MB), past the caches: out of place with beta 1, with streaming
        // stores.
        LrnShape shape = LrnShape.ChannelsFirst(batch, 96, 55, 55);
        LrnParameters p = LrnParameters.PyTorch(5, 1e-4 * 5, beta, 2);
        double[] x = TestData.Random(new Random(batch * 10 + threads), shape.ElementCount, scale: 40);
        double[] many = new double[x.Length];
        double[] one = new double[x.Length];
        LocalResponseNorm.Forward(x, many, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        LocalResponseNorm.Forward(x, one, shape, p, new LrnOptions { MaxDegreeOfParallelism = 1 });
        Assert.True(Bits(one).SequenceEqual(Bits(many)), $"one thread and {threads} differ");
        double[] expected = new double[x.Length];
        LocalResponseNorm.Forward(x, expected, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
        TestData.AssertUlps(expected, many, Tolerance.Float64ForwardUlps(5, beta), shape, $"{threads} threads");
        LocalResponseNorm.Forward(x, x, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        Assert.True(Bits(x).SequenceEqual(Bits(many)), "in place and out of place differ");
    }

    [Theory]
    [InlineData(0.75)]
    [InlineData(1.0)]
    public void The_float64_forward_past_the_caches_takes_outputs_at_any_byte_offset(double beta)
    {
        // Streaming stores need aligned lines: y four bytes off a double's alignment (a span cast from bytes) must take
        // ordinary stores, not fault, and give the bits of an aligned y. 16 images of 96 x 55 x 55 (2 x 37 MB).
        LrnShape shape = LrnShape.ChannelsFirst(16, 96, 55, 55);
        LrnParameters p = LrnParameters.PyTorch(5, 1e-4 * 5, beta, 2);
        double[] x = TestData.Random(new Random(16), shape.ElementCount, scale: 40);
        double[] aligned = new double[x.Length];
        LocalResponseNorm.Forward(x, aligned, shape, p, new LrnOptions { MaxDegreeOfParallelism = 2 });
        byte[] bytes = new byte[(x.Length * sizeof(double)) + 4];
        Span<double> offset = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes.AsSpan(4));
        LocalResponseNorm.Forward(x, offset, shape, p, new LrnOptions { MaxDegreeOfParallelism = 2 });
        Assert.True(Bits(aligned).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(offset)), "y off its alignment differs");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_float64_three_quarter_power_is_within_three_ulps_of_Math_Pow_for_any_pairing(int width)
    {
        if (!Supported(width))
        {
            return;
        }

        var random = new Random(75 + width);
        var s = new List<double>
        {
            0, -0.0, double.PositiveInfinity, double.NaN, -1, double.Epsilon, double.MaxValue, 1, 2, 1e-4,
            Math.ScaleB(1, -126), Math.ScaleB(1, -127), Math.ScaleB(1, -149), Math.ScaleB(1, -150), Math.ScaleB(1, 127),
            Math.ScaleB(1, 128), Math.BitDecrement(Math.ScaleB(1, 128)), float.MaxValue, Math.BitIncrement(float.MaxValue), 1e-300, 1e300,
        };
        while (s.Count < 4000)
        {
            // Log-uniform over the float64 range, and near k (s = k + a sum, usually 1 to 3).
            s.Add(s.Count % 2 == 0 ? Math.Pow(2, (random.NextDouble() * 2000) - 1000) : 1 + (2 * random.NextDouble()));
        }

        int lanes = width / 64;
        for (int i = 0; i + (2 * lanes) <= s.Count; i += lanes)
        {
            double[] first = Power(width, s.GetRange(i, lanes).ToArray(), s.GetRange(i + lanes, lanes).ToArray(), out double[] partner);
            double[] alone = Power(width, s.GetRange(i, lanes).ToArray(), s.GetRange(i, lanes).ToArray(), out _);
            double[] reversed = Power(width, s.GetRange(i + lanes, lanes).ToArray(), s.GetRange(i, lanes).ToArray(), out double[] second);
            for (int l = 0; l < lanes; l++)
            {
                double v = s[i + l];
                double expected = Math.Pow(v, -0.75);
                long ulps = Ulps.Between(expected, first[l]);
                Assert.True(ulps <= 3, $"s = {v:R}: expected {expected:R}, got {first[l]:R} ({ulps} ulps)");
                Assert.True(BitConverter.DoubleToInt64Bits(first[l]) == BitConverter.DoubleToInt64Bits(alone[l]), $"s = {v:R}: its power depends on the other vector");
                Assert.True(BitConverter.DoubleToInt64Bits(first[l]) == BitConverter.DoubleToInt64Bits(second[l]), $"s = {v:R}: its power depends on its place in the pair");
                Assert.True(BitConverter.DoubleToInt64Bits(partner[l]) == BitConverter.DoubleToInt64Bits(reversed[l]), $"s = {s[i + lanes + l]:R}: its power depends on its place in the pair");
            }
        }
    }

    private static double[] Power(int width, double[] s0, double[] s1, out double[] p1)
    {
        double[] p0 = new double[s0.Length];
        p1 = new double[s0.Length];
        switch (width)
        {
            case 512:
                Float64Powers.NegativeThreeQuarterPower(Vector512.Create(s0), Vector512.Create(s1), out Vector512<double> a512, out Vector512<double> b512);
                a512.CopyTo(p0);
                b512.CopyTo(p1);
                break;
            case 256:
                Float64Powers.NegativeThreeQuarterPower(Vector256.Create(s0), Vector256.Create(s1), out Vector256<double> a256, out Vector256<double> b256);
                a256.CopyTo(p0);
                b256.CopyTo(p1);
                break;
            default:
                Float64Powers.NegativeThreeQuarterPower(Vector128.Create(s0), Vector128.Create(s1), out Vector128<double> a128, out Vector128<double> b128);
                a128.CopyTo(p0);
                b128.CopyTo(p1);
                break;
        }

        return p0;
    }
}
