using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Lrn.Experiment;

/// <summary>One epoch of one (variant, seed) run.</summary>
internal sealed record EpochResult(
    Variant Variant, int Seed, int Epoch, double LearningRate, double TrainLoss, double TestAccuracy, double Seconds,
    DivisorStats? Divisor1, DivisorStats? Divisor2);

/// <summary>The data as tensors, preprocessed once: [N, 1, 28, 28] float32 and [N] int64 labels.</summary>
internal sealed class Data : IDisposable
{
    public Data(ImageSet train, ImageSet test, bool standardized)
    {
        int pixels = train.PixelsPerImage;
        var mean = new double[pixels];
        for (int i = 0; i < train.Count; i++)
        {
            for (int p = 0; p < pixels; p++)
            {
                mean[p] += train.Pixels[(i * pixels) + p];
            }
        }

        for (int p = 0; p < pixels; p++)
        {
            mean[p] /= train.Count;
        }

        // AlexNet's preprocessing: raw pixel values minus the training set's mean image. Standardized: the same, then
        // divided by the training set's overall standard deviation (mean 0, sd 1).
        double sd = 1;
        if (standardized)
        {
            double sum = 0;
            for (int i = 0; i < train.Count; i++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    double v = train.Pixels[(i * pixels) + p] - mean[p];
                    sum += v * v;
                }
            }

            sd = Math.Sqrt(sum / ((double)train.Count * pixels));
        }

        TrainX = Images(train, mean, sd);
        TrainY = tensor(train.Labels.Select(l => (long)l).ToArray());
        TestX = Images(test, mean, sd);
        TestY = tensor(test.Labels.Select(l => (long)l).ToArray());
        TrainCount = train.Count;
    }

    public Tensor TrainX { get; }

    public Tensor TrainY { get; }

    public Tensor TestX { get; }

    public Tensor TestY { get; }

    public int TrainCount { get; }

    public void Dispose()
    {
        TrainX.Dispose();
        TrainY.Dispose();
        TestX.Dispose();
        TestY.Dispose();
    }

    private static Tensor Images(ImageSet set, double[] mean, double sd)
    {
        int pixels = set.PixelsPerImage;
        var values = new float[set.Pixels.Length];
        for (int i = 0; i < set.Count; i++)
        {
            for (int p = 0; p < pixels; p++)
            {
                values[(i * pixels) + p] = (float)((set.Pixels[(i * pixels) + p] - mean[p]) / sd);
            }
        }

        return tensor(values, [set.Count, 1, set.Rows, set.Columns]);
    }
}

/// <summary>
/// Trains one variant with one seed: SGD with momentum and weight decay (AlexNet's optimizer), the learning rate
/// divided by 10 for the last third of the epochs, test accuracy and the LRN divisor's spread after every epoch.
/// Deterministic for a seed and a thread count: the seed fixes the initial weights, the dropout masks and the order
/// of the batches; the timing covers the training steps only.
/// </summary>
internal static class Trainer
{
    private const int StatsImages = 256;
    private const int EvalBatch = 1000;

    public static List<EpochResult> Run(
        Variant variant, int seed, Data data, ExperimentOptions o, Action<int, int, int, double>? progress = null, Action<EpochResult>? epochDone = null)
    {
        var lrnOptions = new LrnOptions { MaxDegreeOfParallelism = o.Threads };
        manual_seed(seed);
        using var net = new Network(variant, o.Lrn, lrnOptions);
        using var optimizer = optim.SGD(net.parameters(), o.LearningRate, o.Momentum, 0, o.WeightDecay);
        var results = new List<EpochResult>();
        var order = new Random(seed);
        int batches = (data.TrainCount + o.BatchSize - 1) / o.BatchSize;
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            double lr = epoch >= o.DecayEpoch ? o.LearningRate / 10 : o.LearningRate;
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            net.train();
            long[] permutation = [.. Enumerable.Range(0, data.TrainCount).Select(i => (long)i)];
            order.Shuffle(permutation);
            double lossSum = 0;
            var clock = Stopwatch.StartNew();
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                int start = b * o.BatchSize, count = Math.Min(o.BatchSize, data.TrainCount - start);
                Tensor index = tensor(permutation.AsSpan(start, count).ToArray());
                Tensor x = data.TrainX.index_select(0, index);
                Tensor y = data.TrainY.index_select(0, index);
                optimizer.zero_grad();
                Tensor loss = nn.functional.cross_entropy(net.call(x), y);
                loss.backward();
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException($"{Variants.Name(variant)} seed {seed}: the loss became {value} in epoch {epoch} (learning rate {lr}); try a smaller --lr");
                }

                lossSum += value * count;
                progress?.Invoke(epoch, b + 1, batches, lossSum / (start + count));
            }

            double seconds = clock.Elapsed.TotalSeconds;
            double accuracy = Evaluate(net, data);
            (DivisorStats? d1, DivisorStats? d2) = Divisors(net, data, o.Lrn);
            var result = new EpochResult(variant, seed, epoch, lr, lossSum / data.TrainCount, accuracy, seconds, d1, d2);
            results.Add(result);
            epochDone?.Invoke(result);
        }

        return results;
    }

    private static double Evaluate(Network net, Data data)
    {
        net.eval();
        using var grad = no_grad();
        long total = data.TestY.shape[0], correct = 0;
        for (long start = 0; start < total; start += EvalBatch)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(EvalBatch, total - start);
            Tensor logits = net.call(data.TestX.narrow(0, start, count));
            correct += logits.argmax(1).eq(data.TestY.narrow(0, start, count)).sum().item<long>();
        }

        return (double)correct / total;
    }

    /// <summary>The LRN divisor over a fixed batch of test images, at both normalization points (LRN variants only).</summary>
    private static (DivisorStats?, DivisorStats?) Divisors(Network net, Data data, LrnParameters p)
    {
        if (net.Variant is not (Variant.Lrn or Variant.TorchLrn))
        {
            return (null, null);
        }

        net.eval();
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        net.CaptureNormInputs = true;
        try
        {
            net.call(data.TestX.narrow(0, 0, Math.Min(StatsImages, data.TestX.shape[0])));
            return (DivisorStats.Of(net.NormInput1!, p), DivisorStats.Of(net.NormInput2!, p));
        }
        finally
        {
            net.CaptureNormInputs = false;
        }
    }
}
