using Lrn.GpuChecks;

namespace Lrn.Gpu.Tests;

/// <summary>One ILGPU CPU accelerator for the whole class: it emulates GPU threads, so the shapes stay small.</summary>
public sealed class EmulatedGpu : IDisposable
{
    public LrnGpu Gpu { get; } = LrnGpu.CpuEmulation();

    public void Dispose() => Gpu.Dispose();
}

/// <summary>
/// Every GPU kernel (across channels direct and ring, within channel; forward, backward with and without y; float32
/// and float64; both layouts; ranks 2 to 5; every convention) against Lrn's reference kernel, on ILGPU's CPU
/// accelerator. The same cases run on a real GPU through <c>lrn-gpu check</c> (gpu/run-on-device.sh).
/// </summary>
public sealed class GpuConformanceTests(EmulatedGpu emulated) : IClassFixture<EmulatedGpu>
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, GpuCases.All(large: false).Count())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gpu_kernels_agree_with_the_reference(int index)
    {
        GpuCase c = GpuCases.All(large: false).ElementAt(index);
        string? failure = GpuCases.Check(emulated.Gpu, c);
        Assert.True(failure is null, $"{c}: {failure}");
    }

    [Fact]
    public void The_strategy_that_runs_is_named()
    {
        var across = LrnParameters.PyTorch(5);
        emulated.Gpu.Kernel = LrnGpuKernel.Auto;
        Assert.Equal("gpu-ring", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 8, 4, 4), across));
        Assert.Equal("gpu-direct", emulated.Gpu.KernelName(LrnShape.ChannelsLast(1, 4, 4, 8), across));
        Assert.Equal("gpu-direct", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 40, 4, 4), LrnParameters.PyTorch(33)));
        Assert.Equal("gpu-within-rows", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 8, 4, 4), LrnParameters.CaffeWithinChannel(3)));
        Assert.Equal("gpu-within-direct", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 8, 4, 4), LrnParameters.CaffeWithinChannel(3), backward: true));
        Assert.Equal("gpu-within-direct", emulated.Gpu.KernelName(LrnShape.ChannelsLast(1, 4, 4, 8), LrnParameters.CaffeWithinChannel(3)));
        Assert.Equal("gpu-within-direct", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 8, 4, 4, 4), LrnParameters.CaffeWithinChannel(3)));
        emulated.Gpu.Kernel = LrnGpuKernel.Direct;
        Assert.Equal("gpu-direct", emulated.Gpu.KernelName(LrnShape.ChannelsFirst(1, 8, 4, 4), across));
        emulated.Gpu.Kernel = LrnGpuKernel.Auto;
    }

    [Fact]
    public void The_article_example_gives_its_hand_derived_values()
    {
        // SPEC.md section 2: ones [2,2,3,3] channels-last, TensorFlow depth_radius 1, bias 0, alpha 1, beta 1: each of
        // the two channels sees both, s = 2, y = 1/2.
        var shape = LrnShape.ChannelsLast(2, 3, 3, 2);
        float[] x = [.. Enumerable.Repeat(1f, 36)], y = new float[36];
        emulated.Gpu.Forward(x, y, shape, LrnParameters.TensorFlow(depthRadius: 1, bias: 0, alpha: 1, beta: 1));
        Assert.All(y, v => Assert.Equal(0.5f, v));
    }

    [Fact]
    public void Host_forward_runs_in_place()
    {
        var shape = LrnShape.ChannelsFirst(1, 3, 2);
        var p = LrnParameters.Canonical(1, 1, 1, 1, 1);
        float[] x = [1, 2, 3, 4, 5, 6];
        float[] expected = new float[6];
        LocalResponseNorm.Forward(x, expected, shape, p, new LrnOptions { Kernel = LrnKernelKind.Reference });
        emulated.Gpu.Forward(x, x, shape, p);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Device_views_that_overlap_are_refused_before_anything_runs()
    {
        var shape = LrnShape.ChannelsFirst(1, 4, 2);
        using var buffer = emulated.Gpu.Accelerator.Allocate1D<float>(12);
        ILGPU.ArrayView<float> all = buffer.View;
        var e = Assert.Throws<ArgumentException>(() => emulated.Gpu.Forward(all.SubView(0, 8), all.SubView(4, 8), shape, LrnParameters.PyTorch(3)));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("must not overlap x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_lengths_name_the_argument()
    {
        var shape = LrnShape.ChannelsFirst(1, 4, 2);
        var e = Assert.Throws<ArgumentException>(() => emulated.Gpu.Forward(new float[8], new float[7], shape, LrnParameters.PyTorch(3)));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("element count 8", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => emulated.Gpu.Backward(new float[8], new float[9], new float[8], shape, LrnParameters.PyTorch(3)));
        Assert.Equal("dy", e.ParamName);
    }

    [Fact]
    public void Within_channel_beyond_three_spatial_axes_is_refused_naming_the_shape()
    {
        var shape = LrnShape.ChannelsFirst(1, 2, 2, 2, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => emulated.Gpu.Forward(new float[64], new float[64], shape, LrnParameters.CaffeWithinChannel(3)));
        Assert.Equal("shape", e.ParamName);
        Assert.Contains("1 to 3 spatial axes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_cuda_device_cuda_says_so_and_names_the_alternatives()
    {
        if (LrnGpu.FindCuda() is not null)
        {
            return; // a machine with an NVIDIA GPU: gpu/run-on-device.sh covers it
        }

        var e = Assert.Throws<InvalidOperationException>(() => LrnGpu.Cuda());
        Assert.Contains("no CUDA device", e.Message, StringComparison.Ordinal);
        Assert.Contains("CpuEmulation", e.Message, StringComparison.Ordinal);
    }
}
