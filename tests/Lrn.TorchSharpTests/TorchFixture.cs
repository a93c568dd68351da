using Lrn.Peers;
using TorchSharp;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lrn.TorchSharpTests;

/// <summary>
/// Loads libtorch once and pins it to one thread (the inputs are small). If libtorch cannot load, every test of the
/// class fails with the reason (see <see cref="TorchLoader"/>); nothing skips.
/// </summary>
public sealed class TorchFixture
{
    public TorchFixture(IMessageSink diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        Versions = TorchLoader.EnsureLoaded();
        torch.set_num_threads(1);
        diagnostics.OnMessage(new DiagnosticMessage($"Lrn.TorchSharpTests: {Versions}, {torch.get_num_threads()} thread"));
    }

    public string Versions { get; }
}
