using System.Reflection;

namespace Lrn.Cli;

/// <summary>
/// The <c>lrn</c> command: parses arguments, runs one command, and turns every expected failure into one line on
/// stderr and exit code 2. It holds no maths: everything it prints comes from the library.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int UsageError = 2;

    public const string Help = """
        lrn: Local Response Normalization in every framework's convention.

        Usage:
          lrn demo                                   the article's TensorFlow example, and how the conventions compare
          lrn conventions                            each convention's window and coefficient, with its defaults
          lrn apply INPUT.npy OUTPUT.npy [options]   y = LRN(x), same dtype and shape as the input
          lrn grad INPUT.npy GRAD_OUTPUT.npy OUTPUT.npy [options]
                                                     dL/dx from x and dL/dy
          lrn explain --out DIR [options]            draw the window, the inhibition curve and feature maps
                                                     before and after as PNG files (default: pytorch, size 5, k 2)
          lrn bench [--shape 8,96,55,55] [--layout L] [--threads T] [--kernel K] [--size N] [--beta B] [--double]
                    [--region across|within] [--json] [--device cpu|cuda|emulated]
                                                     time forward and backward against copying the tensor
          lrn experiment [--quick | --full] [options]
                                                     AlexNet's LRN against no normalization and BatchNorm on
                                                     Fashion-MNIST: runs the lrn-experiment tool (needs libtorch;
                                                     lrn experiment --help lists its options)
          lrn --help | --version

        Options for apply and grad:
          --convention NAME     tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper (required)
          --size N              window size n (every convention but tensorflow)
          --depth-radius R      tensorflow's window half-width r (window 2r+1)
          --alpha A             alpha as the convention defines it (divided by n or not: see lrn conventions)
          --beta B              exponent
          --bias K, --k K       additive constant k (bias in TensorFlow and ONNX)
          --region R            across (default) or within: the window runs over spatial neighbours in the same
                                channel (caffe, cudnn and onednn only; see README, "Within channel")
          --layout L            channels-first (N, C, ...) or channels-last (N, ..., C); default channels-last
                                for tensorflow, channels-first for the rest
          --kernel K            auto, vector512, vector256, vector128, scalar or reference (default auto)
          --threads T           -1 for every core (default), or a count

        Unset parameters take the convention's defaults. Files are NumPy .npy, float32 or float64,
        little-endian, C order, rank >= 2. Exit codes: 0 success, 2 bad arguments or input files.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                stdout.Write(Help);
                return args.Length == 0 ? UsageError : Ok;
            }

            string command = args[0];
            string[] rest = args[1..];
            switch (command)
            {
                case "--version":
                    stdout.WriteLine("lrn " + Version());
                    return Ok;
                case "demo":
                    RequireNoArguments(command, rest);
                    Demo.Run(stdout);
                    return Ok;
                case "conventions":
                    RequireNoArguments(command, rest);
                    Conventions(stdout);
                    return Ok;
                case "apply":
                    FileCommands.Apply(CliOptions.Parse(rest), stdout);
                    return Ok;
                case "grad":
                    FileCommands.Grad(CliOptions.Parse(rest), stdout);
                    return Ok;
                case "explain":
                    Explain.Run(rest, stdout);
                    return Ok;
                case "bench":
                    Bench.Run(rest, stdout);
                    return Ok;
                case "experiment":
                    return ExperimentVerb.Run(rest, stdout, stderr);
                default:
                    throw new UsageException($"unknown command '{command}' (see lrn --help)");
            }
        }
        catch (UsageException e)
        {
            return Fail(stderr, e.Message);
        }
        catch (NpyFormatException e)
        {
            return Fail(stderr, e.Message);
        }
        catch (ArgumentException e)
        {
            return Fail(stderr, CliOptions.WithoutParameterSuffix(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, e.Message);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or InvalidOperationException)
        {
            // A kernel this machine cannot run (--kernel vector512 without AVX-512) or a bad LRN_KERNEL: the
            // library's message names the setting.
            return Fail(stderr, e.Message);
        }
    }

    private static int Fail(TextWriter stderr, string message)
    {
        // One line, always: a message with a newline in it would look like two errors.
        stderr.WriteLine("lrn: " + message.ReplaceLineEndings(" "));
        return UsageError;
    }

    private static void RequireNoArguments(string command, string[] rest)
    {
        if (rest.Length > 0)
        {
            throw new UsageException($"{command} takes no arguments, got '{rest[0]}'");
        }
    }

    private static void Conventions(TextWriter stdout)
    {
        stdout.WriteLine("Each convention with its defaults (pytorch, onnx and onednn at n = 4, mxnet at n = 5: they have no default size):");
        foreach (LrnConvention convention in Enum.GetValues<LrnConvention>())
        {
            if (convention == LrnConvention.Canonical)
            {
                continue;
            }

            LrnParameters parameters = convention switch
            {
                LrnConvention.PyTorch or LrnConvention.Onnx => LrnParameters.Create(convention, size: 4),
                LrnConvention.OneDnn => LrnParameters.OneDnn(4, 1e-4, 0.75, 1),
                LrnConvention.MXNet => LrnParameters.Create(convention, size: 5),
                _ => LrnParameters.Create(convention),
            };
            stdout.WriteLine("  " + parameters.Describe());
        }

        stdout.WriteLine("Within channel (--region within; onednn-within at n = 5, alpha 1e-4, beta 0.75, k 1: it has no defaults):");
        foreach (LrnParameters parameters in new[] { LrnParameters.CaffeWithinChannel(), LrnParameters.CuDnnWithinChannel(), LrnParameters.OneDnnWithinChannel(5, 1e-4, 0.75, 1) })
        {
            stdout.WriteLine("  " + parameters.Describe());
        }
    }

    private static string Version() =>
        typeof(LocalResponseNorm).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
