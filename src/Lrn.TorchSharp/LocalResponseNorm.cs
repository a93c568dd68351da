using static TorchSharp.torch;

namespace Lrn.TorchSharp;

/// <summary>
/// <c>torch.nn.LocalResponseNorm</c> whose forward and backward run Lrn's CPU kernels on the tensor's own memory
/// (contiguous float32/float64 CPU tensors), through a custom autograd function; other tensors go to libtorch's own
/// implementation (see <see cref="LrnTorch.LocalResponseNorm(Tensor, LrnParameters, LrnOptions?)"/>).
/// <code>
/// var lrn = new Lrn.TorchSharp.LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2);   // as torch.nn.LocalResponseNorm
/// var tf  = new Lrn.TorchSharp.LocalResponseNorm(LrnParameters.TensorFlow(depthRadius: 2));  // any Lrn convention
/// </code>
/// </summary>
public sealed class LocalResponseNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>The constructor of <c>torch.nn.LocalResponseNorm(size, alpha, beta, k)</c>: PyTorch's convention (alpha divided by size).</summary>
    public LocalResponseNorm(long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0, LrnOptions? options = null)
        : this(LrnParameters.PyTorch(checked((int)size), alpha, beta, k), options)
    {
    }

    /// <summary>Any Lrn convention, across or within channels, for channels-first input.</summary>
    public LocalResponseNorm(LrnParameters parameters, LrnOptions? options = null)
        : base(nameof(LocalResponseNorm))
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        Options = options;
    }

    /// <summary>The convention and its parameters.</summary>
    public LrnParameters Parameters { get; }

    /// <summary>Lrn's kernel and parallelism; null for <see cref="LrnOptions.Default"/>.</summary>
    public LrnOptions? Options { get; }

    /// <summary>y = LRN(input), differentiable; input is channels first (N, C, D1, ..., Dk).</summary>
    public override Tensor forward(Tensor input) => LrnTorch.LocalResponseNorm(input, Parameters, Options);

    /// <summary>The module and its parameters in words, for example <c>LocalResponseNorm(pytorch size=5 alpha=0.0001 ...)</c>.</summary>
    public override string ToString() => $"{nameof(LocalResponseNorm)}({Parameters.Describe()})";
}
