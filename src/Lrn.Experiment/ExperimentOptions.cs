using System.Globalization;

namespace Lrn.Experiment;

/// <summary>Everything one run depends on. Defaults are the default run; <c>--quick</c> and <c>--full</c> change several at once.</summary>
internal sealed record ExperimentOptions
{
    public string DataDirectory { get; init; } = FashionMnist.DebianDirectory;

    public string OutputDirectory { get; init; } = "experiment-results";

    /// <summary>A tiny synthetic data set instead of Fashion-MNIST (for checking the pipeline).</summary>
    public bool Synthetic { get; init; }

    public string Mode { get; init; } = "default";

    public int Seeds { get; init; } = 2;

    /// <summary>The first seed run (seeds FirstSeed..Seeds): lets a stopped run be finished by another process, which keeps the rows of earlier seeds already in the output folder's results.csv.</summary>
    public int FirstSeed { get; init; } = 1;

    public int Epochs { get; init; } = 6;

    /// <summary>Training images used (the first N of the 60000); null for all.</summary>
    public int? TrainSize { get; init; } = 20000;

    public int? TestSize { get; init; }

    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// 0.003: on AlexNet-scale inputs the network without normalization dies at 0.01 (loss 3.0 then 2.303, chance
    /// accuracy, for seed 1 of 2; 10000 images, 2026-11-27) and trains at 0.003.
    /// </summary>
    public double LearningRate { get; init; } = 0.003;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>The learning rate is divided by 10 from this epoch (1-based) on; results average the epochs from here.</summary>
    public int DecayEpoch => Math.Max(1, Epochs - Math.Max(1, Epochs / 3) + 1);

    public int Threads { get; init; } = 2;

    /// <summary>Inputs standardized to mean 0, sd 1 (the common modern setting) instead of AlexNet's 0..255 minus the mean image.</summary>
    public bool Standardized { get; init; }

    /// <summary>LRN in PyTorch's convention: size 5, alpha 5e-4 (divided by 5: the paper's a = 1e-4), beta 0.75, k 2.</summary>
    public int LrnSize { get; init; } = 5;

    public double LrnAlpha { get; init; } = 5e-4;

    public double LrnBeta { get; init; } = 0.75;

    public double LrnK { get; init; } = 2;

    public IReadOnlyList<Variant> Variants { get; init; } = Experiment.Variants.All;

    public LrnParameters Lrn => LrnParameters.PyTorch(LrnSize, LrnAlpha, LrnBeta, LrnK);

    public static ExperimentOptions Quick => new()
    {
        Mode = "quick",
        Synthetic = true,
        Seeds = 1,
        Epochs = 2,
        TrainSize = 256,
        TestSize = 128,
        BatchSize = 64,
    };

    public static ExperimentOptions Full => new()
    {
        Mode = "full",
        Seeds = 5,
        Epochs = 15,
        TrainSize = null,
    };

    public static string Usage => """
        lrn-experiment: AlexNet's LRN against no normalization and BatchNorm, on Fashion-MNIST (docs/experiment.md)

        usage: lrn-experiment [run] [options]      train every variant and seed, write tables and plots
               lrn-experiment bench [options]      time LRN forward+backward, Lrn's against libtorch's, inside training steps
               lrn-experiment plot DIR             redraw DIR's plots and table (table.md) from DIR/results.csv

        run options:
          --quick               a tiny synthetic data set, 1 seed, 2 epochs: checks the pipeline in seconds, claims nothing
          --full                the publication-sized run: 5 seeds, 15 epochs, all 60000 training images (hours on 2 cores)
          --data DIR            Fashion-MNIST's four .gz IDX files (default /usr/share/datasets/fashion-mnist,
                                where Debian's package dataset-fashion-mnist puts them)
          --out DIR             where results.csv, summary.md and the plots go (default experiment-results)
          --seeds N             seeds 1..N (default 2)
          --first-seed M        run seeds M..N only (default 1): finishes a stopped run. The rows of seeds below M
                                already in the --out folder's results.csv are kept, and the table and plots cover all
          --epochs N            epochs per run (default 6); the last third at a tenth of the learning rate
          --train-size N        use the first N training images (default 20000; --full: all)
          --test-size N         use the first N test images (default all 10000)
          --batch N             batch size (default 128)
          --lr X                initial learning rate of SGD with momentum 0.9, weight decay 5e-4 (default 0.003)
          --threads N           libtorch's and Lrn's threads (default 2)
          --standardized        inputs standardized to mean 0, sd 1 instead of AlexNet's 0..255 minus the mean image
          --variants LIST       comma-separated from none, lrn, torch-lrn, batchnorm (default all four)
          --size N --alpha X --beta X --k X
                                LRN in PyTorch's convention (default 5, 5e-4, 0.75, 2: the paper's n=5, k=2,
                                alpha=1e-4, beta=0.75, since PyTorch divides alpha by size)
        bench options:
          --threads N  --batch N  --steps N  --out DIR
        """;

