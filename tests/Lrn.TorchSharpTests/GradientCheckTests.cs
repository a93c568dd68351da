using Lrn.TorchSharp;
using static TorchSharp.torch;
using LrnModule = Lrn.TorchSharp.LocalResponseNorm;

namespace Lrn.TorchSharpTests;

/// <summary>
/// The module's autograd gradient against central finite differences of its own forward, in float64, for an odd and
/// an even window (the even one needs the mirrored window in the backward), with a divisor that varies strongly.
/// </summary>
public sealed class GradientCheckTests(TorchFixture torchFixture) : IClassFixture<TorchFixture>
{
    [Theory]
    [InlineData("pytorch", 3)]
    [InlineData("pytorch", 4)]
    [InlineData("onnx", 4)]
    [InlineData("cudnn-within", 3)]
    public void The_gradient_matches_central_differences(string convention, int n)
    {
        Assert.NotNull(torchFixture.Versions);
        using var scope = NewDisposeScope();
        manual_seed(20 + n);
        LrnParameters p = convention switch
        {
            "pytorch" => LrnParameters.PyTorch(n, 0.5, 0.75, 1),
            "onnx" => LrnParameters.Onnx(n, 0.5, 0.75, 1),
            _ => LrnParameters.CuDnnWithinChannel(n, 0.5, 0.75, 1),
        };
        long[] shape = [2, 5, 3, 2];
        Tensor x = randn(shape, ScalarType.Float64) * 2;
        Tensor w = randn(shape, ScalarType.Float64);
        using var module = new LrnModule(p);
        Assert.Null(LrnTorch.WhyNotOnLrn(x, p));

        Tensor input = x.clone().requires_grad_(true);
        (module.call(input) * w).sum().backward();
        double[] analytic = Compare.ToDoubles(input.grad!);

        const double h = 1e-6;
        double[] xs = Compare.ToDoubles(x);
        double worst = 0;
        using (no_grad())
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double Loss(double delta)
                {
                    double[] shifted = (double[])xs.Clone();
                    shifted[i] += delta;
                    using Tensor t = tensor(shifted, shape);
                    using Tensor y = module.call(t);
                    return (y * w).sum().item<double>();
                }

                double numeric = (Loss(h) - Loss(-h)) / (2 * h);
                double error = Math.Abs(numeric - analytic[i]) / (1 + Math.Abs(analytic[i]));
                worst = Math.Max(worst, error);
                Assert.True(error < 1e-7, $"{p.Name} n={n}: at flat index {i} the autograd gradient is {analytic[i]:R}, central differences give {numeric:R}");
            }
        }

        Assert.True(worst < 1e-7);
    }
}
