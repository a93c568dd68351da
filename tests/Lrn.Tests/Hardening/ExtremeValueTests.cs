using System.Globalization;

namespace Lrn.Tests;

/// <summary>
/// SPEC.md section 6 beyond <see cref="NumericsTests"/>: huge values, denormals, NaN and infinity, and k = 0 with an
/// all-zero window, for every kernel against the float64 reference, in both layouts, both regions, float and double,
/// forward and backward. The shapes put the values where each kernel path runs: channels-first planes of 70 positions
/// (whole SIMD blocks, some computed in float32 arithmetic, and scalar tails) and channels-last vectors (gathered
/// blocks and tails). Bounds come from <see cref="Tolerance"/>.
/// </summary>
public class ExtremeValueTests
{
    private static readonly LrnOptions Reference = new() { Kernel = LrnKernelKind.Reference };

    /// <summary>Channels-first (N, C, spatial...); the channels-last twin moves C last.</summary>
    private static readonly int[] AcrossDims = [2, 6, 70];

    private static readonly int[] WithinDims = [2, 3, 7, 10];

    public static TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool> FastCases()
    {
        var data = new TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool>();
        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            foreach (bool useDouble in new[] { false, true })
            {
                foreach (LrnKernelKind kernel in TestData.FastKernels)
                {
                    data.Add(kernel, LrnRegion.AcrossChannels, layout, useDouble);
                }

                data.Add(LrnKernelKind.Scalar, LrnRegion.WithinChannel, layout, useDouble);
            }
        }

