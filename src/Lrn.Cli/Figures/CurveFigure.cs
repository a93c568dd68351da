using System.Globalization;
using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>Draws <see cref="CurveFigureData"/>: two panels on the same axes, the chosen parameters and the AlexNet paper's.</summary>
internal static class CurveFigure
{
    public const int Width = 1400;
    public const int Height = 740;

    private const float Margin = 40;

    private static readonly SKColor[] CurveColors = [new(33, 102, 172), new(230, 120, 20), new(178, 24, 43)];

    public static byte[] Render(CurveFigureData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("Lateral inhibition: a channel's output falls as its neighbours' energy rises", Margin, 46, 26, bold: true);
        canvas.Text("y_c = x_c * (k + a * (x_c^2 + E))^-beta, where E = sum of x_j^2 over the other channels in c's window, held fixed along each curve",
            Margin, 76, 15, color: FigureCanvas.Muted);
        canvas.Text("Both panels use the same x range and the same energies E, so they compare directly; every y was computed by LocalResponseNorm.Forward.",
            Margin, 98, 15, color: FigureCanvas.Muted);

        double yMax = 0;
        foreach (CurvePanel panel in (CurvePanel[])[data.Chosen, data.Paper])
        {
            foreach (Curve curve in panel.Curves)
            {
                for (int i = 0; i < curve.X.Length; i++)
                {
                    // Skip the first few points: with k = 0 and E = 0, y = x^(1-2 beta) blows up at x = 0.
                    if (curve.X[i] >= data.XMax / 20 && double.IsFinite(curve.Y[i]))
                    {
                        yMax = Math.Max(yMax, Math.Abs(curve.Y[i]));
                    }
                }
            }
        }

        yMax = yMax > 0 ? yMax * 1.1 : 1;
        Legend(canvas, data, 136);
        float panelWidth = (Width - (2 * Margin) - 60) / 2;
        float left = Margin + 70;
        var chosenArea = new SKRect(left, 250, left + panelWidth - 70, Height - 80);
        var paperArea = new SKRect(chosenArea.Right + 140, 250, Width - Margin, Height - 80);
        Panel(canvas, data, data.Chosen, chosenArea, yMax, "Chosen: " + WindowData.Name(data.Chosen.Parameters));
        Panel(canvas, data, data.Paper, paperArea, yMax, "AlexNet paper (Krizhevsky et al. 2012): n=5");
        return canvas.EncodePng();
    }

    private static void Panel(FigureCanvas canvas, CurveFigureData data, CurvePanel panel, SKRect area, double yMax, string title)
    {
        LrnParameters p = panel.Parameters;
        canvas.Text(title, area.Left - 60, area.Top - 54, 18, bold: true);
        canvas.Text($"a = {FigureCanvas.Number(p.A)}{Divided(p)}, k = {FigureCanvas.Number(p.K)}, beta = {FigureCanvas.Number(p.Beta)}, window of {p.WindowLength} channel{(p.WindowLength == 1 ? "" : "s")}",
            area.Left - 60, area.Top - 32, 14, color: FigureCanvas.Muted);
        canvas.Text("here the three energies give " + string.Join(", ", Array.ConvertAll(data.Energies, e => Scale(e, p))),
            area.Left - 60, area.Top - 12, 14, color: FigureCanvas.Muted);

        var axes = new Axes(area, 0, data.XMax, 0, yMax);
        axes.Draw(canvas, "x_c, the channel's input (x >= 0, as after a ReLU; y is odd in x)", "y_c, the output");

        for (int i = 0; i < panel.Curves.Count; i++)
        {
            Curve curve = panel.Curves[i];
            var points = new SKPoint[curve.X.Length];
            int peak = 0;
            for (int j = 0; j < points.Length; j++)
            {
                points[j] = double.IsFinite(curve.Y[j]) ? axes.Pixel(curve.X[j], curve.Y[j]) : new SKPoint(float.NaN, float.NaN);
                if (double.IsFinite(curve.Y[j]) && curve.Y[j] > curve.Y[peak])
                {
                    peak = j;
                }
            }

            SKColor color = CurveColors[i % CurveColors.Length];
            canvas.Polyline(points, color, 3, area);

            // Mark a peak that lies inside the range: past it, a larger input gives a smaller output.
            if (peak > 0 && peak < points.Length - 1 && area.Contains(points[peak]))
            {
                canvas.Circle(points[peak].X, points[peak].Y, 5, color);
                canvas.Text($"peak at x = {FigureCanvas.Number(curve.X[peak])}", points[peak].X, points[peak].Y - 12, 13, SKTextAlign.Center, color, halo: true);
            }
        }

        if (p.WindowLength == 1)
        {
            canvas.Text("n = 1: the window holds c alone, so neighbours cannot change y", area.Left + 12, area.Bottom - 12, 14, color: CurveColors[2]);
        }
    }

    private static string Divided(LrnParameters p) => p.Convention switch
    {
        LrnConvention.TensorFlow or LrnConvention.Paper or LrnConvention.Canonical => " (alpha, not divided)",
        _ => string.Create(CultureInfo.InvariantCulture, $" (alpha {FigureCanvas.Number(p.Alpha)} / {p.Size})"),
    };

    private static void Legend(FigureCanvas canvas, CurveFigureData data, float y)
    {
        float x = Margin;
        canvas.Text("Neighbours' energy E:", x, y, 16, bold: true);
        x += FigureCanvas.MeasureText("Neighbours' energy E:", 16, bold: true) + 24;
        for (int i = 0; i < data.Energies.Length; i++)
        {
            string label = i switch
            {
                0 => "E = 0 (no neighbour active)",
                1 => $"E = {FigureCanvas.Number(data.Energies[i])} (small)",
                _ => $"E = {FigureCanvas.Number(data.Energies[i])} (large)",
            };
            canvas.Line(x, y - 5, x + 34, y - 5, CurveColors[i % CurveColors.Length], 4);
            canvas.Text(label, x + 42, y, 15);
            x += 42 + FigureCanvas.MeasureText(label, 15) + 36;
        }
    }

    // "a*E = 10*k": how an energy compares with this panel's k, through this panel's own a.
    private static string Scale(double energy, LrnParameters p)
    {
        double term = p.A * energy;
        if (p.K <= 0)
        {
            return "a*E = " + FigureCanvas.Number(term);
        }

        double ratio = term / p.K;
        return "a*E = " + (ratio == 0 ? "0" : Math.Abs(ratio - 1) < 1e-9 ? "k" : $"{FigureCanvas.Number(ratio)}*k");
    }
}
