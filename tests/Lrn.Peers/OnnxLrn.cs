using Microsoft.ML.OnnxRuntime;

namespace Lrn.Peers;

/// <summary>
/// ONNX Runtime's LRN: a one-node ONNX model built in code (opset 13, float32 input and output of rank 4),
/// run through a reused <see cref="InferenceSession"/> on the CPU execution provider.
/// <para>
/// ONNX Runtime's CPU kernel checks its attributes when the session is created: an even <c>size</c> (which the
/// ONNX spec allows) makes the constructor throw an <see cref="OnnxRuntimeException"/>.
/// </para>
/// </summary>
public sealed class OnnxLrn : IDisposable
{
    /// <summary>The opset the model imports; LRN's current definition dates from opset 13.</summary>
    public const int Opset = 13;

    /// <summary>ONNX IR version 8 (2021-07-30), which opset 13 models may use.</summary>
    public const int IrVersion = 8;

    private const string InputName = "x";
    private const string OutputName = "y";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    /// <summary>
    /// Builds the model and opens a session. An attribute left null is left out of the model, so ONNX's default
    /// applies (alpha 1e-4, beta 0.75, bias 1).
    /// </summary>
    /// <param name="size">The LRN <c>size</c> attribute.</param>
    /// <param name="alpha">The <c>alpha</c> attribute, or null for ONNX's default.</param>
    /// <param name="beta">The <c>beta</c> attribute, or null for ONNX's default.</param>
    /// <param name="bias">The <c>bias</c> attribute, or null for ONNX's default.</param>
    /// <param name="shape">A fixed input shape (4 dims), or null for symbolic dims N, C, H, W so one session runs any 4-D shape.</param>
    /// <param name="intraOpThreads">ONNX Runtime's intra-op thread count; 0 lets it choose.</param>
    public OnnxLrn(int size, float? alpha = null, float? beta = null, float? bias = null, IReadOnlyList<int>? shape = null, int intraOpThreads = 1)
    {
        Model = BuildModel(size, alpha, beta, bias, shape);
        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        _session = new InferenceSession(Model, options);
    }

    /// <summary>The serialized ModelProto this session runs.</summary>
    public byte[] Model { get; }

    /// <summary>ONNX Runtime's own version string, for example "1.31.1".</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Runs the model on a contiguous row-major float32 tensor of the given 4-D shape and returns y.</summary>
    public float[] Run(float[] x, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        long[] dims = [.. shape.Select(d => (long)d)];
        long count = dims.Aggregate(1L, (p, d) => p * d);
        if (dims.Length != 4 || count != x.Length)
        {
            throw new ArgumentException($"shape must have 4 dims whose product is x.Length ({x.Length}), got [{string.Join(", ", shape)}]", nameof(shape));
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(x, dims);
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, [InputName], [input], [OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// The ModelProto bytes of one LRN node. Field numbers are those of onnx/onnx.proto:
    /// ModelProto{ir_version 1, graph 7, opset_import 8}, OperatorSetIdProto{domain 1, version 2},
    /// GraphProto{node 1, name 2, input 11, output 12}, NodeProto{input 1, output 2, name 3, op_type 4, attribute 5},
    /// AttributeProto{name 1, f 2, i 3, type 20 (FLOAT 1, INT 2)}, ValueInfoProto{name 1, type 2},
    /// TypeProto{tensor_type 1}, TypeProto.Tensor{elem_type 1 (FLOAT 1), shape 2}, TensorShapeProto{dim 1},
    /// Dimension{dim_value 1, dim_param 2}.
    /// </summary>
    public static byte[] BuildModel(int size, float? alpha = null, float? beta = null, float? bias = null, IReadOnlyList<int>? shape = null)
    {
        if (shape is not null && shape.Count != 4)
        {
            throw new ArgumentException($"shape must have 4 dims, got {shape.Count}", nameof(shape));
        }

        var node = new ProtoWriter()
            .String(1, InputName)
            .String(2, OutputName)
            .String(3, "lrn")
            .String(4, "LRN")
            .Message(5, IntAttribute("size", size));
        if (alpha is float a)
        {
            node.Message(5, FloatAttribute("alpha", a));
        }

        if (beta is float b)
        {
            node.Message(5, FloatAttribute("beta", b));
        }

        if (bias is float k)
        {
            node.Message(5, FloatAttribute("bias", k));
        }

        var graph = new ProtoWriter()
            .Message(1, node)
            .String(2, "lrn_graph")
            .Message(11, FloatTensorValue(InputName, shape))
            .Message(12, FloatTensorValue(OutputName, shape));
        var opset = new ProtoWriter().String(1, "").Varint(2, Opset);
        return new ProtoWriter()
            .Varint(1, IrVersion)
            .String(2, "Lrn.Peers")
            .Message(7, graph)
            .Message(8, opset)
            .ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int ElementFloat = 1;

    private static ProtoWriter IntAttribute(string name, long value) =>
        new ProtoWriter().String(1, name).Varint(3, value).Varint(20, AttributeInt);

    private static ProtoWriter FloatAttribute(string name, float value) =>
        new ProtoWriter().String(1, name).Float(2, value).Varint(20, AttributeFloat);

    private static ProtoWriter FloatTensorValue(string name, IReadOnlyList<int>? shape)
    {
        var dims = new ProtoWriter();
        string[] symbols = ["N", "C", "H", "W"];
        for (int i = 0; i < 4; i++)
        {
            dims.Message(1, shape is null ? new ProtoWriter().String(2, symbols[i]) : new ProtoWriter().Varint(1, shape[i]));
        }

        var tensorType = new ProtoWriter().Varint(1, ElementFloat).Message(2, dims);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
