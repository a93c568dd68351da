using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>Draws <see cref="FeatureMaps"/>: the input image, the filters, and a grid of channels before, after and their ratio.</summary>
internal static class FeatureMapFigure
{
    public const int Width = 1620;
    public const int Height = 780;

    private const float Margin = 40;
    private const float Tile = 128;
    private const float Gap = 8;
    private const float GridLeft = 250;
    private const float GridTop = 210;
    private const float RowStep = Tile + 44;

    public static byte[] Render(FeatureMaps maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("LRN on real feature maps: oriented edge responses before and after", Margin, 46, 26, bold: true);
        (string own, string formula) = WindowFigure.SplitDescription(maps.Parameters.Describe());
        canvas.Text($"{own}: {formula}", Margin, 76, 14, color: FigureCanvas.Muted);
        LrnParameters p = maps.Parameters;
        double peakTerm = p.A * maps.Peak * maps.Peak;
        string peakScale = p.K > 0 ? $"a*x^2 = {FigureCanvas.Number(peakTerm / p.K)}k" : $"a*x^2 = {FigureCanvas.Number(peakTerm)}";
        canvas.Text($"x = edge strength |image * Gabor pair| at 8 angles, one channel each (neighbouring channels are neighbouring angles), "
            + $"scaled so the strongest is {FigureCanvas.Number(maps.Peak)} ({peakScale}, where LRN acts)", Margin, 98, 14, color: FigureCanvas.Muted);

        InputColumn(canvas, maps);
        Headers(canvas, maps);

        double xMax = 0;
        foreach (double v in maps.X)
        {
            xMax = Math.Max(xMax, v);
        }

        // With k > 0, y / x = s^-beta is at most k^-beta and the largest ratio tops the scale. With k = 0 it is
        // unbounded where the window is nearly empty, so the scale stops at the 98th percentile and clips above.
        double ratioMax = RatioScale(maps.Ratio, maps.Parameters.K > 0 ? 1.0 : 0.98);
        bool clipped = maps.Parameters.K <= 0;
        xMax = xMax > 0 ? xMax : 1;
        ratioMax = ratioMax > 0 ? ratioMax : 1;
        string[] titles =
        [
            "x: the edge responses, LRN's input",
            "y = LRN(x), on the same colour scale as x",
            "y / x: the factor LRN applied (darker = more suppressed)" + (Array.Exists(maps.Ratio, double.IsNaN) ? "; grey where x = 0, so y / x is 0/0" : ""),
        ];
        for (int row = 0; row < 3; row++)
        {
            float top = GridTop + (row * RowStep);
            canvas.Text(titles[row], GridLeft, top - 8, 16, bold: true);
            (double[] values, ColorMap map, double max) = row switch
            {
                0 => (maps.X, ColorMap.Activation, xMax),
                1 => (maps.Y, ColorMap.Activation, xMax),
                _ => (maps.Ratio, ColorMap.Ratio, ratioMax),
            };
            for (int c = 0; c < maps.Channels; c++)
            {
                var dest = SKRect.Create(GridLeft + (c * (Tile + Gap)), top, Tile, Tile);
                canvas.Pixels(map.Render(maps.Plane(values, c), 0, max), maps.Width, maps.Height, dest);
                canvas.StrokeRect(dest, FigureCanvas.Muted, 1);
            }
        }

        float barLeft = GridLeft + (maps.Channels * (Tile + Gap)) + 30;
        ColorBar(canvas, ColorMap.Activation, 0, xMax, new SKRect(barLeft, GridTop, barLeft + 22, GridTop + RowStep + Tile), "x and y");
        ColorBar(canvas, ColorMap.Ratio, 0, ratioMax, new SKRect(barLeft, GridTop + (2 * RowStep), barLeft + 22, GridTop + (2 * RowStep) + Tile), clipped ? "y / x (clipped)" : "y / x");

        canvas.Text("y / x = s_c^-beta depends only on the energy in c's window: it is dark wherever c or a channel within its window responds strongly "
            + "(the quadrants whose angle is near c's), and lightest where nothing nearby is active.", Margin, Height - 42, 14, color: FigureCanvas.Muted);
        canvas.Text("So a weak response beside a strong one is divided by the strong one's energy: that is the lateral inhibition LRN is named for.",
            Margin, Height - 22, 14, color: FigureCanvas.Muted);
        return canvas.EncodePng();
    }

