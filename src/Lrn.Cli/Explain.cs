using Lrn.Cli.Figures;

namespace Lrn.Cli;

/// <summary>
/// <c>lrn explain --out DIR [parameters]</c>: draws the pictures that explain LRN, each from numbers the library
/// computes for the chosen parameters: the window, the inhibition curve and real feature maps before and after.
/// Without <c>--convention</c> it draws AlexNet's layer as PyTorch writes it: pytorch, size 5, alpha 1e-4, beta 0.75, k 2.
/// </summary>
internal static class Explain
{
    public const string WindowFile = "window.png";
    public const string CurveFile = "inhibition.png";
    public const string FeatureMapFile = "feature-maps.png";

    /// <summary>The widest window drawn: a row of squares stops being readable long before the library's limits.</summary>
    public const int MaxWindow = 33;

    private static readonly string[] DefaultParameters = ["--convention", "pytorch"];

    public static void Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        (string outDir, List<string> rest) = TakeOut(args);
        CliOptions options = CliOptions.Parse(rest);
        if (options.Positionals.Count > 0)
        {
            throw new UsageException($"explain takes no positional arguments, got '{options.Positionals[0]}' (the output folder goes after --out)");
        }

        if (options.Layout is not null)
        {
            throw new UsageException("--layout does not apply to explain: it draws channels-first maps");
        }

        if (options.Convention is null)
        {
            // AlexNet's norm layers as most people meet them today: nn.LocalResponseNorm(5, 1e-4, 0.75, k=2).
            List<string> withDefaults = [.. DefaultParameters, .. rest];
            if (options.Size is null)
            {
                withDefaults.AddRange(["--size", "5"]);
            }

            if (options.Bias is null)
            {
                withDefaults.AddRange(["--k", "2"]);
            }

            options = CliOptions.Parse(withDefaults);
        }

        LrnParameters parameters = options.ToParameters();
        if (parameters.WindowLength > MaxWindow)
        {
            throw new UsageException($"explain draws windows of up to {MaxWindow} channels, got {parameters.WindowLength} (lo {parameters.Lo} + hi {parameters.Hi} + 1)");
        }

        LrnOptions lrnOptions = options.ToLrnOptions();
        Directory.CreateDirectory(outDir);
        stdout.WriteLine($"Drawing {parameters.Describe()}");
        Write(outDir, WindowFile, WindowFigure.Render(WindowData.Build(parameters)), "which channels feed s_c, at the start, middle and end; an even n under pytorch, onnx and onednn", stdout);
        Write(outDir, CurveFile, CurveFigure.Render(CurveData.Build(parameters, lrnOptions)), "y against x for neighbour energies 0, small and large, beside the AlexNet paper's", stdout);
        Write(outDir, FeatureMapFile, FeatureMapFigure.Render(FeatureMapData.Build(parameters, lrnOptions)), "8 oriented edge channels of a test image, before and after, and y/x", stdout);
    }

    private static void Write(string dir, string name, byte[] png, string what, TextWriter stdout)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, png);
        stdout.WriteLine($"  {path}: {what}");
    }

    // --out is explain's own; everything else is the shared parameter options.
    private static (string OutDir, List<string> Others) TakeOut(IReadOnlyList<string> args)
    {
        string? outDir = null;
        var rest = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? value = null;
            if (arg == "--out")
            {
                value = i + 1 < args.Count ? args[++i] : throw new UsageException("--out needs a value");
            }
            else if (arg.StartsWith("--out=", StringComparison.Ordinal))
            {
                value = arg["--out=".Length..];
            }
            else
            {
                rest.Add(arg);
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw new UsageException("--out needs a folder name");
            }

            if (outDir is not null)
            {
                throw new UsageException("--out is given twice");
            }

            outDir = value;
        }

        return (outDir ?? throw new UsageException("explain needs --out DIR, the folder to write the figures to"), rest);
    }
}
