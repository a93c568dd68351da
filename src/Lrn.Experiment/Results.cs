using System.Globalization;
using System.Text;

namespace Lrn.Experiment;

/// <summary>One variant over its seeds: accuracy averaged over the epochs at the decayed learning rate, then over seeds.</summary>
internal sealed record VariantSummary(
    Variant Variant, int Seeds, double MeanAccuracy, double SdAccuracy, double MinAccuracy, double MaxAccuracy,
    double SecondsPerEpoch, DivisorStats? Divisor1, DivisorStats? Divisor2)
{
    public static List<VariantSummary> Of(IReadOnlyList<EpochResult> results, ExperimentOptions o)
    {
        var summaries = new List<VariantSummary>();
        foreach (var group in results.GroupBy(r => r.Variant))
        {
            double[] perSeed = [.. group.GroupBy(r => r.Seed).Select(s => s.Where(r => r.Epoch >= o.DecayEpoch).Average(r => r.TestAccuracy))];
            double mean = perSeed.Average();
            double sd = perSeed.Length > 1 ? Math.Sqrt(perSeed.Sum(a => (a - mean) * (a - mean)) / (perSeed.Length - 1)) : 0;
            EpochResult[] last = [.. group.GroupBy(r => r.Seed).Select(s => s.MaxBy(r => r.Epoch)!)];
            summaries.Add(new VariantSummary(
                group.Key, perSeed.Length, mean, sd, perSeed.Min(), perSeed.Max(), Median(group.Select(r => r.Seconds)),
                last[0].Divisor1 is null ? null : Average(last.Select(r => r.Divisor1!)),
                last[0].Divisor2 is null ? null : Average(last.Select(r => r.Divisor2!))));
        }

        return summaries;
    }

    /// <summary>The median, not the mean: on a shared machine one disturbed epoch can take several times the others.</summary>
    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static DivisorStats Average(IEnumerable<DivisorStats> stats)
    {
        DivisorStats[] s = [.. stats];
        return new DivisorStats(s.Average(d => d.Mean), s.Average(d => d.Std), s.Min(d => d.Min), s.Average(d => d.P01),
            s.Average(d => d.P50), s.Average(d => d.P99), s.Max(d => d.Max));
    }
}

/// <summary>Writes results.csv (every epoch), summary.md (the table) and returns the table as text.</summary>
internal static class Results
{
    public static string Table(IReadOnlyList<VariantSummary> summaries, ExperimentOptions o)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| variant | test accuracy, % (mean ± sd over {(summaries.Count > 0 ? summaries[0].Seeds : 0)} seeds; epochs {o.DecayEpoch}..{o.Epochs}) | min..max | s / epoch (median) | LRN divisor d = s^beta, layer 1: mean, p99/p01 - 1 | layer 2 |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (VariantSummary s in summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Variants.Describe(s.Variant)} | {100 * s.MeanAccuracy:F2} ± {100 * s.SdAccuracy:F2} | {100 * s.MinAccuracy:F2}..{100 * s.MaxAccuracy:F2} | {s.SecondsPerEpoch:F1} | {Divisor(s.Divisor1)} | {Divisor(s.Divisor2)} |");
        }

        return text.ToString();
    }

    private static string Divisor(DivisorStats? d) =>
        d is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{d.Mean:F3}, {100 * d.Spread:F1} %");

    public static void WriteCsv(string path, IReadOnlyList<EpochResult> results)
    {
        var csv = new StringBuilder("variant,seed,epoch,learning_rate,train_loss,test_accuracy,seconds,d1_mean,d1_p01,d1_p99,d2_mean,d2_p01,d2_p99\n");
        foreach (EpochResult r in results)
        {
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{Variants.Name(r.Variant)},{r.Seed},{r.Epoch},{r.LearningRate:R},{r.TrainLoss:R},{r.TestAccuracy:R},{r.Seconds:F3},"
                + $"{r.Divisor1?.Mean:R},{r.Divisor1?.P01:R},{r.Divisor1?.P99:R},{r.Divisor2?.Mean:R},{r.Divisor2?.P01:R},{r.Divisor2?.P99:R}");
        }

        File.WriteAllText(path, csv.ToString());
    }

    /// <summary>The epochs of a results.csv that <see cref="WriteCsv"/> wrote (its numbers round-trip exactly).</summary>
    public static List<EpochResult> ReadCsv(string csv)
    {
        var results = new List<EpochResult>();
        foreach (string line in File.ReadLines(csv).Skip(1))
        {
            string[] f = line.Split(',');
            if (f.Length < 7 || !Variants.TryParse(f[0], out Variant v))
            {
                throw new InvalidDataException($"{csv}: not a line of lrn-experiment's results: {line}");
            }

            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            DivisorStats? Divisor(int i) => f.Length > i + 2 && f[i].Length > 0 ? new DivisorStats(D(i), double.NaN, D(i + 1), D(i + 1), double.NaN, D(i + 2), D(i + 2)) : null;
            results.Add(new EpochResult(v, (int)D(1), (int)D(2), D(3), D(4), D(5), D(6), Divisor(7), Divisor(10)));
        }

        if (results.Count == 0)
        {
            throw new InvalidDataException($"{csv} holds no results");
        }

        return results;
    }

    public static void WriteSummary(string path, string table, ExperimentOptions o, string machine, string command)
    {
        var md = new StringBuilder();
        md.AppendLine("# lrn-experiment results");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`");
        md.AppendLine();
        md.AppendLine(o.Describe());
        md.AppendLine();
        md.AppendLine(machine);
        md.AppendLine();
        md.Append(table);
        md.AppendLine();
        md.AppendLine("Accuracy: top-1 on the test images, averaged over the epochs at the decayed learning rate, then over seeds (sd across seeds).");
        md.AppendLine("s / epoch: training steps only, median over epochs and seeds. Divisor: LRN's d = (k + a * sum x^2)^beta over a fixed batch of");
        md.AppendLine("256 test images after the last epoch; p99/p01 - 1 near 0 means LRN only rescaled by 1/d and inhibited nothing.");
        if (o.Synthetic)
        {
            md.AppendLine();
            md.AppendLine("**Synthetic data: this run checks the pipeline; its numbers mean nothing.**");
        }

        File.WriteAllText(path, md.ToString());
    }
}
