namespace Lrn.Experiment;

internal static class Program
{
    private static int Main(string[] args) => ExperimentCommand.Run(args, Console.Out, Console.Error);
}
