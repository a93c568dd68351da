namespace Lrn.Cli.Figures;

/// <summary>One channel c and the channels that feed its sum s_c, for one parameter set.</summary>
/// <param name="Label">What the row shows, for the figure ("c = 0 (start)", "pytorch").</param>
/// <param name="C">The channel whose sum this is.</param>
/// <param name="Channels">The number of channels C drawn.</param>
/// <param name="Lo">Channels before c in the window (<see cref="LrnParameters.Lo"/>).</param>
/// <param name="Hi">Channels after c in the window (<see cref="LrnParameters.Hi"/>).</param>
/// <param name="Note">A remark drawn after the row, or null.</param>
internal sealed record WindowRow(string Label, int C, int Channels, int Lo, int Hi, string? Note = null)
{
    /// <summary>The first channel summed: c - lo, clipped at 0.</summary>
    public int First => Math.Max(0, C - Lo);

    /// <summary>The last channel summed: c + hi, clipped at C - 1.</summary>
    public int Last => Math.Min(Channels - 1, C + Hi);

    /// <summary>How many channels the clipped window sums.</summary>
    public int Terms => Last - First + 1;

    /// <summary>Whether channel j is in the sum for s_c.</summary>
    public bool Contains(int j) => j >= First && j <= Last;

    /// <summary>Window positions that fall outside 0..C-1 (before clipping): they count as zeros.</summary>
    public int ClippedBefore => Math.Max(0, Lo - C);

    /// <summary>Window positions past the last channel.</summary>
    public int ClippedAfter => Math.Max(0, C + Hi - (Channels - 1));
}

/// <summary>A titled group of window rows drawn on one channel axis.</summary>
internal sealed record WindowPanel(string Title, IReadOnlyList<WindowRow> Rows);

/// <summary>
/// What the window figure shows: the chosen parameters' window at the start, middle and end of the channel axis, and
/// the pytorch, onnx (= cudnn) and onednn windows for one even n, where they part.
/// </summary>
internal sealed record WindowFigureData(LrnParameters Parameters, int Channels, int EvenSize, WindowPanel Chosen, WindowPanel EvenSizes);

/// <summary>Builds <see cref="WindowFigureData"/>. Every window comes from <see cref="LrnParameters.Lo"/> and <see cref="LrnParameters.Hi"/>.</summary>
internal static class WindowData
{
    /// <summary>The fewest channels drawn: enough for a start, a middle and an end that differ for small windows.</summary>
    public const int MinChannels = 9;

    public static WindowFigureData Build(LrnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);

        // An even n is where the conventions part. Show the chosen n if it is even, else the next one up.
        int evenSize = parameters.Size % 2 == 0 ? parameters.Size : parameters.Size + 1;
        List<(string Name, LrnParameters P, string? Note)> even = EvenConventions(evenSize);

        // Enough channels that the middle channel's window is whole and the edges clip it.
        int reach = Math.Max(parameters.Lo, parameters.Hi);
        foreach ((_, LrnParameters p, _) in even)
        {
            reach = Math.Max(reach, Math.Max(p.Lo, p.Hi));
        }

        int channels = Math.Max(MinChannels, (2 * reach) + 5);
        int middle = channels / 2;
        var chosen = new WindowPanel(
            $"{Name(parameters)}: s_c sums channels c-{parameters.Lo} .. c+{parameters.Hi}",
            [
                new WindowRow("c = 0 (start)", 0, channels, parameters.Lo, parameters.Hi),
                new WindowRow($"c = {middle} (middle)", middle, channels, parameters.Lo, parameters.Hi),
                new WindowRow($"c = {channels - 1} (end)", channels - 1, channels, parameters.Lo, parameters.Hi),
            ]);
        var evenPanel = new WindowPanel(
            $"With an even window, n = {evenSize}, the conventions part (c = {middle})",
            even.ConvertAll(e => new WindowRow(e.Name, middle, channels, e.P.Lo, e.P.Hi, e.Note)));
        return new WindowFigureData(parameters, channels, evenSize, chosen, evenPanel);
    }

    /// <summary>"pytorch n=5", "tensorflow r=2", the name and the size as the convention states it.</summary>
    public static string Name(LrnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        string name = LrnParameters.ConventionName(parameters.Convention);
        return parameters.Convention switch
        {
            LrnConvention.TensorFlow => $"{name} r={parameters.Lo} (n = {parameters.WindowLength})",
            LrnConvention.Canonical => $"{name} lo={parameters.Lo} hi={parameters.Hi}",
            _ => $"{name} n={parameters.Size}",
        };
    }

    // PyTorch, ONNX and oneDNN accept any n >= 1; cuDNN only 1..16, and where it accepts n it matches ONNX's window.
    private static List<(string Name, LrnParameters P, string? Note)> EvenConventions(int n)
    {
        LrnParameters onnx = LrnParameters.Onnx(n);
        LrnParameters oneDnn = LrnParameters.OneDnn(n, alpha: 1e-4, beta: 0.75, k: 1);
        bool cudnnSame = n <= 16 && LrnParameters.CuDnn(n) is { } cudnn && cudnn.Lo == onnx.Lo && cudnn.Hi == onnx.Hi;
        return
        [
            ("pytorch", LrnParameters.PyTorch(n), null),
            (cudnnSame ? "onnx, cudnn" : "onnx", onnx, null),
            ("onednn", oneDnn, oneDnn.WindowLength != n ? $"only {oneDnn.WindowLength} terms, yet a = alpha/{n}" : null),
        ];
    }
}