    /// <summary>Parses the run options; null and an error message when they are wrong.</summary>
    public static ExperimentOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        ExperimentOptions o = args.Contains("--quick") ? Quick : args.Contains("--full") ? Full : new ExperimentOptions();
        if (args.Contains("--quick") && args.Contains("--full"))
        {
            error = "--quick and --full exclude each other";
            return null;
        }

        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string a = args[i];
                string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{a} needs a value");
                int Int(int min) => int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture) is int v && v >= min
                    ? v : throw new FormatException($"{a} must be an integer >= {min}");
                double Real() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture) is double v && double.IsFinite(v) && v >= 0
                    ? v : throw new FormatException($"{a} must be a finite number >= 0");
                o = a switch
                {
                    "--quick" or "--full" => o,
                    "--data" => o with { DataDirectory = Value() },
                    "--out" => o with { OutputDirectory = Value() },
                    "--synthetic" => o with { Synthetic = true },
                    "--seeds" => o with { Seeds = Int(1) },
                    "--first-seed" => o with { FirstSeed = Int(1) },
                    "--epochs" => o with { Epochs = Int(1) },
                    "--train-size" => o with { TrainSize = Int(1) },
                    "--test-size" => o with { TestSize = Int(1) },
                    "--batch" => o with { BatchSize = Int(1) },
                    "--lr" => o with { LearningRate = Real() },
                    "--threads" => o with { Threads = Int(1) },
                    "--standardized" => o with { Standardized = true },
                    "--variants" => o with { Variants = ParseVariants(Value()) },
                    "--size" => o with { LrnSize = Int(1) },
                    "--alpha" => o with { LrnAlpha = Real() },
                    "--beta" => o with { LrnBeta = Real() },
                    "--k" => o with { LrnK = Real() },
                    _ => throw new FormatException($"unknown option {a}"),
                };
            }

            if (o.FirstSeed > o.Seeds)
            {
                throw new FormatException($"--first-seed ({o.FirstSeed}) must be at most the last seed, --seeds ({o.Seeds})");
            }

            _ = o.Lrn;   // checks the LRN parameters
            return o;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            error = e.Message;
            return null;
        }
    }

    private static Variant[] ParseVariants(string list)
    {
        var result = new List<Variant>();
        foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Experiment.Variants.TryParse(name, out Variant v))
            {
                throw new FormatException($"--variants: unknown variant {name} (none, lrn, torch-lrn, batchnorm)");
            }

            if (!result.Contains(v))
            {
                result.Add(v);
            }
        }

        return result.Count > 0 ? [.. result] : throw new FormatException("--variants needs at least one variant");
    }

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Mode} run: {(Synthetic ? "synthetic data" : "Fashion-MNIST")}, {TrainSize?.ToString(CultureInfo.InvariantCulture) ?? "all"} training images, "
            + $"{(FirstSeed == 1 ? $"{Seeds} seed(s)" : $"seeds {FirstSeed}..{Seeds}")}, {Epochs} epochs (lr {LearningRate:G4} to epoch {DecayEpoch - 1}, {LearningRate / 10:G4} from {DecayEpoch}), batch {BatchSize}, "
            + $"{Threads} thread(s), inputs {(Standardized ? "standardized (mean 0, sd 1)" : "0..255 minus the mean image (AlexNet's scale)")}; "
            + $"LRN {Lrn.Describe()}");
}
