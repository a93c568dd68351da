using System.Diagnostics;
using System.Globalization;
using Lrn.Tests;
using SharpFuzz;

namespace Lrn.Fuzz;

/// <summary>
/// Runs the fuzz targets of tests/Lrn.Tests/Hardening/FuzzTargets.cs for as long as asked:
/// <code>
/// Lrn.Fuzz afl npy|cli                 under afl-fuzz (AFL++), after `sharpfuzz Lrn.Cli.dll` instrumented the reader
/// Lrn.Fuzz libfuzzer npy|cli           under a libFuzzer driver for SharpFuzz
/// Lrn.Fuzz mutate npy|cli [SECONDS] [SEED]   no instrumentation: the CI runs' mutator, without their bound
/// Lrn.Fuzz corpus DIR                  writes the .npy seed corpus to DIR (afl-fuzz -i DIR)
/// Lrn.Fuzz replay npy|cli FILE...      runs saved inputs (a crash from afl-fuzz's crashes/ folder) and prints the outcome
/// </code>
/// A broken rule or an unexpected exception is a crash for AFL++ and libFuzzer; the mutate mode saves the input under
/// findings/ and prints it as base64 for a regression test. See docs/guarantees.md, "Fuzzing".
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Lrn.Fuzz afl|libfuzzer|mutate|replay npy|cli [...] | Lrn.Fuzz corpus DIR");
            return 2;
        }

        if (args[0] == "corpus")
        {
            Directory.CreateDirectory(args[1]);
            IReadOnlyList<byte[]> seeds = FuzzTests.NpySeeds();
            for (int i = 0; i < seeds.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(args[1], $"seed{i:D3}.npy"), seeds[i]);
            }

            return 0;
        }

        using var files = new CliFuzzFiles();
        Action<byte[]> target = args[1] switch
        {
            "npy" => bytes => FuzzTargets.Npy(bytes),
            "cli" => bytes => FuzzTargets.CommandLine(bytes, files),
            _ => throw new ArgumentException($"target must be npy or cli, got '{args[1]}'", nameof(args)),
        };

        switch (args[0])
        {
            case "afl":
                // Out of process: a stack overflow or a fail-fast in the target is reported as a crash, not lost.
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    target(copy.ToArray());
                });
                return 0;
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(span => target(span.ToArray()));
                return 0;
            case "mutate":
                return Mutate(args[1], target, Number(args, 2, 60), Number(args, 3, 1));
            case "replay":
                foreach (string path in args.Skip(2))
                {
                    try
                    {
                        target(File.ReadAllBytes(path));
                        Console.WriteLine($"{path}: ok");
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine($"{path}: {e}");
                    }
                }

                return 0;
            default:
                Console.Error.WriteLine($"unknown mode '{args[0]}'");
                return 2;
        }
    }

    /// <summary>The uninstrumented loop: mutated seeds (npy) or generated command lines (cli) until the time is up.</summary>
    private static int Mutate(string name, Action<byte[]> target, int seconds, int seed)
    {
        var mutator = new Mutator(FuzzTests.MutationSeeds(), seed);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        TimeSpan report = TimeSpan.FromSeconds(10);
        long inputs = 0;
        int findings = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            byte[] bytes = name == "npy" ? mutator.Next() : CliArguments.Plausible(random);
            if (name == "cli" && random.Next(2) == 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                target(bytes);
            }
            catch (Exception e)
            {
                findings++;
                Directory.CreateDirectory("findings");
                string path = Path.Combine("findings", $"{name}-{seed}-{inputs}.bin");
                File.WriteAllBytes(path, bytes);
                Console.WriteLine($"finding {findings} (saved to {path}): {e.GetType().Name}: {e.Message}\n  base64: {Convert.ToBase64String(bytes)}");
            }

            inputs++;
            if (clock.Elapsed > report)
            {
                Console.WriteLine($"{name}: {inputs} inputs in {clock.Elapsed.TotalSeconds:F0} s, {findings} findings");
                report += TimeSpan.FromSeconds(10);
            }
        }

        Console.WriteLine($"{name}: {inputs} inputs in {clock.Elapsed.TotalSeconds:F0} s, seed {seed}, {findings} findings");
        return findings == 0 ? 0 : 1;
    }

    private static int Number(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
