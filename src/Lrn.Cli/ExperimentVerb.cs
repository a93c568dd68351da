using System.Diagnostics;

namespace Lrn.Cli;

/// <summary>
/// <c>lrn experiment ...</c>: hands its arguments to the lrn-experiment tool (src/Lrn.Experiment), which trains with
/// libtorch. The lrn tool does not link libtorch (about 1.3 GB of native files per build output); it starts the
/// experiment as a child process and passes its output and exit code through.
/// </summary>
/// <remarks>
/// Where the experiment is looked for, first match wins:
/// <list type="number">
/// <item>the environment variable <c>LRN_EXPERIMENT</c>: the path of Lrn.Experiment.dll;</item>
/// <item>Lrn.Experiment.dll beside lrn's own assembly (a build output holding both, as the TorchSharp tests' does);</item>
/// <item>a source checkout above lrn's assembly (src/Lrn.Experiment/Lrn.Experiment.csproj): <c>dotnet run</c> on that
/// project, which builds it first if needed.</item>
/// </list>
/// </remarks>
internal static class ExperimentVerb
{
    public const string EnvironmentVariable = "LRN_EXPERIMENT";

    private const string Assembly = "Lrn.Experiment.dll";

    /// <summary>The program and arguments that run the experiment with <paramref name="args"/>; a UsageException saying how to get it when none is found.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Locate(IReadOnlyList<string> args, string? variable, string baseDirectory)
    {
        if (!string.IsNullOrEmpty(variable))
        {
            return File.Exists(variable)
                ? ("dotnet", [Path.GetFullPath(variable), .. args])
                : throw new UsageException($"{EnvironmentVariable} is '{variable}', which is not a file: point it at a built {Assembly}");
        }

        string beside = Path.Combine(baseDirectory, Assembly);
        if (File.Exists(beside))
        {
            return ("dotnet", [beside, .. args]);
        }

        for (DirectoryInfo? d = new(baseDirectory); d is not null; d = d.Parent)
        {
            string project = Path.Combine(d.FullName, "src", "Lrn.Experiment", "Lrn.Experiment.csproj");
            if (File.Exists(project))
            {
                return ("dotnet", ["run", "--project", project, "-c", "Release", "--", .. args]);
            }
        }

        throw new UsageException(
            $"experiment: lrn-experiment was not found (no {EnvironmentVariable}, no {Assembly} beside lrn, no source checkout above it). "
            + "It is a separate tool because it needs libtorch: in a clone of the repository run "
            + "'dotnet run --project src/Lrn.Experiment -c Release -- --quick', or set "
            + $"{EnvironmentVariable} to a built {Assembly}");
    }

    /// <summary>
    /// Runs the experiment and returns its exit code. Writing to the console, the child inherits lrn's own standard
    /// output and error: its progress bars then see a terminal, and no pipe is left for a build server that
    /// <c>dotnet run</c> may start (and that would keep a pipe open after the experiment ends) to hold. Other writers
    /// (tests) get its output copied as it comes.
    /// </summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        (string fileName, IReadOnlyList<string> arguments) = Locate(args, Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);
        bool console = stdout == Console.Out && stderr == Console.Error;
        var start = new ProcessStartInfo(DotnetHost(fileName))
        {
            RedirectStandardOutput = !console,
            RedirectStandardError = !console,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new UsageException($"experiment: could not start {start.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"experiment: could not start {start.FileName} ({e.Message}); is the .NET SDK's dotnet on PATH?");
        }

        using (process)
        {
            if (console)
            {
                process.WaitForExit();
                return process.ExitCode;
            }

            // Copied in chunks, not lines: the progress bars redraw one line with carriage returns.
            Task output = Copy(process.StandardOutput, stdout);
            Task error = Copy(process.StandardError, stderr);
            process.WaitForExit();
            Task.WaitAll(output, error);
            return process.ExitCode;
        }
    }

    /// <summary>The dotnet host lrn itself runs under, when it does (a framework-dependent lrn started by dotnet), else "dotnet" from PATH.</summary>
    private static string DotnetHost(string fileName) =>
        fileName == "dotnet" && Environment.ProcessPath is string host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : fileName;

    private static async Task Copy(StreamReader from, TextWriter to)
    {
        char[] buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, read);
                to.Flush();
            }
        }
    }
}
