using Lrn.Cli;

namespace Lrn.Tests;

/// <summary>
/// Where <c>lrn experiment</c> finds the lrn-experiment tool, and what it says when there is none. The run itself (a child
/// process training with libtorch) is tested in Lrn.TorchSharpTests, whose build output holds both tools.
/// </summary>
public sealed class ExperimentVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lrn-experiment-verb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Make(params string[] parts)
    {
        string path = Path.Combine([_dir, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void The_environment_variable_wins_and_must_name_a_file()
    {
        string dll = Make("elsewhere", "Lrn.Experiment.dll");
        Make("tool", "Lrn.Experiment.dll");
        (string file, IReadOnlyList<string> arguments) = ExperimentVerb.Locate(["--quick", "--out", "x"], dll, Path.Combine(_dir, "tool"));
        Assert.Equal("dotnet", file);
        Assert.Equal([dll, "--quick", "--out", "x"], arguments);

        var e = Assert.Throws<UsageException>(() => ExperimentVerb.Locate(["--quick"], Path.Combine(_dir, "missing.dll"), _dir));
        Assert.Contains("LRN_EXPERIMENT", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing.dll", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_beside_lrn_comes_before_a_checkout_above_it()
    {
        Make("src", "Lrn.Experiment", "Lrn.Experiment.csproj");
        string tool = Path.Combine(_dir, "src", "Lrn.Cli", "bin", "Release", "net10.0");
        Directory.CreateDirectory(tool);
        (string file, IReadOnlyList<string> arguments) = ExperimentVerb.Locate(["plot", "d"], null, tool);
        Assert.Equal("dotnet", file);
        Assert.Equal(["run", "--project", Path.Combine(_dir, "src", "Lrn.Experiment", "Lrn.Experiment.csproj"), "-c", "Release", "--", "plot", "d"], arguments);

        string beside = Make("src", "Lrn.Cli", "bin", "Release", "net10.0", "Lrn.Experiment.dll");
        (_, arguments) = ExperimentVerb.Locate(["plot", "d"], "", tool);
        Assert.Equal([beside, "plot", "d"], arguments);
    }

    [Fact]
    public void Without_the_tool_lrn_says_how_to_get_it_in_one_line_and_exits_2()
    {
        string lonely = Path.Combine(_dir, "installed", "tools");
        Directory.CreateDirectory(lonely);
        var e = Assert.Throws<UsageException>(() => ExperimentVerb.Locate(["--quick"], null, lonely));
        Assert.Contains("dotnet run --project src/Lrn.Experiment -c Release -- --quick", e.Message, StringComparison.Ordinal);
        Assert.Contains("libtorch", e.Message, StringComparison.Ordinal);

        // Through the command line, with LRN_EXPERIMENT pointing nowhere: exit code 2 and one line naming the variable.
        string? saved = Environment.GetEnvironmentVariable(ExperimentVerb.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ExperimentVerb.EnvironmentVariable, Path.Combine(_dir, "nowhere.dll"));
            var stderr = new StringWriter();
            Assert.Equal(CommandLine.UsageError, CommandLine.Run(["experiment", "--quick"], new StringWriter(), stderr));
            Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
            Assert.StartsWith("lrn: LRN_EXPERIMENT is ", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ExperimentVerb.EnvironmentVariable, saved);
        }
    }
}
