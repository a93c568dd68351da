using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>
/// A sequential colour scale: value 0..1 to a colour, interpolated in RGB between a few anchors chosen to run dark to
/// light with steadily rising lightness, so the order reads in grey print too.
/// </summary>
internal sealed class ColorMap(params (double At, SKColor Color)[] anchors)
{
    /// <summary>Activations: near black, through purple and orange, to pale yellow.</summary>
    public static ColorMap Activation { get; } = new(
        (0.00, new SKColor(14, 8, 38)),
        (0.30, new SKColor(110, 30, 112)),
        (0.62, new SKColor(222, 84, 52)),
        (0.85, new SKColor(250, 168, 60)),
        (1.00, new SKColor(252, 246, 178)));

    /// <summary>Ratios: deep blue (strong suppression) to near white (none).</summary>
    public static ColorMap Ratio { get; } = new(
        (0.00, new SKColor(10, 28, 90)),
        (0.35, new SKColor(34, 94, 168)),
        (0.70, new SKColor(100, 180, 200)),
        (1.00, new SKColor(240, 250, 235)));

    /// <summary>Where a value has no colour (NaN): a neutral grey.</summary>
    public static SKColor Missing { get; } = new(190, 190, 190);

    /// <summary>The colour of t, clamped to 0..1; NaN gives <see cref="Missing"/>.</summary>
    public SKColor At(double t)
    {
        if (double.IsNaN(t))
        {
            return Missing;
        }

        t = Math.Clamp(t, 0, 1);
        for (int i = 1; i < anchors.Length; i++)
        {
            if (t <= anchors[i].At)
            {
                (double t0, SKColor c0) = anchors[i - 1];
                (double t1, SKColor c1) = anchors[i];
                double f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
                return new SKColor(Mix(c0.Red, c1.Red, f), Mix(c0.Green, c1.Green, f), Mix(c0.Blue, c1.Blue, f));
            }
        }

        return anchors[^1].Color;
    }

    /// <summary>Pixels for a plane of values mapped linearly from [min, max].</summary>
    public SKColor[] Render(ReadOnlySpan<double> values, double min, double max)
    {
        var pixels = new SKColor[values.Length];
        double span = max > min ? max - min : 1;
        for (int i = 0; i < values.Length; i++)
        {
            pixels[i] = At((values[i] - min) / span);
        }

        return pixels;
    }

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}
