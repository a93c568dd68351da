using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>A linear x-y plot area: maps data to pixels and draws the frame, grid, ticks and axis labels.</summary>
internal sealed class Axes(SKRect area, double xMin, double xMax, double yMin, double yMax)
{
    public SKRect Area { get; } = area;

    public float PixelX(double x) => (float)(Area.Left + ((x - xMin) / (xMax - xMin) * Area.Width));

    public float PixelY(double y) => (float)(Area.Bottom - ((y - yMin) / (yMax - yMin) * Area.Height));

    public SKPoint Pixel(double x, double y) => new(PixelX(x), PixelY(y));

    /// <summary>Draws the grid, the frame, tick labels and the two axis labels.</summary>
    public void Draw(FigureCanvas canvas, string xLabel, string yLabel, float fontSize = 14)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        foreach (double t in Ticks(xMin, xMax))
        {
            float px = PixelX(t);
            canvas.Line(px, Area.Top, px, Area.Bottom, FigureCanvas.Grid);
            canvas.Line(px, Area.Bottom, px, Area.Bottom + 5, FigureCanvas.Ink);
            canvas.Text(FigureCanvas.Number(t), px, Area.Bottom + 8 + fontSize, fontSize - 1, SKTextAlign.Center, FigureCanvas.Muted);
        }

        float widest = 0;
        foreach (double t in Ticks(yMin, yMax))
        {
            float py = PixelY(t);
            string label = FigureCanvas.Number(t);
            widest = Math.Max(widest, FigureCanvas.MeasureText(label, fontSize - 1));
            canvas.Line(Area.Left, py, Area.Right, py, FigureCanvas.Grid);
            canvas.Line(Area.Left - 5, py, Area.Left, py, FigureCanvas.Ink);
            canvas.Text(label, Area.Left - 8, py + (fontSize * 0.35f), fontSize - 1, SKTextAlign.Right, FigureCanvas.Muted);
        }

        canvas.StrokeRect(Area, FigureCanvas.Ink, 1.2f);
        canvas.Text(xLabel, Area.MidX, Area.Bottom + 16 + (2 * fontSize), fontSize, SKTextAlign.Center);
        canvas.VerticalText(yLabel, Area.Left - widest - 14 - (fontSize * 0.6f), Area.MidY, fontSize);
    }

    /// <summary>Round tick values (1, 2 or 5 times a power of ten apart) covering [min, max], about five of them.</summary>
    public static List<double> Ticks(double min, double max)
    {
        var ticks = new List<double>();
        double span = max - min;
        if (!(span > 0) || !double.IsFinite(span))
        {
            return ticks;
        }

        double raw = span / 5;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double mantissa = raw / power;
        double step = mantissa switch
        {
            < 1.5 => power,
            < 3.5 => 2 * power,
            < 7.5 => 5 * power,
            _ => 10 * power,
        };
        for (double t = Math.Ceiling(min / step) * step; t <= max + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }

        return ticks;
    }
}
