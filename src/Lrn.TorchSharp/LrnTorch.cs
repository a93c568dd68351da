using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using LrnKernels = Lrn.LocalResponseNorm;

namespace Lrn.TorchSharp;

/// <summary>
/// Local Response Normalization on TorchSharp tensors, with autograd. On a tensor that Lrn's kernels can read in place
/// (see <see cref="WhyNotOnLrn"/>) the forward and backward run <see cref="Lrn.LocalResponseNorm"/> directly on the
/// tensor's own memory, without a copy. Anything else goes to libtorch's <c>local_response_norm</c> when the parameters
/// are expressible in PyTorch's convention, and otherwise to Lrn's kernels on a contiguous float32/float64 CPU copy
/// (autograd carries the gradient through the copy).
/// </summary>
public static class LrnTorch
{
    /// <summary>y = LRN(x) under any Lrn convention, differentiable.</summary>
    /// <param name="input">Channels first: (N, C, D1, ..., Dk); rank &gt;= 2 across channels (rank 2 is (N, C), which libtorch refuses), rank &gt;= 3 within.</param>
    /// <param name="parameters">The convention and its parameters.</param>
    /// <param name="options">Lrn's kernel and parallelism; null for <see cref="LrnOptions.Default"/>.</param>
    public static Tensor LocalResponseNorm(Tensor input, LrnParameters parameters, LrnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckRank(input, parameters);
        var call = new LrnCall(parameters, options);
        if (WhyNotOnLrn(input, parameters) is null)
        {
            return LrnFunction.apply(input, call);
        }

        if (TryPyTorch(parameters, out long size, out double alpha))
        {
            return input.dim() == 2
                ? nn.functional.local_response_norm(input.unsqueeze(-1), size, alpha, parameters.Beta, parameters.K).squeeze(-1)
                : nn.functional.local_response_norm(input, size, alpha, parameters.Beta, parameters.K);
        }

        // No libtorch equivalent (an even ONNX window, within channel, ...): Lrn on a contiguous CPU copy in float32
        // (float64 stays float64); the conversions are ordinary autograd operations.
        ScalarType work = input.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        Tensor copy = input.to(work, CPU).contiguous();
        string? refusal = WhyNotOnLrn(copy, parameters);
        if (refusal is not null)
        {
            throw new NotSupportedException($"{parameters.Name} has no libtorch equivalent, and Lrn's kernels cannot take this tensor: {refusal}");
        }

        return LrnFunction.apply(copy, call).to(input.dtype, input.device);
    }

    /// <summary>
    /// Null when <see cref="LocalResponseNorm(Tensor, LrnParameters, LrnOptions?)"/> runs Lrn's kernels on the tensor's
    /// own memory; otherwise why not (the tensor then takes the fallback). Lrn needs a CPU tensor of float32 or float64,
    /// contiguous in the default (row-major) memory format, of at most <see cref="int.MaxValue"/> bytes (a span's limit).
    /// </summary>
    public static string? WhyNotOnLrn(Tensor input, LrnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        if (input.device_type != DeviceType.CPU)
        {
            return $"it is on {input.device_type}, not the CPU";
        }

        if (input.dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            return $"its dtype is {input.dtype}, not Float32 or Float64";
        }

        if (!input.is_contiguous())
        {
            return "it is not contiguous";
        }

        if (input.dim() < MinimumRank(parameters))
        {
            return $"its rank is {input.dim()}, below {MinimumRank(parameters)}";
        }

        if (input.numel() * input.element_size() > int.MaxValue)
        {
            return $"it holds {input.numel() * input.element_size()} bytes, more than a span can address ({int.MaxValue})";
        }

        return null;
    }

    /// <summary>
    /// The (size, alpha) with which libtorch's <c>local_response_norm(x, size, alpha, beta, k)</c> computes the same
    /// as <paramref name="parameters"/>: across channels, with PyTorch's window lo = floor(n/2), hi = floor((n-1)/2),
    /// and alpha = a * n. TensorFlow's windows (odd) map; ONNX's, cuDNN's and oneDNN's even windows and within-channel ones do not.
    /// </summary>
    public static bool TryPyTorch(LrnParameters parameters, out long size, out double alpha)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        int n = parameters.WindowLength;
        if (parameters.Region == LrnRegion.AcrossChannels && parameters.Lo == n / 2 && parameters.Hi == (n - 1) / 2)
        {
            size = n;
            alpha = parameters.A * n;
            return true;
        }

        size = 0;
        alpha = 0;
        return false;
    }

    private static int MinimumRank(LrnParameters parameters) => parameters.Region == LrnRegion.WithinChannel ? 3 : 2;

    private static void CheckRank(Tensor input, LrnParameters parameters)
    {
        if (input.dim() < MinimumRank(parameters))
        {
            throw new ArgumentException(
                $"input must have rank >= {MinimumRank(parameters)} (channels first: N, C, ...) for {parameters.Name}, got shape [{string.Join(", ", input.shape)}]",
                nameof(input));
        }
    }

    internal static LrnShape Shape(Tensor t)
    {
        long[] shape = t.shape;
        var dims = new int[shape.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = checked((int)shape[i]);
        }

        return LrnShape.ChannelsFirst(dims);
    }

    /// <summary>
    /// The tensor's own elements. TorchSharp's <see cref="Tensor.bytes"/> is a span over the CPU data pointer (storage
    /// offset included) of a contiguous tensor; callers have checked dtype, device, contiguity and size.
    /// </summary>
    internal static Span<T> Elements<T>(Tensor t)
        where T : unmanaged
    {
        if (t.numel() == 0)
        {
            return [];
        }

        Span<T> elements = MemoryMarshal.Cast<byte, T>(t.bytes);
        if (elements.Length != t.numel())
        {
            throw new InvalidOperationException($"TorchSharp gave {elements.Length} elements for a tensor of {t.numel()}");
        }

        return elements;
    }

    internal static void Forward(Tensor x, Tensor y, LrnCall call)
    {
        LrnShape shape = Shape(x);
        if (x.dtype == ScalarType.Float64)
        {
            LrnKernels.Forward(Elements<double>(x), Elements<double>(y), shape, call.Parameters, call.Options);
        }
        else
        {
            LrnKernels.Forward(Elements<float>(x), Elements<float>(y), shape, call.Parameters, call.Options);
        }
    }

    internal static void Backward(Tensor x, Tensor y, Tensor dy, Tensor dx, LrnCall call)
    {
        LrnShape shape = Shape(x);
        if (x.dtype == ScalarType.Float64)
        {
            LrnKernels.Backward(Elements<double>(x), Elements<double>(y), Elements<double>(dy), Elements<double>(dx), shape, call.Parameters, call.Options);
        }
        else
        {
            LrnKernels.Backward(Elements<float>(x), Elements<float>(y), Elements<float>(dy), Elements<float>(dx), shape, call.Parameters, call.Options);
        }
    }
}

/// <summary>What one application of <see cref="LrnFunction"/> computes; saved in the autograd context for the backward.</summary>
internal sealed record LrnCall(LrnParameters Parameters, LrnOptions? Options);
