namespace Lrn.Tests;

/// <summary>
/// The within-channel forward under every SIMD kernel kind (the plane kernel's float32 arithmetic, which
/// <see cref="GuardPageTests"/> does not reach: it runs within channel under the reference and scalar kinds only) with
/// x and y in native memory between two unreadable pages, ending exactly at the trailing guard page and starting exactly
/// after the leading one, out of place and in place, and the backward (y recomputed and given), over
/// <see cref="WithinKernelTests.EdgeShapes"/> in both layouts.
/// One element read or written outside a span crashes the test host; the bits must be those of ordinary arrays.
/// </summary>
public class WithinGuardPageTests
{
    private static readonly LrnParameters[] Parameters =
    [
        LrnParameters.CuDnnWithinChannel(5, 0.5, 0.75, 1.5),
        LrnParameters.OneDnnWithinChannel(3, 1, 0.6, 1),
        LrnParameters.CaffeWithinChannel(15, 2, 0.5),
    ];

    public static TheoryData<LrnKernelKind, LrnLayout, bool> Cases()
    {
        var data = new TheoryData<LrnKernelKind, LrnLayout, bool>();
        foreach (LrnKernelKind kernel in TestData.FastKernels.Where(k => k != LrnKernelKind.Scalar))
        {
            foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
            {
                data.Add(kernel, layout, false);
                data.Add(kernel, layout, true);
            }
        }

        return data;
    }

    [LinuxTheory]
    [MemberData(nameof(Cases))]
    public void The_SIMD_kinds_never_touch_memory_outside_their_spans_within_channel(LrnKernelKind kernel, LrnLayout layout, bool useDouble)
    {
        var options = new LrnOptions { Kernel = kernel };
        int runs = 0;
        foreach ((string name, int[] dims) in WithinKernelTests.EdgeShapes)
        {
            LrnShape shape = TestData.Shape(layout, dims);
            foreach (LrnParameters p in Parameters)
            {
                foreach (GuardPlacement placement in new[] { GuardPlacement.EndsAtGuard, GuardPlacement.StartsAfterGuard })
                {
                    string context = $"{kernel} {name} {p.Name} n={p.Size} {placement}";
                    int seed = StableSeed.Of(name, p.Size, layout);
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

    private static void RunGuarded<T>(LrnShape shape, LrnParameters p, LrnOptions options, GuardPlacement placement, int seed, string context)
        where T : unmanaged
    {
        T[] x = TestData.As<T>(TestData.Random(new Random(seed), shape.ElementCount));
        var y = new T[x.Length];
        SpanCalls.Forward<T>(x, y, shape, p, options);

        using GuardedBuffer<T> gx = GuardedBuffer<T>.From(x, placement);
        using var gy = new GuardedBuffer<T>(x.Length, placement);
        SpanCalls.Forward<T>(gx.Span, gy.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(y, gy.Span, shape, context + " forward");

        // The backward (the plane kernel's float64 planes), y recomputed and given, before x is overwritten in place.
        T[] dy = TestData.As<T>(TestData.Random(new Random(seed + 1), shape.ElementCount));
        var dx = new T[x.Length];
        var dxGiven = new T[x.Length];
        SpanCalls.Backward<T>(x, dy, dx, shape, p, options);
        SpanCalls.Backward<T>(x, y, dy, dxGiven, shape, p, options);
        using GuardedBuffer<T> gdy = GuardedBuffer<T>.From(dy, placement);
        using GuardedBuffer<T> gyGiven = GuardedBuffer<T>.From(y, placement);
        using var gdx = new GuardedBuffer<T>(x.Length, placement);
        SpanCalls.Backward<T>(gx.Span, gdy.Span, gdx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(dx, gdx.Span, shape, context + " backward");
        SpanCalls.Backward<T>(gx.Span, gyGiven.Span, gdy.Span, gdx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(dxGiven, gdx.Span, shape, context + " backward, y given");

        SpanCalls.Forward<T>(gx.Span, gx.Span, shape, p, options);
        SpanCalls.AssertSameBits<T>(y, gx.Span, shape, context + " forward in place");
    }
}