    private static double RatioScale(double[] ratio, double quantile)
    {
        double[] finite = Array.FindAll(ratio, double.IsFinite);
        if (finite.Length == 0)
        {
            return 1;
        }

        Array.Sort(finite);
        return finite[(int)Math.Round(quantile * (finite.Length - 1))];
    }

    private static void InputColumn(FigureCanvas canvas, FeatureMaps maps)
    {
        var dest = SKRect.Create(Margin, GridTop, Tile + 40, Tile + 40);
        var grey = new SKColor[maps.Image.Length];
        for (int i = 0; i < grey.Length; i++)
        {
            byte v = (byte)Math.Clamp(Math.Round(maps.Image[i]), 0, 255);
            grey[i] = new SKColor(v, v, v);
        }

        canvas.Text("Input image", Margin, GridTop - 8, 16, bold: true);
        canvas.Pixels(grey, maps.Width, maps.Height, dest);
        canvas.StrokeRect(dest, FigureCanvas.Muted, 1);
        float y = dest.Bottom + 22;
        foreach (string line in (string[])[$"{maps.Width} x {maps.Height}, grey 0..255,", "generated in code: gratings", "at 0, 45, 90, 135 degrees", "and a bright disk"])
        {
            canvas.Text(line, Margin, y, 13, color: FigureCanvas.Muted);
            y += 18;
        }

        y += 14;
        canvas.Text("LRN acts at each pixel", Margin, y, 13, color: FigureCanvas.Muted);
        canvas.Text("across the 8 channels,", Margin, y + 18, 13, color: FigureCanvas.Muted);
        canvas.Text("not across pixels.", Margin, y + 36, 13, color: FigureCanvas.Muted);
    }

    // Above each column: the edge filter itself (grey: negative dark, positive light) and its angle.
    private static void Headers(FigureCanvas canvas, FeatureMaps maps)
    {
        const float icon = 52;
        canvas.Text("edge filter", GridLeft - 12, 150, 13, SKTextAlign.Right, FigureCanvas.Muted);
        canvas.Text("of channel c", GridLeft - 12, 166, 13, SKTextAlign.Right, FigureCanvas.Muted);
        for (int c = 0; c < maps.Channels; c++)
        {
            double[] kernel = FeatureMapData.GaborKernel(maps.AnglesDegrees[c], odd: true);
            int side = (int)Math.Round(Math.Sqrt(kernel.Length));
            double extent = 0;
            foreach (double k in kernel)
            {
                extent = Math.Max(extent, Math.Abs(k));
            }

            var pixels = new SKColor[kernel.Length];
            for (int i = 0; i < kernel.Length; i++)
            {
                byte v = (byte)Math.Round(127.5 + (127.5 * kernel[i] / extent));
                pixels[i] = new SKColor(v, v, v);
            }

            float columnLeft = GridLeft + (c * (Tile + Gap));
            var dest = SKRect.Create(columnLeft + 4, 124, icon, icon);
            canvas.Pixels(pixels, side, side, dest);
            canvas.StrokeRect(dest, FigureCanvas.Muted, 1);
            canvas.Text($"c = {c}", columnLeft + icon + 14, 144, 15, bold: true);
            canvas.Text($"{FigureCanvas.Number(maps.AnglesDegrees[c])}\u00b0", columnLeft + icon + 14, 166, 15);
        }
    }

    private static void ColorBar(FigureCanvas canvas, ColorMap map, double min, double max, SKRect rect, string label)
    {
        const int steps = 128;
        var pixels = new SKColor[steps];
        for (int i = 0; i < steps; i++)
        {
            pixels[i] = map.At(1 - (i / (double)(steps - 1)));
        }

        canvas.Pixels(pixels, 1, steps, rect);
        canvas.StrokeRect(rect, FigureCanvas.Muted, 1);
        canvas.Text(label, rect.Left, rect.Top - 8, 14, bold: true);
        foreach (double t in Axes.Ticks(min, max))
        {
            float y = rect.Bottom - (float)((t - min) / (max - min) * rect.Height);
            canvas.Line(rect.Right, y, rect.Right + 5, y, FigureCanvas.Ink);
            canvas.Text(FigureCanvas.Number(t), rect.Right + 8, y + 5, 13, color: FigureCanvas.Muted);
        }
    }
}
