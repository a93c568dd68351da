using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using LrnModule = Lrn.TorchSharp.LocalResponseNorm;

namespace Lrn.Experiment;

/// <summary>
/// <c>lrn-experiment bench</c>: LRN forward+backward, Lrn's module against libtorch's, (1) alone on the first LRN
/// layer's tensor [batch, 32, 28, 28] and (2) inside whole training steps of the experiment's network (batch of
/// Fashion-MNIST-shaped random images, SGD step included), beside the same network without normalization. Same
/// process, same threads for both (torch.set_num_threads and Lrn's MaxDegreeOfParallelism); medians of the timed repetitions.
/// </summary>
internal static class TrainingBench
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        int threads = 2, batch = 128, steps = 20;
        string? outDir = null;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v : throw new ArgumentException($"{args[i]} must be an integer >= 1");
            switch (args[i])
            {
                case "--threads": threads = Int(); break;
                case "--batch": batch = Int(); break;
                case "--steps": steps = Int(); break;
                case "--out": outDir = Value(); break;
                default: throw new ArgumentException($"unknown bench option {args[i]}; try --help");
            }
        }

        string versions = Lrn.Peers.TorchLoader.EnsureLoaded();
        set_num_threads(threads);
        var lrnOptions = new LrnOptions { MaxDegreeOfParallelism = threads };
        LrnParameters p = new ExperimentOptions().Lrn;
        string machine = ExperimentCommand.Machine(versions, threads);
        var report = new StringBuilder();
        report.AppendLine(machine);
        report.AppendLine(CultureInfo.InvariantCulture, $"LRN {p.Describe()}");
        report.AppendLine();

        // (1) The LRN layer alone, forward and backward, on an AlexNet-scale ReLU output.
        manual_seed(1);
        using Tensor x = (randn([batch, Network.Channels1, 28, 28]) * 30).relu();
        using Tensor dy = randn([batch, Network.Channels1, 28, 28]);
        using var ours = new LrnModule(p, lrnOptions);
        LrnTorch(p, out long size, out double alpha);
        using var theirs = nn.LocalResponseNorm(size, alpha, p.Beta, p.K);
        double Layer(nn.Module<Tensor, Tensor> m) => Median(steps, () =>
        {
            using var scope = NewDisposeScope();
            Tensor input = x.detach().requires_grad_(true);
            m.call(input).backward([dy]);
        });
        double layerTheirs = Layer(theirs), layerOurs = Layer(ours);
        report.AppendLine(CultureInfo.InvariantCulture, $"| LRN forward+backward on [{batch}, {Network.Channels1}, 28, 28] | ms (median of {steps}) |");
        report.AppendLine("|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| libtorch torch.nn.LocalResponseNorm | {layerTheirs:F2} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| Lrn.TorchSharp.LocalResponseNorm | {layerOurs:F2} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| speed-up | {layerTheirs / layerOurs:F1}x |");
        report.AppendLine();

        // (2) Whole training steps of the experiment's network.
        manual_seed(2);
        using Tensor images = randn([batch, 1, 28, 28]) * 60;
        using Tensor labels = randint(0, FashionMnist.Classes, [batch], ScalarType.Int64);
        double Step(Variant v)
        {
            manual_seed(3);
            using var net = new Network(v, p, lrnOptions);
            using var optimizer = optim.SGD(net.parameters(), 0.001, 0.9);
            net.train();
            return Median(steps, () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(net.call(images), labels).backward();
                optimizer.step();
            });
        }

        double none = Step(Variant.None), torchLrn = Step(Variant.TorchLrn), lrn = Step(Variant.Lrn);
        report.AppendLine(CultureInfo.InvariantCulture, $"| training step, batch {batch} | ms (median of {steps}) | LRN's share (step minus no-normalization step) |");
        report.AppendLine("|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| no normalization | {none:F1} | |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| LRN on libtorch's | {torchLrn:F1} | {torchLrn - none:F1} ms ({100 * (torchLrn - none) / torchLrn:F0} % of the step) |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| LRN on Lrn's kernels | {lrn:F1} | {lrn - none:F1} ms ({100 * (lrn - none) / lrn:F0} % of the step) |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| step speed-up with Lrn's LRN | {torchLrn / lrn:F2}x | LRN itself: {(torchLrn - none) / Math.Max(1e-9, lrn - none):F1}x |");
        output.Write(report.ToString());
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "bench.md"), report.ToString());
        }

        return 0;
    }

    private static void LrnTorch(LrnParameters p, out long size, out double alpha)
    {
        if (!global::Lrn.TorchSharp.LrnTorch.TryPyTorch(p, out size, out alpha))
        {
            throw new ArgumentException($"libtorch cannot compute {p.Describe()}");
        }
    }

    /// <summary>Median milliseconds of <paramref name="repetitions"/> timed calls after 3 untimed ones.</summary>
    private static double Median(int repetitions, Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[repetitions / 2];
    }
}
