using BenchmarkDotNet.Attributes;

namespace Lrn.Benchmarks;

/// <summary>
/// Issue 3's targets side by side in one class, so that every ratio comes from the same run: the float32
/// channels-first forward (n = 5, alpha 1e-4, beta 0.75, k 2) against the copy, and its variants: another exponent
/// (0.6), a wide window (n = 31), channels-last, float64 data, one thread instead of every core; the backward (dx
/// from x and dy) with the element-wise add it is measured against. Random data in [-1, 1]; the channels-last cases
/// read the same values as (N, H, W, C).
/// </summary>
[MemoryDiagnoser]
public class TargetBenchmarks
{
    private static readonly LrnParameters Alexnet = LrnParameters.PyTorch(5, alpha: 1e-4, beta: 0.75, k: 2);
    private static readonly LrnParameters Beta06 = LrnParameters.PyTorch(5, alpha: 1e-4, beta: 0.6, k: 2);
    private static readonly LrnParameters Window31 = LrnParameters.PyTorch(31, alpha: 1e-4, beta: 0.75, k: 2);
    private static readonly LrnOptions OneThread = new() { MaxDegreeOfParallelism = 1 };
    private float[] _x = [];
    private float[] _dy = [];
    private float[] _y = [];
    private float[] _dx = [];
    private double[] _xd = [];
    private double[] _yd = [];
    private LrnShape _shape = LrnShape.ChannelsFirst(1, 1);
    private LrnShape _last = LrnShape.ChannelsLast(1, 1);

    [Params("alexnet-norm1", "large")]
    public string Shape { get; set; } = "alexnet-norm1";

    [GlobalSetup]
    public void Setup()
    {
        int[] dims = Tensors.Shapes[Shape];
        _shape = LrnShape.ChannelsFirst(dims);
        _last = LrnShape.ChannelsLast(Tensors.ChannelsLast(dims));
        _x = Tensors.Random(_shape.ElementCount, 5);
        _dy = Tensors.Random(_shape.ElementCount, 6);
        _y = new float[_x.Length];
        _dx = new float[_x.Length];
        _xd = [.. _x.Select(v => (double)v)];
        _yd = new double[_x.Length];
    }

    [Benchmark(Baseline = true)]
    public void Copy() => Tensors.ParallelCopy(_x, _y);

    [Benchmark]
    public void Forward() => LocalResponseNorm.Forward(_x, _y, _shape, Alexnet);

    [Benchmark]
    public void ForwardBeta06() => LocalResponseNorm.Forward(_x, _y, _shape, Beta06);

    [Benchmark]
    public void ForwardN31() => LocalResponseNorm.Forward(_x, _y, _shape, Window31);

    [Benchmark]
    public void ForwardChannelsLast() => LocalResponseNorm.Forward(_x, _y, _last, Alexnet);

    [Benchmark]
    public void ForwardFloat64() => LocalResponseNorm.Forward(_xd, _yd, _shape, Alexnet);

    /// <summary>
    /// Copying the float64 tensor: the float64 forward moves twice the float32 bytes, and on AlexNet norm1 its x and y
    /// (37 MB) no longer fit the 32 MB L3 that holds the float32 ones (19 MB), so this copy alone bounds how close
    /// float64 can come to the float32 forward.
    /// </summary>
    [Benchmark]
    public void CopyFloat64() => Tensors.ParallelCopy(_xd, _yd);

    [Benchmark]
    public void ForwardOneThread() => LocalResponseNorm.Forward(_x, _y, _shape, Alexnet, OneThread);

    [Benchmark]
    public void Add() => Tensors.ParallelAdd(_x, _dy, _dx);

    [Benchmark]
    public void Backward() => LocalResponseNorm.Backward(_x, _dy, _dx, _shape, Alexnet);

    [Benchmark]
    public void BackwardChannelsLast() => LocalResponseNorm.Backward(_x, _dy, _dx, _last, Alexnet);
}
