using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// The float32 forward image by image in flat order (Block.TryForwardFloat32Flat), which the 16-register kernels take
/// for n = 5 out of place when the images are large and many enough: against the reference within the float32 bound
/// at every width, and, where this machine runs the 16-register loops, bit for bit against the blocks along the rows,
/// which the forward in place takes. Planes from two vectors to the loop's largest, three channels to 96, images whole
/// and cut into two or three runs of channels (as for a batch smaller than the threads), runs whose ends fall anywhere
/// in a vector, and a value outside the float32 range (the image again by blocks). Windows over five channels
/// (Block.TryForwardWideFloat32Flat) the same way, whole images only.
/// </summary>
public unsafe class FlatForwardTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    private static readonly int[][] Shapes =
    [
        [2, 7, 9, 37], [3, 5, 16, 16], [2, 3, 100, 3], [2, 3, 40, 1], [2, 5, 33, 1], [1, 96, 55, 55], [2, 6, 64, 64], [3, 4, 3, 11],
    ];

    private static bool SixteenRegisters => !Avx512F.IsSupported && !AdvSimd.Arm64.IsSupported;

    private static bool ForwardFlat(int width, in LrnPlan plan, float[] x, float[] y, int chunks)
    {
        fixed (float* px = x, py = y)
        {
            return width switch
            {
                512 => Vector512Kernel.ForwardFlat(plan, px, py, chunks),
                256 => Vector256Kernel.ForwardFlat(plan, px, py, chunks),
                _ => Vector128Kernel.ForwardFlat(plan, px, py, chunks),
            };
        }
    }

    private static LrnKernelKind Kind(int width) =>
        width == 512 ? LrnKernelKind.Vector512 : width == 256 ? LrnKernelKind.Vector256 : LrnKernelKind.Vector128;

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_flat_forward_matches_the_reference_and_the_blocks_along_the_rows(int width)
    {
        var random = new Random(20261128);
        int ran = 0;
        int bitChecked = 0;
        foreach (int[] dims in Shapes)
        {
            foreach ((double beta, double k, int chunks) in new[] { (0.75, 2.0, 1), (1.0, 1.0, 1), (0.6, 0.5, 1), (0.75, 2.0, 2), (0.75, 2.0, 3) })
            {
                foreach (bool outOfRange in new[] { false, true })
                {
                    LrnShape shape = LrnShape.ChannelsFirst(dims);
                    LrnParameters p = LrnParameters.PyTorch(5, alpha: 0.5, beta, k);
                    var plan = new LrnPlan(shape, p);
                    float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                    if (outOfRange)
                    {
                        x[random.Next(x.Length)] = 3e19f;
                    }

                    float[] flat = new float[x.Length];
                    if (!ForwardFlat(width, plan, x, flat, chunks))
                    {
                        Assert.True(
                            !plan.Float32Allowed || plan.Lo != 2 || plan.Hi != 2 || plan.Inner < 2 * width / 32 || chunks > plan.Channels,
                            $"the flat loop refused {shape} in {chunks} runs at width {width}");
                        continue;
                    }

                    ran++;
                    string context = $"width {width}, {shape}, beta {beta}, k {k}, {chunks} runs of channels an image{(outOfRange ? ", a value out of the float32 range" : "")}";
                    float[] expected = new float[x.Length];
                    LocalResponseNorm.Forward(x, expected, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
                    TestData.AssertUlps(expected, flat, Tolerance.Float32ArithmeticUlps(5, beta), shape, context);
                    if (SixteenRegisters && TestData.IsSupported(Kind(width)))
                    {
                        // In place: the blocks along the rows, whatever the size (out of place, some of these shapes
                        // would take the flat order itself).
                        float[] blocks = (float[])x.Clone();
                        LocalResponseNorm.Forward(blocks, blocks, shape, p, new LrnOptions { Kernel = Kind(width) });
                        Assert.True(blocks.AsSpan().SequenceEqual(flat), $"{context}: the flat forward's bits differ from the blocks'");
                        bitChecked++;
                    }
                }
            }
        }

        Assert.True(ran >= 50, $"the flat loop ran only {ran} times at width {width}");
        Assert.True(bitChecked == 0 || bitChecked == ran, $"{bitChecked} of {ran} compared bit for bit");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_flat_forward_of_wide_windows_matches_the_reference_and_the_blocks_along_the_rows(int width)
    {
        // Windows over five channels (Block.TryForwardWideFloat32Flat): block sums of w rows, a ring of w planes whose
        // slots turn from squares into suffix sums when a run is complete; images whole only.
        var random = new Random(20261129);
        int ran = 0;
        int bitChecked = 0;
        foreach (int[] dims in Shapes)
        {
            foreach ((int n, double beta, double k) in new[] { (31, 0.75, 2.0), (7, 1.0, 1.0), (6, 0.6, 0.5), (11, 0.75, 2.0), (17, 0.5, 1.0), (64, 0.75, 2.0) })
            {
                foreach (bool outOfRange in new[] { false, true })
                {
                    LrnShape shape = LrnShape.ChannelsFirst(dims);
                    LrnParameters p = LrnParameters.PyTorch(n, alpha: 0.5, beta, k);
                    var plan = new LrnPlan(shape, p);
                    if (plan.Width <= 5)
                    {
                        continue; // clipped to the channels: the window of five's loop, tested above
                    }

                    float[] x = TestData.As<float>(TestData.Random(random, shape.ElementCount));
                    if (outOfRange)
                    {
                        x[random.Next(x.Length)] = 3e19f;
                    }

                    float[] flat = new float[x.Length];
                    if (!ForwardFlat(width, plan, x, flat, 1))
                    {
                        Assert.True(
                            plan.Inner < 2 * width / 32,
                            $"the flat loop refused {shape} with n = {n} at width {width}");
                        continue;
                    }

                    Assert.False(ForwardFlat(width, plan, x, flat, 2), "the wide flat loop took an image in runs of channels");
                    ran++;
                    string context = $"width {width}, {shape}, n {n} (lo {plan.Lo}, hi {plan.Hi}), beta {beta}, k {k}{(outOfRange ? ", a value out of the float32 range" : "")}";
                    float[] expected = new float[x.Length];
                    LocalResponseNorm.Forward(x, expected, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
                    TestData.AssertUlps(expected, flat, Tolerance.Float32ArithmeticUlps(plan.Width, beta), shape, context);
                    if (SixteenRegisters && TestData.IsSupported(Kind(width)))
                    {
                        float[] blocks = (float[])x.Clone();
                        LocalResponseNorm.Forward(blocks, blocks, shape, p, new LrnOptions { Kernel = Kind(width) });
                        Assert.True(blocks.AsSpan().SequenceEqual(flat), $"{context}: the flat forward's bits differ from the blocks'");
                        bitChecked++;
                    }
                }
            }
        }

        Assert.True(ran >= 20, $"the wide flat loop ran only {ran} times at width {width}");
        Assert.True(bitChecked == 0 || bitChecked == ran, $"{bitChecked} of {ran} compared bit for bit");
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(3, 2)]
    public void A_batch_that_does_not_divide_among_the_threads_gives_the_bits_of_one_thread_and_of_in_place(int batch, int threads)
    {
        // Fewer images than threads (or not a multiple of them): the flat order cuts each image into runs of channels.
        LrnShape shape = LrnShape.ChannelsFirst(batch, 96, 55, 55);
        LrnParameters p = LrnParameters.PyTorch(5, 1e-4 * 5, 0.75, 2);
        float[] x = TestData.As<float>(TestData.Random(new Random(batch * 10 + threads), shape.ElementCount, scale: 40));
        float[] many = new float[x.Length];
        float[] one = new float[x.Length];
        LocalResponseNorm.Forward(x, many, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        LocalResponseNorm.Forward(x, one, shape, p, new LrnOptions { MaxDegreeOfParallelism = 1 });
        Assert.True(one.AsSpan().SequenceEqual(many), $"one thread and {threads} differ");
        LocalResponseNorm.Forward(x, x, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        Assert.True(x.AsSpan().SequenceEqual(many), "in place and out of place differ");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(31)]
    public void A_forward_beyond_the_caches_gives_the_same_bits_in_place_and_for_any_thread_count(int n)
    {
        // 2 x 18.6 MB, beyond the caches: out of place it goes image by image through the flat loop on 16 registers,
        // with rings wrapping many times per image; in place it takes the blocks along the rows.
        LrnShape shape = LrnShape.ChannelsFirst(16, 96, 55, 55);
        LrnParameters p = LrnParameters.PyTorch(n, 1e-4 * n, 0.75, 2);
        float[] x = TestData.As<float>(TestData.Random(new Random(28), shape.ElementCount, scale: 40));
        float[] two = new float[x.Length];
        float[] one = new float[x.Length];
        LocalResponseNorm.Forward(x, two, shape, p, new LrnOptions { MaxDegreeOfParallelism = 2 });
        LocalResponseNorm.Forward(x, one, shape, p, new LrnOptions { MaxDegreeOfParallelism = 1 });
        Assert.True(one.AsSpan().SequenceEqual(two), "one thread and two differ");
        LocalResponseNorm.Forward(x, x, shape, p, new LrnOptions { MaxDegreeOfParallelism = 2 });
        Assert.True(x.AsSpan().SequenceEqual(two), "in place and out of place differ");
    }

    [Theory]
    [InlineData(16, 96, 55, 2, 0)]
    [InlineData(16, 96, 55, 2, 1)]
    [InlineData(16, 97, 55, 1, 3)]
    [InlineData(16, 97, 55, 2, 7)]
    [InlineData(2, 1024, 64, 3, 5)]
    public void A_forward_past_the_caches_gives_the_bits_of_in_place_at_any_offset_of_y(int batch, int channels, int side, int threads, int offset)
    {
        // Beyond the caches, y at each float offset of a vector (the flat loop's vectors of y then straddle lines
        // differently) gives the bits of the forward in place (the blocks along the rows), and writes nothing outside
        // y. 97 channels leave the image a partial vector at its end; [2,1024,64,64] on three threads goes in runs of
        // channels.
        LrnShape shape = LrnShape.ChannelsFirst(batch, channels, side, side);
        LrnParameters p = LrnParameters.PyTorch(5, 1e-4 * 5, 0.75, 2);
        float[] x = TestData.As<float>(TestData.Random(new Random(offset + 40), shape.ElementCount, scale: 40));
        float[] buffer = new float[x.Length + 16];
        Span<float> y = buffer.AsSpan(offset, x.Length);
        LocalResponseNorm.Forward(x, y, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        Assert.True(buffer.AsSpan(0, offset).IndexOfAnyExcept(0f) < 0, "written before y");
        Assert.True(buffer.AsSpan(offset + x.Length).IndexOfAnyExcept(0f) < 0, "written after y");
        LocalResponseNorm.Forward(x, x, shape, p, new LrnOptions { MaxDegreeOfParallelism = threads });
        int same = x.AsSpan().CommonPrefixLength(y);
        Assert.True(same == x.Length, $"in place and y at offset {offset} differ first at {same}");
    }
}
