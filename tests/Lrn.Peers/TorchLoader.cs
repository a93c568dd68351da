using TorchSharp;

namespace Lrn.Peers;

/// <summary>
/// Loads libtorch (through TorchSharp's native LibTorchSharp) once, or says clearly why it cannot.
/// Call <see cref="EnsureLoaded"/> before any torch call: a failure then reads as a set-up problem with the fix,
/// instead of a TypeInitializationException deep inside a test.
/// </summary>
public static class TorchLoader
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libtorch for the CPU and returns a line naming the versions; throws <see cref="InvalidOperationException"/> if it cannot load.</summary>
    public static string EnsureLoaded() => Loaded.Value;

    private static string Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.ones(2);
            return $"TorchSharp {typeof(torch).Assembly.GetName().Version} with libtorch {torch.__version__} (CPU)";
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "libtorch (TorchSharp-cpu) could not be loaded, so the peer tests against PyTorch cannot run. "
                + "On Linux the usual cause is a libstdc++ older than the one libLibTorchSharp.so was linked against "
                + "(it asks for GLIBCXX_3.4.32; Debian 12 has up to 3.4.30). The build step in tests/Lrn.Peers/TorchSharpGlibcxx.targets "
                + "fixes the copy in the build output: check that the test project imports it, that python3 is on PATH, and the build log "
                + "line 'glibcxx_marker_fix: ...'. See docs/peers.md. Cause: " + Describe(e),
                e);
        }
    }

    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            parts.Add($"{inner.GetType().Name}: {inner.Message}");
        }

        return string.Join(" <- ", parts);
    }
}
