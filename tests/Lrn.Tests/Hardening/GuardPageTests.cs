using System.Globalization;

namespace Lrn.Tests;

/// <summary>
/// Every kernel (the reference, scalar, each SIMD width; across channels and within channel), both layouts, float and
/// double, forward (out of place and in place) and backward (with y recomputed and with y given), over the edge shapes,
/// with every tensor in native memory between two unreadable pages (<see cref="GuardedBuffer{T}"/>): once ending exactly
/// at the trailing guard page and once starting exactly after the leading one. One element read or written outside a
/// span crashes the test host. The results must also have the bits the same kernel gives on ordinary arrays, so the
/// placement (and with it the alignment) changes nothing.
/// </summary>
public class GuardPageTests
{
    /// <summary>
    /// Across-channel shapes beyond <see cref="TestData.EdgeShapes"/> that sit on the SIMD kernels' block edges: planes of
    /// exactly one and two float32 vectors (8, 16, 32 lanes) and one more, of one block of eight AVX2 vectors (64, the
    /// 16-register rings) alone and with a tail (96), and channels-last groups of exactly B channel
    /// vectors (B = 16, 8, 4 for 512, 256, 128 bits), one fewer and one more.
    /// </summary>
    public static readonly (string Name, int[] Dims)[] BlockEdgeShapes =
    [
        ("plane_8", [1, 3, 8]),
        ("plane_16", [1, 3, 16]),
        ("plane_32", [2, 3, 32]),
        ("plane_33", [1, 4, 33]),
        ("plane_64", [1, 2, 64]),
        ("plane_96_wide_window", [1, 9, 96]),
        ("rank2_outer_4", [4, 5]),
        ("rank2_outer_15", [15, 3]),
        ("rank2_outer_16", [16, 5]),
        ("rank2_outer_17", [17, 2]),
        ("rank2_outer_33", [33, 6]),
        ("c_1_outer_16", [16, 1, 1]),
    ];

    private static readonly LrnParameters[] AcrossParameters =
    [
        LrnParameters.PyTorch(4, alpha: 0.3, beta: 0.75, k: 1.5),
        LrnParameters.Canonical(7, 2, 0.1, 1, 0.6),
        LrnParameters.Caffe(1, alpha: 0.5, beta: 0.5, k: 1),
    ];

    private static readonly LrnParameters[] WithinParameters =
    [
        LrnParameters.CuDnnWithinChannel(5, 0.5, 0.75, 1.5),
        LrnParameters.OneDnnWithinChannel(3, 1, 0.6, 1),
    ];

    private static readonly GuardPlacement[] Placements = [GuardPlacement.EndsAtGuard, GuardPlacement.StartsAfterGuard];

    public static TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool> Cases()
    {
        var data = new TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool>();
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            foreach (bool useDouble in new[] { false, true })
            {
                foreach (LrnKernelKind kernel in TestData.AllKernels)
                {
                    data.Add(kernel, LrnRegion.AcrossChannels, layout, useDouble);
                }

                // Within channel every kind but the reference runs the one block-sum kernel.
                data.Add(LrnKernelKind.Reference, LrnRegion.WithinChannel, layout, useDouble);
                data.Add(LrnKernelKind.Scalar, LrnRegion.WithinChannel, layout, useDouble);
            }
        }

