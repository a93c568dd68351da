using Lrn.Peers;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lrn.PeerTests;

/// <summary>
/// Loads libtorch once for the libtorch tests and runs it on one thread (the inputs are small, and the test
/// classes run in parallel). If libtorch cannot load, this throws, and xunit fails every test of the class with
/// the reason: the peer tests never skip. Prints the versions and the tolerances into the run's output
/// (xunit diagnostic messages, enabled in xunit.runner.json).
/// </summary>
public sealed class TorchSetup
{
    public TorchSetup(IMessageSink diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        diagnostics.OnMessage(new DiagnosticMessage(PeerTolerance.Describe()));
        Versions = TorchLoader.EnsureLoaded();
        TorchLrn.SetThreads(1);
        diagnostics.OnMessage(new DiagnosticMessage($"peer: {Versions}, {TorchLrn.Threads} thread"));
    }

    public string Versions { get; }
}
