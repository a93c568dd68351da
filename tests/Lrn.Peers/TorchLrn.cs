using TorchSharp;
using static TorchSharp.torch;

namespace Lrn.Peers;

/// <summary>
/// libtorch's <c>torch.nn.functional.local_response_norm(input, size, alpha, beta, k)</c> on contiguous row-major
/// arrays (channels first, rank &gt;= 3), forward, and backward through autograd: x.requires_grad, y.backward(dy), x.grad.
/// Every call loads libtorch first (<see cref="TorchLoader.EnsureLoaded"/>) and frees its tensors before returning.
/// </summary>
public static class TorchLrn
{
    /// <summary>Sets libtorch's intra-op thread count (torch.set_num_threads).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        TorchLoader.EnsureLoaded();
        torch.set_num_threads(threads);
    }

    /// <summary>libtorch's intra-op thread count (torch.get_num_threads).</summary>
    public static int Threads
    {
        get
        {
            TorchLoader.EnsureLoaded();
            return torch.get_num_threads();
        }
    }

    /// <summary>y = local_response_norm(x) in float32.</summary>
    public static float[] Forward(float[] x, IReadOnlyList<int> shape, int size, double alpha = 1e-4, double beta = 0.75, double k = 1)
    {
        using var scope = Prepare(x, shape);
        using Tensor input = torch.tensor(x, Dims(shape), ScalarType.Float32);
        return Contiguous(nn.functional.local_response_norm(input, size, alpha, beta, k)).data<float>().ToArray();
    }

    /// <summary>y = local_response_norm(x) in float64.</summary>
    public static double[] Forward(double[] x, IReadOnlyList<int> shape, int size, double alpha = 1e-4, double beta = 0.75, double k = 1)
    {
        using var scope = Prepare(x, shape);
        using Tensor input = torch.tensor(x, Dims(shape), ScalarType.Float64);
        return Contiguous(nn.functional.local_response_norm(input, size, alpha, beta, k)).data<double>().ToArray();
    }

    /// <summary>y and dx = dL/dx for dL/dy = dy, through torch autograd, in float32.</summary>
    public static (float[] Y, float[] Dx) ForwardBackward(float[] x, float[] dy, IReadOnlyList<int> shape, int size, double alpha = 1e-4, double beta = 0.75, double k = 1)
    {
        ArgumentNullException.ThrowIfNull(dy);
        using var scope = Prepare(x, shape);
        using Tensor input = torch.tensor(x, Dims(shape), ScalarType.Float32, requires_grad: true);
        using Tensor gradient = torch.tensor(dy, Dims(shape), ScalarType.Float32);
        Tensor y = nn.functional.local_response_norm(input, size, alpha, beta, k);
        y.backward([gradient]);
        Tensor dx = input.grad ?? throw new InvalidOperationException("torch autograd left x.grad empty");
        return (Contiguous(y.detach()).data<float>().ToArray(), Contiguous(dx).data<float>().ToArray());
    }

    /// <summary>y and dx = dL/dx for dL/dy = dy, through torch autograd, in float64.</summary>
    public static (double[] Y, double[] Dx) ForwardBackward(double[] x, double[] dy, IReadOnlyList<int> shape, int size, double alpha = 1e-4, double beta = 0.75, double k = 1)
    {
        ArgumentNullException.ThrowIfNull(dy);
        using var scope = Prepare(x, shape);
        using Tensor input = torch.tensor(x, Dims(shape), ScalarType.Float64, requires_grad: true);
        using Tensor gradient = torch.tensor(dy, Dims(shape), ScalarType.Float64);
        Tensor y = nn.functional.local_response_norm(input, size, alpha, beta, k);
        y.backward([gradient]);
        Tensor dx = input.grad ?? throw new InvalidOperationException("torch autograd left x.grad empty");
        return (Contiguous(y.detach()).data<double>().ToArray(), Contiguous(dx).data<double>().ToArray());
    }

    private static DisposeScope Prepare<T>(T[] x, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        long count = shape.Aggregate(1L, (p, d) => p * d);
        if (shape.Count < 3 || count != x.Length)
        {
            throw new ArgumentException($"shape must have rank >= 3 (PyTorch's rule) and a product equal to x.Length ({x.Length}), got [{string.Join(", ", shape)}]", nameof(shape));
        }

        TorchLoader.EnsureLoaded();
        return torch.NewDisposeScope();
    }

    private static long[] Dims(IReadOnlyList<int> shape) => [.. shape.Select(d => (long)d)];

    private static Tensor Contiguous(Tensor t) => t.is_contiguous() ? t : t.contiguous();
}
