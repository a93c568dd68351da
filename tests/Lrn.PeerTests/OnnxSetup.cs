using Lrn.Peers;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lrn.PeerTests;

/// <summary>Names the ONNX Runtime release in the run's output (xunit diagnostic messages, enabled in xunit.runner.json).</summary>
public sealed class OnnxSetup
{
    public OnnxSetup(IMessageSink diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        Version = OnnxLrn.RuntimeVersion;
        diagnostics.OnMessage(new DiagnosticMessage($"peer: ONNX Runtime {Version} (CPU execution provider), LRN models of opset {OnnxLrn.Opset}, IR version {OnnxLrn.IrVersion}"));
    }

    public string Version { get; }
}
