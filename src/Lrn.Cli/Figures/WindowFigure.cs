using SkiaSharp;

namespace Lrn.Cli.Figures;

/// <summary>Draws <see cref="WindowFigureData"/>: each channel a square, the window of c highlighted.</summary>
internal static class WindowFigure
{
    public const int Width = 1400;
    public const int Height = 720;

    private const float Margin = 40;
    private const float LabelWidth = 190;
    private const float NoteWidth = 330;
    private const float RowHeight = 74;
    private const float MaxCell = 60;

    private static readonly SKColor Centre = new(190, 70, 20);
    private static readonly SKColor InWindow = new(250, 190, 130);
    private static readonly SKColor Outside = new(165, 165, 165);
    private static readonly SKColor Padding = new(245, 245, 245);

    public static byte[] Render(WindowFigureData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var canvas = new FigureCanvas(Width, Height);
        canvas.Text("Which channels feed s_c: the LRN window across channels", Margin, 46, 26, bold: true);
        (string own, string formula) = SplitDescription(data.Parameters.Describe());
        canvas.Text(own, Margin, 76, 16, color: FigureCanvas.Muted);
        canvas.Text(formula, Margin, 98, 15, color: FigureCanvas.Muted);

        int reach = 0;
        foreach (WindowRow row in data.Chosen.Rows.Concat(data.EvenSizes.Rows))
        {
            reach = Math.Max(reach, Math.Max(row.Lo, row.Hi));
        }

        float cell = Math.Min(MaxCell, (Width - (2 * Margin) - LabelWidth - NoteWidth) / (data.Channels + (2 * reach)));
        float axisLeft = Margin + LabelWidth + (reach * cell);

        float y = 146;
        y = Panel(canvas, data.Chosen, y, axisLeft, cell, data.Channels);
        y = Panel(canvas, data.EvenSizes, y + 18, axisLeft, cell, data.Channels);
        Legend(canvas, Height - 36);
        return canvas.EncodePng();
    }

    private static float Panel(FigureCanvas canvas, WindowPanel panel, float top, float axisLeft, float cell, int channels)
    {
        canvas.Text(panel.Title + $"   (C = {channels} channels, numbered 0..{channels - 1})", Margin, top, 18, bold: true);
        float y = top + 18;
        foreach (WindowRow row in panel.Rows)
        {
            Row(canvas, row, y, axisLeft, cell);
            y += RowHeight;
        }

        return y;
    }

    private static void Row(FigureCanvas canvas, WindowRow row, float top, float axisLeft, float cell)
    {
        float size = cell - 6;
        float squareTop = top + 10;
        canvas.Text(row.Label, Margin, squareTop + (size / 2) + 6, 16);

        // Window positions outside 0..C-1, drawn dashed: the sum treats them as zeros.
        for (int j = row.C - row.Lo; j <= row.C + row.Hi; j++)
        {
            if (j < 0 || j >= row.Channels)
            {
                var rect = SKRect.Create(axisLeft + (j * cell) + 3, squareTop, size, size);
                canvas.FillRect(rect, Padding);
                canvas.StrokeRect(rect, Outside, 1.5f, dashed: true);
                if (size >= 18)
                {
                    canvas.Text("0", rect.MidX, rect.MidY + 5, Math.Min(15, size * 0.4f), SKTextAlign.Center, Outside);
                }
            }
        }

        for (int j = 0; j < row.Channels; j++)
        {
            var rect = SKRect.Create(axisLeft + (j * cell) + 3, squareTop, size, size);
            bool centre = j == row.C;
            bool summed = row.Contains(j);
            canvas.FillRect(rect, centre ? Centre : summed ? InWindow : SKColors.White);
            canvas.StrokeRect(rect, summed ? Centre : Outside, summed ? 2 : 1.2f);
            if (size >= 14)
            {
                canvas.Text($"{j}", rect.MidX, rect.MidY + 5, Math.Min(16, size * 0.42f), SKTextAlign.Center, centre ? SKColors.White : FigureCanvas.Ink);
            }
        }

        // A bracket under the whole window, before clipping: [c-lo, c+hi].
        float left = axisLeft + ((row.C - row.Lo) * cell) + 3;
        float right = axisLeft + ((row.C + row.Hi + 1) * cell) - 3;
        float bracket = squareTop + size + 8;
        canvas.Line(left, bracket, right, bracket, Centre, 2);
        canvas.Line(left, bracket - 5, left, bracket, Centre, 2);
        canvas.Line(right, bracket - 5, right, bracket, Centre, 2);
        canvas.Text(WindowText(row), (left + right) / 2, bracket + 16, 13, SKTextAlign.Center, Centre);

        float noteX = Width - Margin - NoteWidth + 20;
        string sums = row.Terms == 1 ? $"sums channel {row.First} only" : $"sums channels {row.First}..{row.Last}";
        canvas.Text($"{sums} ({row.Terms} term{(row.Terms == 1 ? "" : "s")})", noteX, squareTop + (size / 2) + (row.Note is null ? 6 : -3), 15);
        if (row.Note is not null)
        {
            canvas.Text(row.Note, noteX, squareTop + (size / 2) + 16, 14, color: Centre);
        }
    }

    private static string WindowText(WindowRow row)
    {
        string lo = row.Lo == 0 ? "c" : $"c-{row.Lo}";
        string hi = row.Hi == 0 ? "c" : $"c+{row.Hi}";
        return $"window [{lo}, {hi}]";
    }

    private static void Legend(FigureCanvas canvas, float y)
    {
        float x = Margin;
        const float box = 20;
        (SKColor Fill, SKColor Stroke, bool Dashed, string Text)[] items =
        [
            (Centre, Centre, false, "channel c"),
            (InWindow, Centre, false, "summed into s_c"),
            (SKColors.White, Outside, false, "not summed"),
            (Padding, Outside, true, "outside 0..C-1: clipped (adds 0, no framework rescales)"),
        ];
        canvas.Text("Legend:", x, y + 15, 15, bold: true);
        x += 80;
        foreach ((SKColor fill, SKColor stroke, bool dashed, string text) in items)
        {
            var rect = SKRect.Create(x, y, box, box);
            canvas.FillRect(rect, fill);
            canvas.StrokeRect(rect, stroke, 1.5f, dashed);
            canvas.Text(text, x + box + 8, y + 15, 15);
            x += box + 8 + FigureCanvas.MeasureText(text, 15) + 34;
        }
    }

    /// <summary>Describe() is "convention parameters: formula (window)"; the figure puts the two halves on two lines.</summary>
    internal static (string Own, string Formula) SplitDescription(string description)
    {
        int colon = description.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? (description, "") : (description[..colon], description[(colon + 2)..]);
    }
}
