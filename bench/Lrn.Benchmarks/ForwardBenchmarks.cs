using BenchmarkDotNet.Attributes;
using Lrn.Peers;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Lrn.Benchmarks;

/// <summary>
/// Forward, float32, channels-first, n = 5, alpha 1e-4, beta 0.75, k 2 (AlexNet's norm1 in PyTorch/ONNX terms):
/// Lrn against copying the tensor (the baseline), Lrn's reference kernel, ONNX Runtime's LRN and libtorch's
/// local_response_norm, all with every core. Setup checks that each peer agrees with Lrn on the data.
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private LrnShape _shape = LrnShape.ChannelsFirst(1, 1);
    private readonly LrnParameters _p = LrnParameters.PyTorch(5, alpha: 1e-4, beta: 0.75, k: 2);
    private InferenceSession? _onnx;
    private OrtValue? _onnxIn;
    private OrtValue? _onnxOut;
    private Tensor? _torchIn;
    private readonly RunOptions _runOptions = new();

    [Params("alexnet-norm1", "alexnet-norm2", "googlenet", "large", "small")]
    public string Shape { get; set; } = "alexnet-norm1";

    [GlobalSetup]
    public void Setup()
    {
        int[] dims = Tensors.Shapes[Shape];
        _shape = LrnShape.ChannelsFirst(dims);
        _x = Tensors.Random(_shape.ElementCount, 1);
        _y = new float[_x.Length];
        LocalResponseNorm.Forward(_x, _y, _shape, _p);

        long[] longDims = [.. dims.Select(d => (long)d)];
        var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        _onnx = new InferenceSession(OnnxLrn.BuildModel(5, 1e-4f, 0.75f, 2f, dims), options);
        _onnxIn = OrtValue.CreateTensorValueFromMemory(_x, longDims);
        _onnxOut = OrtValue.CreateTensorValueFromMemory(new float[_x.Length], longDims);
        OnnxRuntime();
        Tensors.RequireAgreement(_y, _onnxOut.GetTensorDataAsSpan<float>(), "ONNX Runtime");

        TorchLoader.EnsureLoaded();
        torch.set_num_threads(Environment.ProcessorCount);
        _torchIn = torch.tensor(_x, longDims);
        using Tensor torchY = nn.functional.local_response_norm(_torchIn, 5, 1e-4, 0.75, 2).contiguous();
        Tensors.RequireAgreement(_y, torchY.data<float>().ToArray(), "libtorch");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _onnxIn?.Dispose();
        _onnxOut?.Dispose();
        _onnx?.Dispose();
        _torchIn?.Dispose();
        _runOptions.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Copy() => Tensors.ParallelCopy(_x, _y);

    [Benchmark]
    public void Lrn() => LocalResponseNorm.Forward(_x, _y, _shape, _p);

    [Benchmark]
    public void LrnReference() => LocalResponseNorm.Forward(_x, _y, _shape, _p, new LrnOptions { Kernel = LrnKernelKind.Reference });

    [Benchmark]
    public void OnnxRuntime() => _onnx!.Run(_runOptions, ["x"], [_onnxIn!], ["y"], [_onnxOut!]);

    [Benchmark]
    public void LibTorch()
    {
        using Tensor y = nn.functional.local_response_norm(_torchIn!, 5, 1e-4, 0.75, 2);
    }
}
