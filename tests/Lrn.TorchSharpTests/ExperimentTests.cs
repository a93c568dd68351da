using System.Buffers.Binary;
using System.IO.Compression;
using Lrn.Experiment;

namespace Lrn.TorchSharpTests;

/// <summary>
/// lrn-experiment's pipeline on its tiny synthetic data set (<c>--quick</c>: what CI runs; it claims nothing) and its plot verb, the
/// message when Fashion-MNIST is missing, and the IDX reader on good and broken files.
/// </summary>
public sealed class ExperimentTests(TorchFixture torchFixture) : IClassFixture<TorchFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lrn-experiment-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_writes_the_table_the_csv_and_the_plots_and_both_lrns_train_alike()
    {
        Assert.NotNull(torchFixture.Versions);
        string outDir = Path.Combine(_directory, "quick");
        var output = new StringWriter();
        var error = new StringWriter();
        int status = ExperimentCommand.Run(["--quick", "--threads", "1", "--out", outDir], output, error);
        Assert.True(status == 0, $"exit {status}: {error}\n{output}");
        string text = output.ToString();
        foreach (string variant in new[] { "no normalization", "LRN on Lrn's kernels", "LRN on libtorch's", "BatchNorm" })
        {
            Assert.Contains($"| {variant} |", text, StringComparison.Ordinal);
        }

        Assert.Contains("mean nothing", text, StringComparison.Ordinal);
        foreach (string png in new[] { "accuracy.png", "epoch-time.png" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(outDir, png));
            Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', png);
        }

        Assert.Contains("Synthetic data", File.ReadAllText(Path.Combine(outDir, "summary.md")), StringComparison.Ordinal);

        // lrn-experiment plot DIR redraws both plots from results.csv alone.
        File.Delete(Path.Combine(outDir, "accuracy.png"));
        File.Delete(Path.Combine(outDir, "epoch-time.png"));
        var redraw = new StringWriter();
        Assert.Equal(0, ExperimentCommand.Run(["plot", outDir], redraw, error));
        Assert.Contains("from 8 epochs", redraw.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "accuracy.png")) && File.Exists(Path.Combine(outDir, "epoch-time.png")));

        // ... and the table: the same rows as the run's own, from the file alone (so a run stopped early still gives one).
        string[] Rows(string table) => [.. table.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| variant", StringComparison.Ordinal))
            .Select(l => string.Join('|', l.Split('|').Take(4)))];
        Assert.Equal(Rows(text), Rows(File.ReadAllText(Path.Combine(outDir, "table.md"))));
        Assert.Equal(4, Rows(redraw.ToString()).Length);
        string[][] rows = [.. File.ReadAllLines(Path.Combine(outDir, "results.csv")).Skip(1).Select(l => l.Split(','))];
        Assert.Equal(4 * 2, rows.Length);
        // The two LRN variants compute the same function from the same weights, batches and dropout masks: their
        // losses may differ only by float32 rounding.
        foreach (string epoch in new[] { "1", "2" })
        {
            double Loss(string variant) => double.Parse(rows.Single(r => r[0] == variant && r[2] == epoch)[4], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(Loss("lrn") - Loss("torch-lrn")) <= 1e-4 * Loss("torch-lrn"), $"epoch {epoch}: loss {Loss("lrn")} on Lrn, {Loss("torch-lrn")} on libtorch");
            Assert.NotEqual(Loss("none"), Loss("lrn"));
        }
    }

    [Fact]
    public void Lrn_experiment_runs_the_tool_and_first_seed_finishes_a_stopped_run_as_the_whole_run_would()
    {
        Assert.NotNull(torchFixture.Versions);
        string whole = Path.Combine(_directory, "whole");
        string split = Path.Combine(_directory, "split");
        var error = new StringWriter();
        string[] common = ["--quick", "--variants", "lrn", "--threads", "1"];
        Assert.True(ExperimentCommand.Run([.. common, "--seeds", "2", "--out", whole], new StringWriter(), error) == 0, error.ToString());

        // A run "stopped" after seed 1 ...
        Assert.True(ExperimentCommand.Run([.. common, "--seeds", "1", "--out", split], new StringWriter(), error) == 0, error.ToString());

        // ... finished through lrn experiment: the lrn tool starts Lrn.Experiment.dll (beside it in this build output)
        // as a child process and passes its output through; seed 2 only, in the same folder.
        var output = new StringWriter();
        int status = Lrn.Cli.CommandLine.Run(["experiment", .. common, "--seeds", "2", "--first-seed", "2", "--out", split], output, error);
        Assert.True(status == 0, $"exit {status}: {error}\n{output}");
        Assert.Contains("seeds 2..2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("kept 2 epochs of seeds 1..1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| LRN on Lrn's kernels | ", output.ToString(), StringComparison.Ordinal);

        // Both seeds' rows are those of the whole run: the same losses, accuracies and divisors (the seconds differ),
        // so a stopped --full run can be finished later.
        static string[] Rows(string dir, string seed) => [.. File.ReadAllLines(Path.Combine(dir, "results.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[1] == seed).Select(f => string.Join(',', f.Take(6).Concat(f.Skip(7))))];
        foreach (string seed in new[] { "1", "2" })
        {
            string[] expected = Rows(whole, seed);
            Assert.Equal(2, expected.Length);
            Assert.Equal(expected, Rows(split, seed));
        }

        Assert.Contains("over 2 seeds", File.ReadAllText(Path.Combine(split, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_data_set_says_how_to_install_it()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = ExperimentCommand.Run(["--data", Path.Combine(_directory, "nowhere")], output, error);
        Assert.Equal(3, status);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte.gz", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--variants", "lrn,dropout")]
    [InlineData("--bogus", "1")]
    [InlineData("--size", "0")]
    [InlineData("--first-seed", "3")]
    public void Bad_options_are_refused_with_the_reason(string option, string value)
    {
        var error = new StringWriter();
        Assert.Equal(2, ExperimentCommand.Run([option, value], new StringWriter(), error));
        Assert.StartsWith("lrn-experiment: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_idx_reader_reads_good_files_and_refuses_broken_ones()
    {
        byte[] images = Idx(0x803, [3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        byte[] labels = Idx(0x801, [3], [0, 9, 4]);
        ImageSet set = FashionMnist.Read(Gz("i.gz", images), Gz("l.gz", labels));
        Assert.Equal(3, set.Count);
        Assert.Equal(new byte[] { 0, 9, 4 }, set.Labels);
        Assert.Equal(5, set.Pixels[4]);
        Assert.Equal(1, set.Take(1).Count);

        Assert.Throws<InvalidDataException>(() => FashionMnist.Read(Gz("t.gz", images[..^1]), Gz("l.gz", labels)));                         // truncated
        Assert.Throws<InvalidDataException>(() => FashionMnist.Read(Gz("b.gz", Idx(0x803, [int.MaxValue, 28, 28], [])), Gz("l.gz", labels)));  // hostile count
        Assert.Throws<InvalidDataException>(() => FashionMnist.Read(Gz("i.gz", images), Gz("c.gz", Idx(0x801, [3], [0, 10, 1]))));          // label 10
        Assert.Throws<InvalidDataException>(() => FashionMnist.Read(Gz("i.gz", images), Gz("m.gz", Idx(0x801, [2], [0, 1]))));              // count mismatch
        Assert.Throws<InvalidDataException>(() => FashionMnist.Read(Gz("l.gz", labels), Gz("i.gz", images)));                                // swapped
    }

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    private string Gz(string name, byte[] content)
    {
        string path = Path.Combine(_directory, name);
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return path;
    }
}
