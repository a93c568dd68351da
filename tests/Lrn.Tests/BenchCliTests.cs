using System.Globalization;
using System.Text.Json;
using Lrn.Cli;

namespace Lrn.Tests;

/// <summary><c>lrn bench</c> runs, reports every case with consistent ratios, and refuses bad options. Timings themselves are never asserted.</summary>
public class BenchCliTests
{
    private static (int Code, string Out, string Err) Lrn(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Json_output_has_every_case_with_ratios_to_its_own_baseline()
    {
        (int code, string output, string err) = Lrn("bench", "--shape", "1,16,9,9", "--threads", "1", "--json");
        Assert.True(code == 0, err);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal(LocalResponseNorm.KernelName(), root.GetProperty("kernel").GetString());
        Dictionary<string, JsonElement> rows = root.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("Name").GetString()!);
        Assert.Contains("copy y = x", rows.Keys);
        Assert.Contains("lrn forward", rows.Keys);
        Assert.Contains("lrn backward (x, dy)", rows.Keys);
        Assert.Contains(rows.Keys, name => name.StartsWith("onnxruntime", StringComparison.Ordinal));
        double copy = rows["copy y = x"].GetProperty("MedianMs").GetDouble();
        double add = rows["add dx = x + dy"].GetProperty("MedianMs").GetDouble();
        JsonElement forward = rows["lrn forward"];
        JsonElement backward = rows["lrn backward (x, dy)"];
        Assert.Equal(forward.GetProperty("MedianMs").GetDouble() / copy, forward.GetProperty("RatioToCopy").GetDouble(), 9);
        Assert.Equal(backward.GetProperty("MedianMs").GetDouble() / add, backward.GetProperty("RatioToCopy").GetDouble(), 9);
    }

    [Fact]
    public void The_targets_baselines_run_in_the_same_process_and_the_summary_divides_their_medians()
    {
        // Issue 3 compares the forward with one thread, with n = 5 and with float32 data: with --threads 2, --size 7
        // and --double the bench measures all three beside it, and each summary line is the quotient of two medians.
        (int code, string json, string err) = Lrn("bench", "--shape", "1,16,9,9", "--threads", "2", "--size", "7", "--double", "--json");
        Assert.True(code == 0, err);
        using JsonDocument document = JsonDocument.Parse(json);
        Dictionary<string, JsonElement> rows = document.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("Name").GetString()!);
        double copy = rows["copy y = x"].GetProperty("MedianMs").GetDouble();
        foreach (string name in new[] { "lrn forward, one thread", "lrn forward, n = 5", "lrn forward, float32 data" })
        {
            Assert.Contains(name, rows.Keys);
            Assert.Equal(rows[name].GetProperty("MedianMs").GetDouble() / copy, rows[name].GetProperty("RatioToCopy").GetDouble(), 9);
        }

        // Medians of 0.05 ms or more, so that the table's three decimals leave the quotients within about 1 %.
        (code, string text, err) = Lrn("bench", "--shape", "2,96,27,27", "--threads", "2", "--size", "7", "--double");
        Assert.True(code == 0, err);
        string[] lines = text.Split('\n');
        double Median(string name) => double.Parse(
            lines.Single(l => l.StartsWith($"  {name} ", StringComparison.Ordinal))[36..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);
        double Summary(string prefix, string suffix)
        {
            string line = lines.Single(l => l.StartsWith($"  {prefix}", StringComparison.Ordinal)).Trim();
            return double.Parse(line[prefix.Length..line.IndexOf(suffix, StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        }

        double forward = Median("lrn forward");
        AssertQuotient(Median("lrn forward, one thread"), forward, Summary("2 threads run the forward ", "x as fast"));
        AssertQuotient(forward, Median("lrn forward, n = 5"), Summary("n = 7 takes ", "x the time"));
        AssertQuotient(forward, Median("lrn forward, float32 data"), Summary("float64 takes ", "x the time"));
    }

    /// <summary>printed is numerator / denominator to two decimals, the medians as the table gives them to three.</summary>
    private static void AssertQuotient(double numerator, double denominator, double printed)
    {
        double quotient = numerator / denominator;
        double rounding = 0.005 + (quotient * ((0.0005 / numerator) + (0.0005 / denominator)));
        Assert.True(Math.Abs(quotient - printed) <= rounding, $"the summary says {printed}, the table's medians give {quotient:F4} (within {rounding:F4})");
    }

    [Fact]
    public void A_shape_onnx_runtime_cannot_run_says_so()
    {
        (int code, string output, string err) = Lrn("bench", "--shape", "2,8,5", "--threads", "1", "--size", "4");
        Assert.True(code == 0, err);
        Assert.Contains("onnxruntime: not run", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_channel_runs_the_within_channel_convention()
    {
        (int code, string output, string err) = Lrn("bench", "--shape", "1,4,9,9", "--threads", "1", "--size", "3", "--region", "within");
        Assert.True(code == 0, err);
        Assert.Contains("cudnn-within size=3", output, StringComparison.Ordinal);
        // Channels-first, two spatial axes: the plane kernel, where SIMD is accelerated (else the block sums).
        string kernel = System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "kernel within-plane" : "kernel within-block-sum";
        Assert.Contains(kernel, output, StringComparison.Ordinal);
        Assert.Contains("onnxruntime: not run", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_device_is_refused_by_name()
    {
        (int code, _, string err) = Lrn("bench", "--device", "tpu");
        Assert.Equal(2, code);
        Assert.Contains("--device must be cpu, cuda or emulated, got 'tpu'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gpu_bench_runs_on_the_emulated_device_against_a_device_copy()
    {
        (int code, string output, string err) = Lrn("bench", "--device", "emulated", "--shape", "1,4,3,3");
        Assert.True(code == 0, err);
        Assert.Contains("device copy (cudaMemcpy)", output, StringComparison.Ordinal);
        Assert.Contains("gpu-ring", output, StringComparison.Ordinal);
        Assert.Contains("gpu-within-rows", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_a_gpu_fails_with_one_line_naming_the_alternatives()
    {
        if (global::Lrn.Gpu.LrnGpu.FindCuda() is not null)
        {
            return; // a machine with an NVIDIA GPU: the bench runs there (gpu/run-on-device.sh)
        }

        (int code, _, string err) = Lrn("bench", "--device", "cuda");
        Assert.Equal(2, code);
        Assert.Contains("no CUDA device", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("lrn: --region must be across or within, got 'spatial'", "--region", "spatial")]
    [InlineData("lrn: --shape must be comma-separated non-negative integers like 8,96,55,55, got '8x96'", "--shape", "8x96")]
    [InlineData("lrn: --kernel must be auto, vector512, vector256, vector128, scalar or reference, got 'gpu'", "--kernel", "gpu")]
    [InlineData("lrn: unknown bench option --fast (see lrn --help)", "--fast")]
    [InlineData("lrn: dims must have rank >= 2 (batch and channels), got rank 1", "--shape", "8")]
    public void Bad_bench_options_exit_2_with_one_line(string expected, params string[] options)
    {
        (int code, string output, string err) = Lrn(["bench", .. options]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected + Environment.NewLine, err);
    }
}
