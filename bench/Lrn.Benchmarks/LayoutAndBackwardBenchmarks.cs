using BenchmarkDotNet.Attributes;
using Lrn.Peers;
using TorchSharp;
using static TorchSharp.torch;

namespace Lrn.Benchmarks;

/// <summary>Channels-last forward (ONNX Runtime and libtorch's functional LRN have no channels-last path), against the copy.</summary>
[MemoryDiagnoser]
public class ChannelsLastBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private LrnShape _shape = LrnShape.ChannelsLast(1, 1);
    private readonly LrnParameters _p = LrnParameters.PyTorch(5, alpha: 1e-4, beta: 0.75, k: 2);

    [Params("alexnet-norm1", "alexnet-norm2", "googlenet", "large", "small")]
    public string Shape { get; set; } = "alexnet-norm1";

    [GlobalSetup]
    public void Setup()
    {
        _shape = LrnShape.ChannelsLast(Tensors.ChannelsLast(Tensors.Shapes[Shape]));
        _x = Tensors.Random(_shape.ElementCount, 2);
        _y = new float[_x.Length];
    }

    [Benchmark(Baseline = true)]
    public void Copy() => Tensors.ParallelCopy(_x, _y);

    [Benchmark]
    public void Lrn() => LocalResponseNorm.Forward(_x, _y, _shape, _p);
}

/// <summary>
/// Backward, float32, channels-first: Lrn's dx from (x, dy) against an element-wise dx = x + dy over the same
/// tensors (the baseline), and libtorch's autograd (its forward and backward: autograd needs the forward's graph)
/// against Lrn's forward plus backward.
/// </summary>
[MemoryDiagnoser]
public class BackwardBenchmarks
{
    private float[] _x = [];
    private float[] _dy = [];
    private float[] _y = [];
    private float[] _dx = [];
    private LrnShape _shape = LrnShape.ChannelsFirst(1, 1);
    private readonly LrnParameters _p = LrnParameters.PyTorch(5, alpha: 1e-4, beta: 0.75, k: 2);
    private Tensor? _torchX;
    private Tensor? _torchDy;

    [Params("alexnet-norm1", "alexnet-norm2", "googlenet", "large", "small")]
    public string Shape { get; set; } = "alexnet-norm1";

    [GlobalSetup]
    public void Setup()
    {
        int[] dims = Tensors.Shapes[Shape];
        _shape = LrnShape.ChannelsFirst(dims);
        _x = Tensors.Random(_shape.ElementCount, 3);
        _dy = Tensors.Random(_shape.ElementCount, 4);
        _y = new float[_x.Length];
        _dx = new float[_x.Length];
        LocalResponseNorm.Backward(_x, _dy, _dx, _shape, _p);

        TorchLoader.EnsureLoaded();
        torch.set_num_threads(Environment.ProcessorCount);
        long[] longDims = [.. dims.Select(d => (long)d)];
        _torchX = torch.tensor(_x, longDims).requires_grad_(true);
        _torchDy = torch.tensor(_dy, longDims);
        TorchForwardBackward();
        Tensors.RequireAgreement(_dx, _torchX.grad!.contiguous().data<float>().ToArray(), "libtorch autograd");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchX?.Dispose();
        _torchDy?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Add() => Tensors.ParallelAdd(_x, _dy, _dx);

    [Benchmark]
    public void Lrn() => LocalResponseNorm.Backward(_x, _dy, _dx, _shape, _p);

    [Benchmark]
    public void LrnForwardAndBackward()
    {
        LocalResponseNorm.Forward(_x, _y, _shape, _p);
        LocalResponseNorm.Backward(_x, _y, _dy, _dx, _shape, _p);
    }

    [Benchmark]
    public void TorchForwardBackward()
    {
        _torchX!.grad?.zero_();
        using Tensor y = nn.functional.local_response_norm(_torchX, 5, 1e-4, 0.75, 2);
        y.backward([_torchDy!]);
    }
}

/// <summary>Within-channel forward (cuDNN's convention: k, alpha / n^2) on AlexNet norm1, n = 3 and 5, against the copy.</summary>
[MemoryDiagnoser]
public class WithinChannelBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private readonly LrnShape _shape = LrnShape.ChannelsFirst(Tensors.Shapes["alexnet-norm1"]);
    private LrnParameters _p = LrnParameters.CuDnnWithinChannel(5);

    [Params(3, 5)]
    public int Size { get; set; } = 5;

    [GlobalSetup]
    public void Setup()
    {
        _p = LrnParameters.CuDnnWithinChannel(Size, lrnAlpha: 1e-4, lrnBeta: 0.75, lrnK: 2);
        _x = Tensors.Random(_shape.ElementCount, 5);
        _y = new float[_x.Length];
    }

    [Benchmark(Baseline = true)]
    public void Copy() => Tensors.ParallelCopy(_x, _y);

    [Benchmark]
    public void Lrn() => LocalResponseNorm.Forward(_x, _y, _shape, _p);
}
