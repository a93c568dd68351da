using Lrn.Cli.Figures;
using SkiaSharp;

namespace Lrn.Experiment;

/// <summary>
/// accuracy.png: test accuracy per epoch, one line per variant (mean over seeds) with the range over seeds as bars;
/// epoch-time.png: seconds per training epoch per variant, the range over epochs and seeds as bars.
/// </summary>
internal static class Plots
{
    private const int Width = 900, Height = 540;
    private static readonly SKRect Plot = new(90, 60, 700, 470);

    private static readonly SKColor[] Colors =
    [
        new(0x55, 0x55, 0x55),   // none
        new(0xD6, 0x27, 0x28),   // lrn
        new(0x1F, 0x77, 0xB4),   // torch-lrn
        new(0x2C, 0xA0, 0x2C),   // batchnorm
    ];

    public static void Accuracy(string path, IReadOnlyList<EpochResult> results, ExperimentOptions o)
    {
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("Test accuracy per epoch (mean over seeds, bars: min..max)", Width / 2f, 32, 18, SKTextAlign.Center, bold: true);
        int epochs = o.Epochs;
        double lowest = results.Min(r => r.TestAccuracy), highest = results.Max(r => r.TestAccuracy);
        double pad = Math.Max(0.002, (highest - lowest) * 0.08);
        double y0 = Math.Max(0, lowest - pad), y1 = Math.Min(1, highest + pad);
        float X(double epoch) => Plot.Left + (float)((epoch - 0.5) / epochs * Plot.Width);
        float Y(double accuracy) => Plot.Bottom - (float)((accuracy - y0) / (y1 - y0) * Plot.Height);
        Axes(canvas, "epoch", "test accuracy, %");
        for (int e = 1; e <= epochs; e++)
        {
            canvas.Text(e.ToString(System.Globalization.CultureInfo.InvariantCulture), X(e), Plot.Bottom + 20, 13, SKTextAlign.Center);
        }

        for (int i = 0; i <= 5; i++)
        {
            double v = y0 + ((y1 - y0) * i / 5);
            canvas.Line(Plot.Left, Y(v), Plot.Right, Y(v), FigureCanvas.Grid);
            canvas.Text(FigureCanvas.Number(Math.Round(100 * v, 2)), Plot.Left - 8, Y(v) + 4, 13, SKTextAlign.Right);
        }

        canvas.Line(X(o.DecayEpoch - 0.5), Plot.Top, X(o.DecayEpoch - 0.5), Plot.Bottom, FigureCanvas.Muted, 1, dashed: true);
        canvas.Text("lr / 10", X(o.DecayEpoch - 0.5) + 4, Plot.Top + 14, 12, color: FigureCanvas.Muted);
        int slot = 0;
        foreach (var group in results.GroupBy(r => r.Variant))
        {
            SKColor color = Colors[(int)group.Key % Colors.Length];
            float offset = (slot - 1.5f) * 3;   // side by side, so equal bars stay visible
            var points = new List<SKPoint>();
            for (int e = 1; e <= epochs; e++)
            {
                double[] a = [.. group.Where(r => r.Epoch == e).Select(r => r.TestAccuracy)];
                if (a.Length == 0)
                {
                    continue;
                }

                points.Add(new SKPoint(X(e) + offset, Y(a.Average())));
                canvas.Line(X(e) + offset, Y(a.Min()), X(e) + offset, Y(a.Max()), color, 2);
                canvas.Circle(X(e) + offset, Y(a.Average()), 3.5f, color);
            }

            canvas.Polyline(points, color, 2, Plot);
            Legend(canvas, slot, Variants.Describe(group.Key), color);
            slot++;
        }

        File.WriteAllBytes(path, canvas.EncodePng());
    }

    public static void EpochTime(string path, IReadOnlyList<EpochResult> results)
    {
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("Seconds per training epoch (bars: min..max over epochs and seeds)", Width / 2f, 32, 18, SKTextAlign.Center, bold: true);
        var groups = results.GroupBy(r => r.Variant).ToList();
        double top = results.Max(r => r.Seconds) * 1.1;
        float Y(double s) => Plot.Bottom - (float)(s / top * Plot.Height);
        Axes(canvas, "", "seconds per epoch");
        for (int i = 0; i <= 5; i++)
        {
            double v = top * i / 5;
            canvas.Line(Plot.Left, Y(v), Plot.Right, Y(v), FigureCanvas.Grid);
            canvas.Text(FigureCanvas.Number(Math.Round(v, 1)), Plot.Left - 8, Y(v) + 4, 13, SKTextAlign.Right);
        }

        float slotWidth = Plot.Width / Math.Max(1, groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            SKColor color = Colors[(int)groups[i].Key % Colors.Length];
            double[] s = [.. groups[i].Select(r => r.Seconds)];
            float left = Plot.Left + (i * slotWidth) + (slotWidth * 0.2f), right = Plot.Left + ((i + 1) * slotWidth) - (slotWidth * 0.2f);
            canvas.FillRect(new SKRect(left, Y(s.Average()), right, Plot.Bottom), color);
            float middle = (left + right) / 2;
            canvas.Line(middle, Y(s.Min()), middle, Y(s.Max()), FigureCanvas.Ink, 2);
            canvas.Text(FigureCanvas.Number(Math.Round(s.Average(), 1)) + " s", middle, Y(s.Average()) - 8, 13, SKTextAlign.Center, halo: true);
            canvas.Text(Variants.Describe(groups[i].Key), middle, Plot.Bottom + 20, 13, SKTextAlign.Center);
        }

        File.WriteAllBytes(path, canvas.EncodePng());
    }

    private static void Axes(FigureCanvas canvas, string xLabel, string yLabel)
    {
        canvas.StrokeRect(Plot, FigureCanvas.Ink);
        if (xLabel.Length > 0)
        {
            canvas.Text(xLabel, Plot.MidX, Plot.Bottom + 44, 14, SKTextAlign.Center);
        }

        canvas.VerticalText(yLabel, 30, Plot.MidY, 14);
    }

    private static void Legend(FigureCanvas canvas, int slot, string label, SKColor color)
    {
        float y = Plot.Top + 10 + (slot * 24);
        canvas.Line(Plot.Right + 16, y, Plot.Right + 40, y, color, 3);
        canvas.Text(label, Plot.Right + 46, y + 5, 13);
    }
}
