namespace Lrn.Cli;

/// <summary><c>lrn apply</c> and <c>lrn grad</c>: .npy in, .npy out. Every input is read and checked before the output is written.</summary>
internal static class FileCommands
{
    public static void Apply(CliOptions options, TextWriter stdout)
    {
        RequirePositionals(options, "apply", "INPUT.npy OUTPUT.npy");
        LrnParameters parameters = options.ToParameters();
        NpyArray x = Npy.Read(options.Positionals[0]);
        LrnShape shape = ShapeOf(x, options.LayoutFor(parameters), options.Positionals[0]);
        string output = options.Positionals[1];
        if (x.DType == NpyDType.Float32)
        {
            var y = new float[x.Float32!.Length];
            LocalResponseNorm.Forward(x.Float32, y, shape, parameters, options.ToLrnOptions());
            Npy.Write(output, x.Shape, y);
        }
        else
        {
            var y = new double[x.Float64!.Length];
            LocalResponseNorm.Forward(x.Float64, y, shape, parameters, options.ToLrnOptions());
            Npy.Write(output, x.Shape, y);
        }

        stdout.WriteLine($"wrote {output}: {Describe(x)}, {parameters.Describe()}, {shape.Layout}");
    }

    public static void Grad(CliOptions options, TextWriter stdout)
    {
        RequirePositionals(options, "grad", "INPUT.npy GRAD_OUTPUT.npy OUTPUT.npy");
        LrnParameters parameters = options.ToParameters();
        NpyArray x = Npy.Read(options.Positionals[0]);
        NpyArray dy = Npy.Read(options.Positionals[1]);
        LrnShape shape = ShapeOf(x, options.LayoutFor(parameters), options.Positionals[0]);
        if (dy.DType != x.DType || !dy.Shape.AsSpan().SequenceEqual(x.Shape))
        {
            throw new UsageException(
                $"GRAD_OUTPUT must have the input's dtype and shape ({Describe(x)}), got {Describe(dy)} in {options.Positionals[1]}");
        }

        string output = options.Positionals[2];
        if (x.DType == NpyDType.Float32)
        {
            var dx = new float[x.Float32!.Length];
            LocalResponseNorm.Backward(x.Float32, dy.Float32, dx, shape, parameters, options.ToLrnOptions());
            Npy.Write(output, x.Shape, dx);
        }
        else
        {
            var dx = new double[x.Float64!.Length];
            LocalResponseNorm.Backward(x.Float64, dy.Float64, dx, shape, parameters, options.ToLrnOptions());
            Npy.Write(output, x.Shape, dx);
        }

        stdout.WriteLine($"wrote {output}: {Describe(x)}, {parameters.Describe()}, {shape.Layout}");
    }

    private static void RequirePositionals(CliOptions options, string command, string usage)
    {
        int expected = usage.Split(' ').Length;
        if (options.Positionals.Count != expected)
        {
            throw new UsageException($"{command} takes {expected} file names ({usage}), got {options.Positionals.Count}");
        }
    }

    private static LrnShape ShapeOf(NpyArray array, LrnLayout layout, string path)
    {
        if (array.Shape.Length < 2)
        {
            throw new UsageException($"{path}: LRN needs rank >= 2 (batch and channels), got shape ({string.Join(", ", array.Shape)})");
        }

        return new LrnShape(layout, array.Shape);
    }

    private static string Describe(NpyArray array) =>
        $"{(array.DType == NpyDType.Float32 ? "float32" : "float64")} ({string.Join(", ", array.Shape)})";
}
