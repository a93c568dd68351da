using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Lrn.Experiment;

/// <summary>The command line: <c>lrn-experiment [run] [options]</c> and <c>lrn-experiment bench [options]</c>.</summary>
internal static class ExperimentCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        List<string> rest = [.. args];
        string verb = rest.Count > 0 && !rest[0].StartsWith('-') ? rest[0] : "run";
        if (rest.Count > 0 && !rest[0].StartsWith('-'))
        {
            rest.RemoveAt(0);
        }

        if (rest.Contains("--help") || rest.Contains("-h") || verb == "help")
        {
            output.WriteLine(ExperimentOptions.Usage);
            return 0;
        }

        try
        {
            return verb switch
            {
                "run" => RunExperiment(rest, output, error),
                "bench" => TrainingBench.Run(rest, output, error),
                "plot" => Plots.Redraw(rest, output),
                _ => Fail(error, $"unknown command {verb}; try --help"),
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return Fail(error, e.Message);
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine("lrn-experiment: " + message);
        return 2;
    }

    private static int RunExperiment(List<string> args, TextWriter output, TextWriter error)
    {
        ExperimentOptions? o = ExperimentOptions.Parse(args, out string? problem);
        if (o is null)
        {
            return Fail(error, problem + "; try --help");
        }

        ImageSet train, test;
        if (o.Synthetic)
        {
            train = FashionMnist.Synthetic(o.TrainSize ?? 512, 1);
            test = FashionMnist.Synthetic(o.TestSize ?? 256, 2);
        }
        else
        {
            if (FashionMnist.Missing(o.DataDirectory) is string missing)
            {
                error.WriteLine(missing);
                return 3;
            }

            (train, test) = FashionMnist.Load(o.DataDirectory);
            train = train.Take(o.TrainSize);
            test = test.Take(o.TestSize);
        }

        string versions = Lrn.Peers.TorchLoader.EnsureLoaded();
        torch.set_num_threads(o.Threads);
        string machine = Machine(versions, o.Threads);
        output.WriteLine(o.Describe());
        output.WriteLine(machine);
        output.WriteLine($"{train.Count} training and {test.Count} test images; {o.Variants.Count} variants x {o.Seeds - o.FirstSeed + 1} seeds x {o.Epochs} epochs");
        Directory.CreateDirectory(o.OutputDirectory);

        using var data = new Data(train, test, o.Standardized);
        var results = new List<EpochResult>();
        string csv = Path.Combine(o.OutputDirectory, "results.csv");
        if (o.FirstSeed > 1 && File.Exists(csv))
        {
            // Finishing a stopped run in its own folder: its seeds below the first are kept, and rewritten with the new ones.
            results.AddRange(Results.ReadCsv(csv).Where(r => r.Seed < o.FirstSeed));
            output.WriteLine($"kept {results.Count} epochs of seeds 1..{o.FirstSeed - 1} from {Path.GetFullPath(csv)}");
        }

        var progress = new Progress(output);
        var total = Stopwatch.StartNew();
        int run = 0, runs = o.Variants.Count * (o.Seeds - o.FirstSeed + 1);
        for (int seed = o.FirstSeed; seed <= o.Seeds; seed++)
        {
            foreach (Variant variant in o.Variants)
            {
                run++;
                string label = $"[{run}/{runs}] {Variants.Name(variant),-9} seed {seed}";
                List<EpochResult> epochs = Trainer.Run(
                    variant, seed, data, o, (epoch, batch, batches, loss) => progress.Batch(label, epoch, o.Epochs, batch, batches, loss), r => progress.Epoch(label, r));
                results.AddRange(epochs);
                Results.WriteCsv(csv, results);
            }
        }

        List<VariantSummary> summaries = VariantSummary.Of(results, o);
        string table = Results.Table(summaries, o);
        string command = "lrn-experiment " + string.Join(' ', args);
        Results.WriteSummary(Path.Combine(o.OutputDirectory, "summary.md"), table, o, machine, command);
        Plots.Accuracy(Path.Combine(o.OutputDirectory, "accuracy.png"), results, o.Epochs, o.DecayEpoch);
        Plots.EpochTime(Path.Combine(o.OutputDirectory, "epoch-time.png"), results);
        output.WriteLine();
        output.Write(table);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalMinutes:F1} min; results.csv, summary.md, accuracy.png and epoch-time.png in {Path.GetFullPath(o.OutputDirectory)}"));
        if (o.Synthetic)
        {
            output.WriteLine("synthetic data: these numbers check the pipeline and mean nothing");
        }

        return 0;
    }

    public static string Machine(string versions, int threads) =>
        $"{versions}; {threads} thread(s) of {Environment.ProcessorCount} logical cores; {RuntimeInformation.OSDescription}; "
        + $".NET {Environment.Version}; Lrn kernel {Lrn.LocalResponseNorm.KernelName()}; {DateTime.UtcNow:yyyy-MM-dd}";

    /// <summary>A progress bar redrawn in place on a terminal; one line per epoch when the output is redirected.</summary>
    private sealed class Progress(TextWriter output)
    {
        private readonly bool _live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        private readonly Stopwatch _redraw = Stopwatch.StartNew();

        public void Batch(string label, int epoch, int epochs, int batch, int batches, double loss)
        {
            if (!_live || (batch != batches && _redraw.ElapsedMilliseconds < 200))
            {
                return;
            }

            _redraw.Restart();
            const int width = 30;
            int filled = batch * width / batches;
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{label} epoch {epoch}/{epochs} [{new string('#', filled)}{new string('.', width - filled)}] {batch}/{batches} loss {loss:F4}   "));
        }

        public void Epoch(string label, EpochResult r)
        {
            if (_live)
            {
                output.Write('\r');
            }

            string divisor = r.Divisor1 is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $", divisor spread {100 * r.Divisor1.Spread:F1} % / {100 * r.Divisor2!.Spread:F1} %");
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{label} epoch {r.Epoch}: loss {r.TrainLoss:F4}, test accuracy {100 * r.TestAccuracy:F2} %, {r.Seconds:F1} s{divisor}");
            output.WriteLine(line.PadRight(110));
        }
    }
}
