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

    public static void Accuracy(string path, IReadOnlyList<EpochResult> results, int epochs, int decayEpoch)
    {
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("Test accuracy per epoch (mean over seeds, bars: min..max)", Width / 2f, 32, 18, SKTextAlign.Center, bold: true);
        double lowest = results.Min(r => r.TestAccuracy), highest = results.Max(r => r.TestAccuracy);
        double step = NiceStep((highest - lowest) / 5);
        double y0 = Math.Max(0, Math.Floor(lowest / step) * step), y1 = Math.Min(1, Math.Ceiling(highest / step) * step);
        if (y1 <= y0)
        {
            (y0, y1) = (Math.Max(0, y0 - step), Math.Min(1, y1 + step));
        }

        float X(double epoch) => Plot.Left + (float)((epoch - 0.5) / epochs * Plot.Width);
        float Y(double accuracy) => Plot.Bottom - (float)((accuracy - y0) / (y1 - y0) * Plot.Height);
        Axes(canvas, "epoch", "test accuracy, %");
        for (int e = 1; e <= epochs; e++)
        {
            canvas.Text(e.ToString(System.Globalization.CultureInfo.InvariantCulture), X(e), Plot.Bottom + 20, 13, SKTextAlign.Center);
        }

        for (double v = y0; v <= y1 + (step / 2); v += step)
        {
            canvas.Line(Plot.Left, Y(v), Plot.Right, Y(v), FigureCanvas.Grid);
            canvas.Text(FigureCanvas.Number(Math.Round(100 * v, 2)), Plot.Left - 8, Y(v) + 4, 13, SKTextAlign.Right);
        }

        canvas.Line(X(decayEpoch - 0.5), Plot.Top, X(decayEpoch - 0.5), Plot.Bottom, FigureCanvas.Muted, 1, dashed: true);
        canvas.Text("lr / 10", X(decayEpoch - 0.5) + 4, Plot.Top + 14, 12, color: FigureCanvas.Muted);
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
        canvas.Text("Seconds per training epoch (median; lines: min..max over epochs and seeds)", Width / 2f, 32, 18, SKTextAlign.Center, bold: true);
        var groups = results.GroupBy(r => r.Variant).ToList();
        double step = NiceStep(results.Max(r => r.Seconds) / 5);
        double top = Math.Ceiling(results.Max(r => r.Seconds) * 1.08 / step) * step;
        float Y(double s) => Plot.Bottom - (float)(s / top * Plot.Height);
        Axes(canvas, "", "seconds per epoch");
        for (double v = 0; v <= top + (step / 2); v += step)
        {
            canvas.Line(Plot.Left, Y(v), Plot.Right, Y(v), FigureCanvas.Grid);
            canvas.Text(FigureCanvas.Number(Math.Round(v, 1)), Plot.Left - 8, Y(v) + 4, 13, SKTextAlign.Right);
        }

        float slotWidth = Plot.Width / Math.Max(1, groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            SKColor color = Colors[(int)groups[i].Key % Colors.Length];
            double[] s = [.. groups[i].Select(r => r.Seconds).Order()];
            double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
            float left = Plot.Left + (i * slotWidth) + (slotWidth * 0.2f), right = Plot.Left + ((i + 1) * slotWidth) - (slotWidth * 0.2f);
            canvas.FillRect(new SKRect(left, Y(median), right, Plot.Bottom), color);
            float middle = (left + right) / 2;
            canvas.Line(middle, Y(s.Min()), middle, Y(s.Max()), FigureCanvas.Ink, 2);
            canvas.Text(FigureCanvas.Number(Math.Round(median, 1)) + " s", middle, Y(s[^1]) - 8, 13, SKTextAlign.Center, halo: true);
            canvas.Text(Variants.Describe(groups[i].Key), middle, Plot.Bottom + 20, 13, SKTextAlign.Center);
        }

        File.WriteAllBytes(path, canvas.EncodePng());
    }

    /// <summary>
    /// <c>lrn-experiment plot DIR</c>: redraws DIR/accuracy.png and DIR/epoch-time.png from DIR/results.csv (the epochs
    /// from the file, the decay epoch as the first at a lower learning rate), and writes the results table to
    /// DIR/table.md and the output, over whatever seeds the file holds.
    /// </summary>
    public static int Redraw(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count != 1)
        {
            throw new ArgumentException("plot takes one argument: the folder of a run's results.csv");
        }

        List<EpochResult> results = Results.ReadCsv(Path.Combine(args[0], "results.csv"));
        int epochs = results.Max(r => r.Epoch);
        double first = results.Where(r => r.Epoch == 1).Max(r => r.LearningRate);
        int decayEpoch = results.Where(r => r.LearningRate < first).Select(r => r.Epoch).DefaultIfEmpty(epochs + 1).Min();
        Accuracy(Path.Combine(args[0], "accuracy.png"), results, epochs, decayEpoch);
        EpochTime(Path.Combine(args[0], "epoch-time.png"), results);
        output.WriteLine($"redrew accuracy.png and epoch-time.png in {Path.GetFullPath(args[0])} from {results.Count} epochs");

        // The table too, so that a run stopped before its end (results.csv is rewritten after every variant and seed)
        // still gives one: over the seeds that results.csv holds.
        var options = new ExperimentOptions { Epochs = epochs };
        string table = Results.Table(VariantSummary.Of(results, options), options);
        File.WriteAllText(Path.Combine(args[0], "table.md"), table);
        output.Write(table);
        return 0;
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        if (!(rough > 0))
        {
            return 0.01;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return rough <= power ? power : rough <= 2 * power ? 2 * power : rough <= 5 * power ? 5 * power : 10 * power;
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
