using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Lrn.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project bench/Lrn.Benchmarks -- --filter '*'
    /// A short job (3 warm-ups, 7 iterations): the machine this was written on is shared and small, and the ratios
    /// to the copy in the same run are what the results report.
    /// </summary>
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(7).WithLaunchCount(1))
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