        return data;
    }

    /// <summary>Like <see cref="FastCases"/>, with the reference too: for checks against the formula rather than against the reference.</summary>
    public static TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool> AllCases()
    {
        var data = new TheoryData<LrnKernelKind, LrnRegion, LrnLayout, bool>();
        foreach (object[] row in FastCases())
        {
            data.Add((LrnKernelKind)row[0], (LrnRegion)row[1], (LrnLayout)row[2], (bool)row[3]);
        }

        foreach (LrnLayout layout in new[] { LrnLayout.ChannelsFirst, LrnLayout.ChannelsLast })
        {
            data.Add(LrnKernelKind.Reference, LrnRegion.AcrossChannels, layout, false);
            data.Add(LrnKernelKind.Reference, LrnRegion.AcrossChannels, layout, true);
            data.Add(LrnKernelKind.Reference, LrnRegion.WithinChannel, layout, false);
            data.Add(LrnKernelKind.Reference, LrnRegion.WithinChannel, layout, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FastCases))]
    public void Values_up_to_the_float32_maximum_match_the_float64_reference(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        // x^2 overflows float32 above 2^64 ~ 1.8e19, where peers return 0 or NaN; the answer is finite. Double data takes
        // the same magnitudes here, and larger ones below.
        CompareHugeWithReference(kernel, region, layout, useDouble, [float.MaxValue, 3e38, 1e30, 2e19, 1.9e19, 1.8446744e19]);
    }

    public static TheoryData<LrnKernelKind, LrnLayout> AcrossFastLayouts()
    {
        var data = new TheoryData<LrnKernelKind, LrnLayout>();
        foreach (LrnKernelKind kernel in TestData.FastKernels)
        {
            data.Add(kernel, LrnLayout.ChannelsFirst);
            data.Add(kernel, LrnLayout.ChannelsLast);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AcrossFastLayouts))]
    public void Double_values_up_to_1e150_match_the_float64_reference_across_channels(LrnKernelKind kernel, LrnLayout layout)
    {
        // Squares up to 1e300 and window sums of a few of them still fit a double, so nothing over- or underflows in
        // the reference: s up to ~1e300, s^-beta down to ~1e-225, dy y / s down to ~1e-300.
        CompareHugeWithReference(kernel, LrnRegion.AcrossChannels, layout, useDouble: true, [1e150, 1e100, 1e60, float.MaxValue]);
    }

    [Theory]
    [InlineData(LrnLayout.ChannelsFirst)]
    [InlineData(LrnLayout.ChannelsLast)]
    public void Double_values_up_to_1e150_match_the_float64_reference_within_channel(LrnLayout layout)
    {
        // Regression: WithinBlockSumKernel's backward once took t_p = dy_p * x_p * (s_p^-beta / s_p): for s ~ 1e195
        // the quotient s^-1.75 ~ 1e-342 is below the smallest double, so t was 0 where the reference's
        // dy_p * (x_p * s_p^-beta) / s_p ~ 1e-241 is not, and dx kept only its first term.
        CompareHugeWithReference(LrnKernelKind.Scalar, LrnRegion.WithinChannel, layout, useDouble: true, [1e150, 1e100, 1e60, float.MaxValue]);
    }

    private static void CompareHugeWithReference(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble, double[] huge)
    {
        foreach (Case c in Cases(region, layout, beta: 0.75, k: 1, alpha: 1e-4).Concat(Cases(region, layout, beta: 0.6, k: 2, alpha: 1)))
        {
            var random = new Random(StableSeed.Of(kernel, region, layout, c.P.Beta, huge[0]));
            double[] x = TestData.Random(random, c.Shape.ElementCount);
            double[] dy = TestData.Random(random, c.Shape.ElementCount);
            for (long i = 0; i < x.Length; i++)
            {
                // Channels-first, only the second half of each 64-position tile: the first keeps whole SIMD blocks of
                // ordinary values, so the float32-arithmetic path runs beside the blocks that must leave it.
                bool eligible = c.Shape.Layout == LrnLayout.ChannelsLast || (Position(c.Shape, i) % 64) >= 32;
                if (eligible && random.NextDouble() < 0.3)
                {
                    x[i] = huge[random.Next(huge.Length)] * (random.Next(2) == 0 ? -1 : 1);
                }
            }

            string context = $"{kernel} {c.P.Name} beta={c.P.Beta} {c.Shape}";
            if (useDouble)
            {
                CompareWithReference<double>(kernel, c, x, dy, context, requireFinite: true);
            }
            else
            {
                CompareWithReference<float>(kernel, c, x, dy, context, requireFinite: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FastCases))]
    public void Denormal_inputs_match_the_reference_and_are_not_flushed_to_zero(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        double[] tiny = useDouble
            ? [double.Epsilon, 1e-320, -2.5e-310, 1e-308, 3e-300]
            : [float.Epsilon, 1e-45, -3e-42, 1e-40, 1e-38, 2e-30];
        foreach (Case c in Cases(region, layout, beta: 0.5, k: 0, alpha: 1).Concat(Cases(region, layout, beta: 0.75, k: 1, alpha: 1)))
        {
            var random = new Random(StableSeed.Of(kernel, region, layout, c.P.K));
            double[] x = new double[c.Shape.ElementCount];
            for (long i = 0; i < x.Length; i++)
            {
                x[i] = random.Next(8) == 0 ? 0 : tiny[random.Next(tiny.Length)] * (random.Next(2) == 0 ? -1 : 1);
            }

            double[] dy = TestData.Random(random, c.Shape.ElementCount);
            string context = $"{kernel} {c.P.Name} k={c.P.K} {c.Shape}";
            if (useDouble)
            {
                CompareWithReference<double>(kernel, c, x, dy, context, requireFinite: false);
                AssertIdentityWhereSIsOne<double>(kernel, c, x);
            }
            else
            {
                CompareWithReference<float>(kernel, c, x, dy, context, requireFinite: false);
                AssertIdentityWhereSIsOne<float>(kernel, c, x);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FastCases))]
    public void NaN_and_infinity_in_x_or_dy_give_the_references_non_finite_outputs(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        foreach (Case c in Cases(region, layout, beta: 0.75, k: 1, alpha: 0.5).Concat(Cases(region, layout, beta: 0.6, k: 0.5, alpha: 2)))
        {
            var random = new Random(StableSeed.Of(kernel, region, layout, c.P.Beta));
            double[] x = TestData.Random(random, c.Shape.ElementCount);
            double[] dy = TestData.Random(random, c.Shape.ElementCount);
            for (long i = 0; i < x.Length; i++)
            {
                x[i] = random.NextDouble() < 0.03 ? special[random.Next(3)] : x[i];
                dy[i] = random.NextDouble() < 0.02 ? special[random.Next(3)] : dy[i];
            }

            string context = $"{kernel} {c.P.Name} beta={c.P.Beta} {c.Shape}";
            if (useDouble)
            {
                CompareWithReference<double>(kernel, c, x, dy, context, requireFinite: false);
            }
            else
            {
                CompareWithReference<float>(kernel, c, x, dy, context, requireFinite: false);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void A_NaN_reaches_exactly_the_windows_that_hold_it(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        // One NaN in some of the windows' vectors (or planes). Forward: y is NaN exactly where the window holds it.
        // Backward: dx_j is NaN exactly where s_j or one of the t_c it sums (c in the mirrored window) is, that is where
        // the NaN is within reach of the window followed by the mirrored window. Everything else stays finite.
        foreach (Case c in Cases(region, layout, beta: 0.75, k: 1, alpha: 0.5))
        {
            var random = new Random(StableSeed.Of(kernel, region, layout));
            double[] x = TestData.Random(random, c.Shape.ElementCount);
            double[] dy = TestData.Random(random, c.Shape.ElementCount);
            var nan = new bool[x.Length];
            for (long i = 0; i < x.Length; i++)
            {
                if (random.NextDouble() < 0.01)
                {
                    x[i] = double.NaN;
                    nan[i] = true;
                }
            }

            bool[] forward = c.Reach(nan, mirrored: false);
            bool[] backward = c.Reach(forward, mirrored: true);
            var options = new LrnOptions { Kernel = kernel };
            string context = $"{kernel} {c.P.Name} {c.Shape}";
            if (useDouble)
            {
                AssertNaNExactlyAt<double>(c, x, dy, forward, backward, options, context);
            }
            else
            {
                AssertNaNExactlyAt<float>(c, x, dy, forward, backward, options, context);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void K_zero_gives_NaN_exactly_where_the_window_is_all_zero(LrnKernelKind kernel, LrnRegion region, LrnLayout layout, bool useDouble)
    {
        // s = 0 + a * 0 = 0 and y = 0 * 0^-beta = 0 * inf = NaN, in every framework; documented in docs/guarantees.md.
        // Backward, the NaN spreads as any NaN in s does. Where a window holds a nonzero value s > 0 and all is finite.
        foreach (Case c in Cases(region, layout, beta: 0.75, k: 0, alpha: 1))
        {
            var random = new Random(StableSeed.Of(kernel, region, layout, 1));
            double[] x = TestData.Random(random, c.Shape.ElementCount);
            double[] dy = TestData.Random(random, c.Shape.ElementCount);
            var nonzero = new bool[x.Length];
            for (long i = 0; i < x.Length; i++)
            {
                // Long runs of zeros: whole windows of them, and windows with a single nonzero value at an edge.
                x[i] = random.NextDouble() < 0.85 ? 0 : x[i] == 0 ? 1 : x[i];
                nonzero[i] = x[i] != 0;
            }

            bool[] reached = c.Reach(nonzero, mirrored: false);
            bool[] forward = Array.ConvertAll(reached, r => !r);
            bool[] backward = c.Reach(forward, mirrored: true);
            Assert.Contains(true, forward);
            Assert.Contains(false, backward);
            var options = new LrnOptions { Kernel = kernel };
            string context = $"{kernel} {c.P.Name} k=0 {c.Shape}";
            if (useDouble)
            {
                AssertNaNExactlyAt<double>(c, x, dy, forward, backward, options, context);
            }
            else
            {
                AssertNaNExactlyAt<float>(c, x, dy, forward, backward, options, context);
            }
        }
    }

    /// <summary>One region's parameters on one shape, with the window's term count and an independent view of its reach.</summary>
    private sealed record Case(LrnShape Shape, LrnParameters P, int Terms, WithinOracle? Within)
    {
        /// <summary>
        /// For each element, whether its window (or, mirrored, the window of the backward's sum) holds a marked element.
        /// Across channels: channels [c-lo, c+hi], mirrored [c-hi, c+lo]; within channel: the centred box of n positions.
        /// </summary>
        public bool[] Reach(bool[] marked, bool mirrored)
        {
            var reached = new bool[marked.Length];
            int channels = Shape.Channels;
            long positions = Shape.SpatialSize;
            int[] dims = WithinOracle.SpatialDims(Shape);
            for (int b = 0; b < Shape.Batch; b++)
            {
                for (int c = 0; c < channels; c++)
                {
                    for (long q = 0; q < positions; q++)
                    {
                        reached[ConventionCase.Index(Shape, b, c, q)] = Within is null
                            ? AnyAcross(marked, b, c, q, mirrored ? P.Hi : P.Lo, mirrored ? P.Lo : P.Hi)
                            : AnyWithin(marked, b, c, q, dims);
                    }
                }
            }

            return reached;
        }

        public double[] GradientScale(double[] x, double[] dy) =>
            Within is null ? TestData.GradientScale(x, dy, Shape, P) : Within.GradientScale(x, dy, Shape);

        private bool AnyAcross(bool[] marked, int b, int c, long q, int before, int after)
        {
            for (int j = Math.Max(0, c - before); j <= Math.Min(Shape.Channels - 1, c + after); j++)
            {
                if (marked[ConventionCase.Index(Shape, b, j, q)])
                {
                    return true;
                }
            }

            return false;
        }

        private bool AnyWithin(bool[] marked, int b, int c, long p, int[] dims)
        {
            int half = (P.Size - 1) / 2;
            for (long q = 0; q < Shape.SpatialSize; q++)
            {
                long pRest = p;
                long qRest = q;
                bool inside = true;
                for (int axis = dims.Length - 1; axis >= 0; axis--)
                {
                    inside &= Math.Abs((pRest % dims[axis]) - (qRest % dims[axis])) <= half;
                    pRest /= dims[axis];
                    qRest /= dims[axis];
                }

                if (inside && marked[ConventionCase.Index(Shape, b, c, q)])
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Parameter sets with the given beta, k and alpha: an even and a wide window across channels, two frameworks within.</summary>
    private static IEnumerable<Case> Cases(LrnRegion region, LrnLayout layout, double beta, double k, double alpha)
    {
        if (region == LrnRegion.AcrossChannels)
        {
            LrnShape shape = TestData.Shape(layout, AcrossDims);
            LrnParameters even = LrnParameters.PyTorch(4, alpha, beta, k);
            LrnParameters wide = LrnParameters.Canonical(3, 5, alpha / 9, k, beta);
            yield return new Case(shape, even, even.WindowLength, null);
            yield return new Case(shape, wide, wide.WindowLength, null);
        }
        else
        {
            LrnShape shape = TestData.Shape(layout, WithinDims);
            foreach (WithinOracle oracle in new WithinOracle[] { new("cudnn", 3, alpha, beta, k), new("onednn", 5, alpha, beta, k) })
            {
                yield return new Case(shape, oracle.Create(), WithinOracle.MaxTerms(shape, oracle.Size), oracle);
            }
        }
    }

    /// <summary>The spatial index of flat element i.</summary>
    private static long Position(LrnShape shape, long i) =>
        shape.Layout == LrnLayout.ChannelsFirst ? i % shape.SpatialSize : i / shape.Channels % shape.SpatialSize;

    /// <summary>
    /// Forward, backward and backward with y against the reference: the same non-finite class (NaN, +inf, -inf) at every
    /// element, finite values within the tolerance (ulps forward, relative to the two terms' magnitude backward).
    /// </summary>
    private static void CompareWithReference<T>(LrnKernelKind kernel, Case c, double[] x64, double[] dy64, string context, bool requireFinite)
        where T : unmanaged
    {
        LrnShape shape = c.Shape;
        var options = new LrnOptions { Kernel = kernel };
        T[] x = TestData.As<T>(x64);
        T[] dy = TestData.As<T>(dy64);
        var expectedY = new T[x.Length];
        var actualY = new T[x.Length];
        SpanCalls.Forward<T>(x, expectedY, shape, c.P, Reference);
        SpanCalls.Forward<T>(x, actualY, shape, c.P, options);
        long ulps = typeof(T) == typeof(float)
            ? Tolerance.Float32ForwardUlpsFor(c.Within is null ? kernel : LrnKernelKind.Scalar, c.Terms, c.P.Beta)
            : Tolerance.Float64ForwardUlps(c.Terms, c.P.Beta);
        TestData.AssertUlps(expectedY, actualY, ulps, shape, "forward " + context);
        if (requireFinite)
        {
            double[] y = TestData.ToDouble(actualY);
            Assert.True(Array.TrueForAll(y, double.IsFinite), $"forward {context}: a non-finite output from finite input");
        }

        // The scale is computed from the values the kernels saw (x and dy rounded to T).
        double[] scale = c.GradientScale(TestData.ToDouble(x), TestData.ToDouble(dy));
        double tolerance = c.Within is null ? Tolerance.GradientRelativeFor<T>(kernel, c.Terms, c.P.Beta) : Tolerance.GradientRelative<T>(c.Terms);

        // Below the smallest float32 denormal, rounding to float32 is an absolute error: allow half of it.
        double floor = typeof(T) == typeof(float) ? float.Epsilon / 2.0 : 0;
        foreach (bool withY in new[] { false, true })
        {
            var expectedDx = new T[x.Length];
            var actualDx = new T[x.Length];
            if (withY)
            {
                SpanCalls.Backward<T>(x, expectedY, dy, expectedDx, shape, c.P, Reference);
                SpanCalls.Backward<T>(x, expectedY, dy, actualDx, shape, c.P, options);
            }
            else
            {
                SpanCalls.Backward<T>(x, dy, expectedDx, shape, c.P, Reference);
                SpanCalls.Backward<T>(x, dy, actualDx, shape, c.P, options);
            }

            AssertGradient(TestData.ToDouble(expectedDx), TestData.ToDouble(actualDx), scale, tolerance, floor, shape, $"backward (y given: {withY}) {context}", requireFinite);
        }
    }

    private static void AssertGradient(double[] expected, double[] actual, double[] scale, double tolerance, double floor, LrnShape shape, string context, bool requireFinite)
    {
        int failures = 0;
        string first = string.Empty;
        for (int i = 0; i < expected.Length; i++)
        {
            bool sameClass = double.IsNaN(expected[i]) ? double.IsNaN(actual[i])
                : double.IsFinite(expected[i]) ? double.IsFinite(actual[i]) : expected[i] == actual[i];
            bool close = !double.IsFinite(expected[i]) || !double.IsFinite(scale[i]) || Math.Abs(expected[i] - actual[i]) <= (tolerance * scale[i]) + floor;
            bool finiteOk = !requireFinite || double.IsFinite(actual[i]);
            if (!(sameClass && close && finiteOk) && failures++ == 0)
            {
                first = string.Create(CultureInfo.InvariantCulture, $" first at {TestData.Coordinates(shape, i)}: expected {expected[i]:R}, got {actual[i]:R}, allowed {(tolerance * scale[i]) + floor:G3}");
            }
        }

        Assert.True(failures == 0, $"{context}: {failures} of {expected.Length} elements differ from the reference on {shape};{first}");
    }

    /// <summary>
    /// With k = 1 and tiny inputs s is 1 to within far less than an ulp, so y must be x: bit for bit where the kernel
    /// computes in float64, and nonzero with x's sign where it computes in float32 (its s^-beta is an estimate refined
    /// to a few ulps). A kernel that flushed denormals to zero would give 0.
    /// </summary>
    private static void AssertIdentityWhereSIsOne<T>(LrnKernelKind kernel, Case c, double[] x64)
        where T : unmanaged
    {
        if (c.P.K != 1)
        {
            return;
        }

        T[] x = TestData.As<T>(x64);
        var y = new T[x.Length];
        SpanCalls.Forward<T>(x, y, c.Shape, c.P, new LrnOptions { Kernel = kernel });
        bool float32Arithmetic = typeof(T) == typeof(float) && c.Within is null
            && Tolerance.Float32ForwardUlpsFor(kernel, c.Terms, c.P.Beta) != Tolerance.Float32ForwardUlps;
        if (!float32Arithmetic)
        {
            SpanCalls.AssertSameBits<T>(x, y, c.Shape, $"{kernel} {c.P.Name}: y = x * 1^-beta for denormal x");
            return;
        }

        double[] xd = TestData.ToDouble(x);
        double[] yd = TestData.ToDouble(y);
        for (int i = 0; i < xd.Length; i++)
        {
            Assert.True(Math.Sign(xd[i]) == Math.Sign(yd[i]), $"{kernel} {c.P.Name}: x = {xd[i]:R} gave y = {yd[i]:R} at {TestData.Coordinates(c.Shape, i)}");
        }
    }

    private static void AssertNaNExactlyAt<T>(Case c, double[] x64, double[] dy64, bool[] forward, bool[] backward, LrnOptions options, string context)
        where T : unmanaged
    {
        T[] x = TestData.As<T>(x64);
        T[] dy = TestData.As<T>(dy64);
        var y = new T[x.Length];
        var dx = new T[x.Length];
        var dxGivenY = new T[x.Length];
        SpanCalls.Forward<T>(x, y, c.Shape, c.P, options);
        SpanCalls.Backward<T>(x, dy, dx, c.Shape, c.P, options);
        SpanCalls.Backward<T>(x, y, dy, dxGivenY, c.Shape, c.P, options);
        AssertNaNPattern(TestData.ToDouble(y), forward, c.Shape, "forward " + context);
        AssertNaNPattern(TestData.ToDouble(dx), backward, c.Shape, "backward " + context);
        AssertNaNPattern(TestData.ToDouble(dxGivenY), backward, c.Shape, "backward with y " + context);
    }

    private static void AssertNaNPattern(double[] values, bool[] expectedNaN, LrnShape shape, string context)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (expectedNaN[i] ? !double.IsNaN(values[i]) : !double.IsFinite(values[i]))
            {
                Assert.Fail($"{context}: at {TestData.Coordinates(shape, i)} expected {(expectedNaN[i] ? "NaN" : "a finite value")}, got {values[i]}");
            }
        }
    }
}