        return data;
    }

    [LinuxTheory]
    [MemberData(nameof(Cases))]
    public void Kernels_never_touch_memory_outside_their_spans(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        IEnumerable<(string Name, int[] Dims)> shapes = region == LrnRegion.AcrossChannels
            ? TestData.EdgeShapes.Concat(BlockEdgeShapes)
            : WithinKernelTests.EdgeShapes;
        LrnParameters[] parameters = region == LrnRegion.AcrossChannels ? AcrossParameters : WithinParameters;
        var options = new LrnOptions { Kernel = kernel };
        int runs = 0;
        foreach ((string name, int[] dims) in shapes)
        {
            LrnShape shape = TestData.Shape(layout, dims);
            foreach (LrnParameters p in parameters)
            {
                foreach (GuardPlacement placement in Placements)
                {
                    string context = $"{kernel} {name} {p.Name} lo={p.Lo} hi={p.Hi} {placement}";
                    int seed = StableSeed.Of(name, p.Lo, p.Hi, layout);
                    if (useDouble)
                    {
                        RunGuarded<double>(shape, p, options, placement, seed, context);
                    }
                    else
                    {
                        RunGuarded<float>(shape, p, options, placement, seed, context);
                    }

                    runs++;
                }
            }
        }

        Assert.True(runs > 0);
    }

    [LinuxFact]
    public unsafe void The_guard_pages_are_mapped_with_no_access_and_the_data_between_them_is_readable_and_writable()
    {
        // The test above proves nothing if the guards are not really PROT_NONE: read the kernel's own map of this process.
        using var buffer = new GuardedBuffer<float>(1000, GuardPlacement.EndsAtGuard);
        buffer.Span.Fill(1);
        nuint page = (nuint)Environment.SystemPageSize;
        Assert.Equal(buffer.GuardAfter, (nuint)(buffer.Pointer + buffer.Length));
        Assert.Equal("---p", Permissions(buffer.GuardAfter));
        Assert.Equal("---p", Permissions(buffer.GuardBefore));
        Assert.Equal("rw-p", Permissions(buffer.GuardBefore + page));
        Assert.Equal("rw-p", Permissions(buffer.GuardAfter - 1));

        using var start = new GuardedBuffer<double>(3, GuardPlacement.StartsAfterGuard);
        Assert.Equal(start.GuardBefore + page, (nuint)start.Pointer);
        Assert.Equal("---p", Permissions(start.GuardBefore));
        Assert.Equal("---p", Permissions(start.GuardAfter));
    }

    /// <summary>Runs every operation on guarded copies and compares with the same kernel on managed arrays.</summary>
    private static void RunGuarded<T>(LrnShape shape, LrnParameters p, LrnOptions options, GuardPlacement placement, int seed, string context)
        where T : unmanaged
    {
        var random = new Random(seed);
        T[] x = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        T[] dy = TestData.As<T>(TestData.Random(random, shape.ElementCount));
        var y = new T[x.Length];
        var dx = new T[x.Length];
        var dxGivenY = new T[x.Length];
        SpanCalls.Forward<T>(x, y, shape, p, options);
        SpanCalls.Backward<T>(x, dy, dx, shape, p, options);
        SpanCalls.Backward<T>(x, y, dy, dxGivenY, shape, p, options);

        using GuardedBuffer<T> gx = GuardedBuffer<T>.From(x, placement);
        using GuardedBuffer<T> gdy = GuardedBuffer<T>.From(dy, placement);
        using var gy = new GuardedBuffer<T>(x.Length, placement);
        using var gdx = new GuardedBuffer<T>(x.Length, placement);

        SpanCalls.Forward<T>(gx.Span, gy.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(y, gy.Span, shape, context + " forward");

        SpanCalls.Backward<T>(gx.Span, gdy.Span, gdx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(dx, gdx.Span, shape, context + " backward");

        SpanCalls.Backward<T>(gx.Span, gy.Span, gdy.Span, gdx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(dxGivenY, gdx.Span, shape, context + " backward with y");

        // In place last: it overwrites x.
        SpanCalls.Forward<T>(gx.Span, gx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(y, gx.Span, shape, context + " forward in place");
    }

    /// <summary>The permissions ("rw-p", "---p") of the mapping that holds <paramref name="address"/>, from /proc/self/maps.</summary>
    private static string Permissions(nuint address)
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            // "7f12a000-7f12b000 ---p 00000000 00:00 0"
            string[] fields = line.Split(' ', 3);
            string[] range = fields[0].Split('-');
            ulong from = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong to = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (from <= address && address < to)
            {
                return fields[1];
            }
        }

        return "unmapped";
    }
}
