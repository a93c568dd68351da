using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Lrn.Tests;

/// <summary>
/// Bounded fuzz runs for CI over <see cref="FuzzTargets"/>: the .npy reader on mutated files (the seed corpus is valid
/// files of every version, dtype and rank plus every malformed file of <see cref="NpyFiles.Malformed"/>) and the command
/// line on generated argument vectors. LRN_FUZZ_INPUTS and LRN_FUZZ_SEED scale and vary a run; tests/Lrn.Fuzz runs the
/// same targets for hours under AFL++ or libFuzzer (docs/guarantees.md). A failure prints the input as base64: add it to
/// the regression list below.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    public const string InputsVariable = "LRN_FUZZ_INPUTS";
    public const string SeedVariable = "LRN_FUZZ_SEED";

    /// <summary>Mutated .npy files per CI run: about 2 s on one core (2026-06, the 2-core CI machine: ~100 000 inputs/s).</summary>
    public const int DefaultNpyInputs = 200_000;

    /// <summary>Generated command lines per CI run: each reads and writes files, so fewer (~7 000 inputs/s).</summary>
    public const int DefaultCliInputs = 10_000;

    /// <summary>Far above any input's real cost (well under a millisecond): only a hang or a runaway allocation gets near it.</summary>
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(5);

    /// <summary>How many of <see cref="NpySeeds"/> come first and are valid.</summary>
    public const int ValidSeedCount = 9;

    /// <summary>The seed corpus: valid files of each format version, dtype and rank, and every malformed file below 64 KiB.</summary>
    public static IReadOnlyList<byte[]> NpySeeds()
    {
        var seeds = new List<byte[]>
        {
            NpyFiles.Valid([2, 3], [0f, 1f, 2f, 3f, 4f, 5f]),
            NpyFiles.Valid([], [7f]),
            NpyFiles.Valid([0, 3], []),
            NpyFiles.Valid([1, 2, 1, 2], [1f, -2f, float.NaN, float.NegativeInfinity]),
            NpyFiles.ValidFloat64([3], [1, 2, 3]),
            NpyFiles.ValidFloat64([2, 1, 2], [0.5, -0.5, 1e300, 5e-324]),
            NpyFiles.Build(2, NpyFiles.Dict(shape: "(3,)"), NpyFiles.Float32Bytes(1, 2, 3)),
            NpyFiles.Build(3, NpyFiles.Dict(descr: "'<f8'", shape: "(1, 1)"), NpyFiles.Float64Bytes(4)),
            NpyFiles.Build(1, "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}", NpyFiles.Float32Bytes(1, 2), pad: false),
        };
        seeds.AddRange(NpyFiles.Malformed().Select(m => m.Bytes).Where(b => b.Length <= 64 * 1024));
        return seeds;
    }

    /// <summary>The corpus the mutator starts from: valid files are a tenth of it but the start of most interesting mutations, so they count 9 times.</summary>
    public static IReadOnlyList<byte[]> MutationSeeds()
    {
        IReadOnlyList<byte[]> seeds = NpySeeds();
        return [.. seeds, .. Enumerable.Repeat(seeds.Take(ValidSeedCount), 8).SelectMany(s => s)];
    }

    [Fact]
    public void The_npy_reader_keeps_its_rules_on_mutated_files()
    {
        int inputs = Setting(InputsVariable, DefaultNpyInputs);
        int seed = Setting(SeedVariable, 20_261_201);
        IReadOnlyList<byte[]> seeds = NpySeeds();
        var mutator = new Mutator(MutationSeeds(), seed);
        var stats = new FuzzStatistics();
        var failures = new List<string>();
        for (int i = 0; i < seeds.Count + inputs && failures.Count < 5; i++)
        {
            byte[] bytes = i < seeds.Count ? seeds[i] : mutator.Next();
            var clock = Stopwatch.StartNew();
            try
            {
                if (FuzzTargets.Npy(bytes))
                {
                    stats.Accepted++;
                }
                else
                {
                    stats.Rejected++;
                }
            }
            catch (Exception e)
            {
                failures.Add($"input {i}: {e.GetType().Name}: {e.Message}\n  base64: {Convert.ToBase64String(bytes)}");
            }

            stats.Inputs++;
            stats.Slowest = clock.Elapsed > stats.Slowest ? clock.Elapsed : stats.Slowest;
        }

        output.WriteLine($"npy fuzz, seed {seed}: {stats}");
        Assert.True(failures.Count == 0, $"seed {seed}, {stats}:\n{string.Join('\n', failures)}");
        Assert.True(stats.Accepted > 0 && stats.Rejected > 0, $"both outcomes must occur, or the run exercises nothing: {stats}");
        Assert.True(stats.Slowest < SlowestAllowed, $"an input took {stats.Slowest}");
    }

    [Fact]
    public void The_command_line_keeps_its_rules_on_generated_arguments()
    {
        int inputs = (int)Math.Max(1, (long)Setting(InputsVariable, DefaultNpyInputs) * DefaultCliInputs / DefaultNpyInputs);
        int seed = Setting(SeedVariable, 20_261_201);
        var random = new Random(seed);
        using var files = new CliFuzzFiles();
        string[] currentDirectory = CliFuzzFiles.CurrentDirectoryFiles();
        var stats = new FuzzStatistics();
        var codes = new Dictionary<int, int>();
        var failures = new List<string>();
        for (int i = 0; i < inputs && failures.Count < 5; i++)
        {
            // Half plausible command lines (reaching the library), a quarter of them mutated, a quarter random bytes.
            byte[] bytes = (i % 4) switch
            {
                0 or 1 => CliArguments.Plausible(random),
                2 => Mutate(CliArguments.Plausible(random), random),
                _ => [.. Enumerable.Range(0, 2 + random.Next(30)).Select(_ => (byte)random.Next(256))],
            };
            var clock = Stopwatch.StartNew();
            try
            {
                int code = FuzzTargets.CommandLine(bytes, files);
                codes[code] = codes.GetValueOrDefault(code) + 1;
                stats.Accepted += code == 0 ? 1 : 0;
                stats.Rejected += code == 2 ? 1 : 0;
            }
            catch (Exception e)
            {
                failures.Add($"input {i}: {e.GetType().Name}: {e.Message}\n  base64: {Convert.ToBase64String(bytes)}");
            }

            stats.Inputs++;
            stats.Slowest = clock.Elapsed > stats.Slowest ? clock.Elapsed : stats.Slowest;
        }

        string summary = string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"exit {c.Key}: {c.Value}"));
        output.WriteLine($"command-line fuzz, seed {seed}: {stats}; {summary}");
        Assert.True(failures.Count == 0, $"seed {seed}:\n{string.Join('\n', failures)}");
        Assert.True(codes.GetValueOrDefault(0) > 0 && codes.GetValueOrDefault(2) > 0, $"both exit codes must occur: {summary}");
        Assert.Equal(currentDirectory, CliFuzzFiles.CurrentDirectoryFiles());
        Assert.True(stats.Slowest < SlowestAllowed, $"an input took {stats.Slowest}");
    }

    // ---------------------------------------------------------------- regressions

    // The command-line crashes below were found while building the argument fuzzer; the in-process runs cannot reach
    // them (they depend on the machine and the environment), so they run lrn as a child process.

    [Fact]
    public void Asking_for_a_kernel_the_machine_cannot_run_exits_2_with_one_line()
    {
        // Vector512 disabled for the child process, as on any machine without AVX-512.
        (int code, string err) = RunCli(new() { ["DOTNET_EnableAVX512"] = "0" }, "--kernel", "vector512");
        Assert.Equal(2, code);
        Assert.StartsWith("lrn: ", err, StringComparison.Ordinal);
        Assert.Contains("vector512", err, StringComparison.Ordinal);
        Assert.Equal(1, err.Count(ch => ch == '\n'));
    }

    [Fact]
    public void A_bad_LRN_KERNEL_exits_2_with_one_line()
    {
        (int code, string err) = RunCli(new() { ["LRN_KERNEL"] = "bogus" });
        Assert.Equal(2, code);
        Assert.StartsWith("lrn: ", err, StringComparison.Ordinal);
        Assert.Contains("LRN_KERNEL", err, StringComparison.Ordinal);
        Assert.Equal(1, err.Count(ch => ch == '\n'));
    }

    /// <summary>Runs the built lrn (Lrn.Cli.dll beside the tests) on a small valid file with extra environment variables.</summary>
    private static (int Code, string Err) RunCli(Dictionary<string, string> environment, params string[] options)
    {
        string directory = Directory.CreateTempSubdirectory("lrn-cli-process-").FullName;
        try
        {
            string input = Path.Combine(directory, "x.npy");
            File.WriteAllBytes(input, NpyFiles.Valid([1, 3, 4], new float[12]));
            string cli = Path.Combine(AppContext.BaseDirectory, "Lrn.Cli.dll");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { cli, "apply", input, Path.Combine(directory, "y.npy"), "--convention", "caffe", "--size", "3" }.Concat(options))
            {
                start.ArgumentList.Add(arg);
            }

            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }

            using Process process = Process.Start(start)!;
            Task<string> err = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "lrn did not finish in 60 s");
            return (process.ExitCode, err.Result);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        byte[] copy = (byte[])bytes.Clone();
        for (int flips = 1 + random.Next(3); flips > 0 && copy.Length > 0; flips--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : fallback;
}
