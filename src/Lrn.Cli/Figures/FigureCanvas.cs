using System.Globalization;
using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>
/// A white raster canvas with the few drawing calls the figures need, text set in the embedded DejaVu Sans (so no
/// system font or fontconfig is needed), and PNG output. Coordinates are pixels from the top left.
/// </summary>
internal sealed class FigureCanvas : IDisposable
{
    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);

    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;

    public FigureCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
        _canvas.Clear(SKColors.White);
    }

    public int Width { get; }

    public int Height { get; }

    public static readonly SKColor Ink = new(0x20, 0x20, 0x20);
    public static readonly SKColor Muted = new(0x60, 0x60, 0x60);
    public static readonly SKColor Grid = new(0xE4, 0xE4, 0xE4);

    /// <summary>Draws text with its baseline at y. Bold is synthesized from the one embedded face.</summary>
    /// <param name="halo">Outline the glyphs in white first, so the text stays readable over lines it crosses.</param>
    public void Text(string text, float x, float y, float size, SKTextAlign align = SKTextAlign.Left, SKColor? color = null, bool bold = false, bool halo = false)
    {
        using SKFont font = Font(size, bold);
        if (halo)
        {
            using var outline = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 4, StrokeJoin = SKStrokeJoin.Round };
            _canvas.DrawText(text, x, y, align, font, outline);
        }

        using var paint = new SKPaint { Color = color ?? Ink, IsAntialias = true };
        _canvas.DrawText(text, x, y, align, font, paint);
    }

    /// <summary>Draws text turned 90 degrees anticlockwise, centred on (x, y): a y-axis label.</summary>
    public void VerticalText(string text, float x, float y, float size, SKColor? color = null)
    {
        _canvas.Save();
        _canvas.RotateDegrees(-90, x, y);
        Text(text, x, y + (size * 0.35f), size, SKTextAlign.Center, color);
        _canvas.Restore();
    }

    public static float MeasureText(string text, float size, bool bold = false)
    {
        using SKFont font = Font(size, bold);
        return font.MeasureText(text);
    }

    public void FillRect(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = false };
        _canvas.DrawRect(rect, paint);
    }

    public void StrokeRect(SKRect rect, SKColor color, float width = 1, bool dashed = false)
    {
        using SKPathEffect? dash = dashed ? SKPathEffect.CreateDash([5, 4], 0) : null;
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true, PathEffect = dash };
        _canvas.DrawRect(rect, paint);
    }

    public void Line(float x0, float y0, float x1, float y1, SKColor color, float width = 1, bool dashed = false)
    {
        using SKPathEffect? dash = dashed ? SKPathEffect.CreateDash([8, 5], 0) : null;
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true, PathEffect = dash };
        _canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>Draws connected segments, breaking the line at non-finite points, clipped to <paramref name="clip"/>.</summary>
    public void Polyline(IReadOnlyList<SKPoint> points, SKColor color, float width, SKRect clip, bool dashed = false)
    {
        using var builder = new SKPathBuilder();
        bool open = false;
        foreach (SKPoint p in points)
        {
            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y))
            {
                open = false;
                continue;
            }

            if (open)
            {
                builder.LineTo(p);
            }
            else
            {
                builder.MoveTo(p);
                open = true;
            }
        }

        using SKPath path = builder.Detach();
        using SKPathEffect? dash = dashed ? SKPathEffect.CreateDash([10, 6], 0) : null;
        using var paint = new SKPaint
        {
            Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true, PathEffect = dash,
            StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round,
        };
        _canvas.Save();
        _canvas.ClipRect(clip);
        _canvas.DrawPath(path, paint);
        _canvas.Restore();
    }

    public void Circle(float x, float y, float radius, SKColor fill)
    {
        using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill, IsAntialias = true };
        _canvas.DrawCircle(x, y, radius, paint);
    }

    /// <summary>Draws an image of width x height RGBA pixels (row-major) scaled into <paramref name="dest"/> without smoothing.</summary>
    public void Pixels(SKColor[] pixels, int width, int height, SKRect dest)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Pixels = pixels;
        using SKImage image = SKImage.FromBitmap(bitmap);
        _canvas.DrawImage(image, dest, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
    }

    /// <summary>Encodes the canvas as PNG.</summary>
    public byte[] EncodePng()
    {
        _canvas.Flush();
        using SKImage image = SKImage.FromBitmap(_bitmap);
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
    }

    /// <summary>A number for a tick or a legend: 4 significant digits, plain (1200, 0.75) or as 2e-05 style when very large or small.</summary>
    public static string Number(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }

        double rounded = double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(rounded);
        if (magnitude is >= 1e5 or < 1e-3)
        {
            int exponent = (int)Math.Floor(Math.Log10(magnitude));
            double mantissa = Math.Round(rounded / Math.Pow(10, exponent), 3);
            return mantissa.ToString("0.###", CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return rounded.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static SKFont Font(float size, bool bold) => new(Typeface.Value, size) { Embolden = bold, Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface LoadTypeface()
    {
        const string resource = "Lrn.Cli.Figures.DejaVuSans.ttf";
        using Stream stream = typeof(FigureCanvas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded font {resource} is missing from the build");
        return SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"the embedded font {resource} could not be read");
    }
}
