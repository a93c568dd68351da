using System.Globalization;

namespace Lrn.Cli;

/// <summary>The options shared by <c>lrn apply</c> and <c>lrn grad</c>, parsed but not yet validated by the library.</summary>
internal sealed class CliOptions
{
    public List<string> Positionals { get; } = [];

    public string? Convention { get; private set; }

    public int? Size { get; private set; }

    public int? DepthRadius { get; private set; }

    public double? Alpha { get; private set; }

    public double? Beta { get; private set; }

    public double? Bias { get; private set; }

    public LrnLayout? Layout { get; private set; }

    public LrnRegion Region { get; private set; } = LrnRegion.AcrossChannels;

    public LrnKernelKind Kernel { get; private set; } = LrnKernelKind.Auto;

    public int Threads { get; private set; } = -1;

    /// <summary>Parses options and positionals; throws <see cref="UsageException"/> with a one-line message on anything unknown or malformed.</summary>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                options.Positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            string Value()
            {
                if (value is not null)
                {
                    return value;
                }

                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--convention":
                    options.Convention = Value();
                    break;
                case "--size":
                    options.Size = ParseInt(name, Value());
                    break;
                case "--depth-radius":
                    options.DepthRadius = ParseInt(name, Value());
                    break;
                case "--alpha":
                    options.Alpha = ParseDouble(name, Value());
                    break;
                case "--beta":
                    options.Beta = ParseDouble(name, Value());
                    break;
                case "--bias":
                case "--k":
                    options.Bias = ParseDouble(name, Value());
                    break;
                case "--region":
                    options.Region = Value() switch
                    {
                        "across" => LrnRegion.AcrossChannels,
                        "within" => LrnRegion.WithinChannel,
                        string other => throw new UsageException($"--region must be across or within, got '{other}'"),
                    };
                    break;
                case "--layout":
                    options.Layout = Value() switch
                    {
                        "channels-first" => LrnLayout.ChannelsFirst,
                        "channels-last" => LrnLayout.ChannelsLast,
                        string other => throw new UsageException($"--layout must be channels-first or channels-last, got '{other}'"),
                    };
                    break;
                case "--kernel":
                    options.Kernel = ParseKernel(Value());
                    break;
                case "--threads":
                    options.Threads = ParseInt(name, Value());
                    if (options.Threads is 0 or < -1)
                    {
                        throw new UsageException($"--threads must be -1 (all cores) or >= 1, got {options.Threads}");
                    }

                    break;
                default:
                    throw new UsageException($"unknown option {name} (see lrn --help)");
            }
        }

        return options;
    }

    /// <summary>The library's parameters for these options, with the convention's defaults for unset values.</summary>
    public LrnParameters ToParameters()
    {
        if (Convention is null)
        {
            throw new UsageException("--convention is required: one of " + ConventionList);
        }

        if (!LrnParameters.TryParseConvention(Convention, out LrnConvention convention) || convention == LrnConvention.Canonical)
        {
            throw new UsageException($"--convention must be one of {ConventionList}, got '{Convention}'");
        }

        try
        {
            return LrnParameters.Create(convention, Size, DepthRadius, Alpha, Beta, Bias, Region);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"invalid {FlagFor(e.ParamName)}: {WithoutParameterSuffix(e)}");
        }
    }

    /// <summary>The layout to use: the one given, else channels-last for tensorflow and channels-first for the rest.</summary>
    public LrnLayout LayoutFor(LrnParameters parameters) =>
        Layout ?? (parameters.Convention == LrnConvention.TensorFlow ? LrnLayout.ChannelsLast : LrnLayout.ChannelsFirst);

    /// <summary>A kernel name as <c>--kernel</c> takes it: auto, or a kernel's name (vector512, vector256, vector128, scalar, reference).</summary>
    public static LrnKernelKind ParseKernel(string name) =>
        Enum.TryParse(name, ignoreCase: true, out LrnKernelKind kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _)
            ? kind
            : throw new UsageException($"--kernel must be auto, vector512, vector256, vector128, scalar or reference, got '{name}'");

    public LrnOptions ToLrnOptions() => new() { Kernel = Kernel, MaxDegreeOfParallelism = Threads };

    public const string ConventionList = "tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper";

    /// <summary>An ArgumentException's message without the " (Parameter 'x')" that .NET appends.</summary>
    public static string WithoutParameterSuffix(ArgumentException e)
    {
        string message = e.Message;
        int at = e.ParamName is null ? -1 : message.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    // Each convention names its parameters as its framework does; the command line has one flag for each role.
    private static string FlagFor(string? parameter) => parameter switch
    {
        "size" or "localSize" or "nsize" or "lrnN" or "n" => "--size",
        "depthRadius" => "--depth-radius",
        "alpha" or "lrnAlpha" => "--alpha",
        "beta" or "lrnBeta" => "--beta",
        "k" or "bias" or "knorm" or "lrnK" => "--bias",
        "region" => "--region",
        _ => "parameters",
    };

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"{name} must be an integer, got '{text}'");

    private static double ParseDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new UsageException($"{name} must be a number, got '{text}'");
}

/// <summary>A problem with what the user gave: reported as one line on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
