using static TorchSharp.torch;
using LrnModule = Lrn.TorchSharp.LocalResponseNorm;

namespace Lrn.TorchSharpTests;

/// <summary>
/// A small conv net trained for a few SGD steps twice from the same initial weights, once with libtorch's
/// LocalResponseNorm and once with <see cref="LrnModule"/>: the weights move, and move the same way.
/// </summary>
public sealed class TrainingTests(TorchFixture torchFixture) : IClassFixture<TorchFixture>
{
    private const int Steps = 6;

    private static nn.Module<Tensor, Tensor> Net(nn.Module<Tensor, Tensor> lrn) => nn.Sequential(
        ("conv", nn.Conv2d(1, 8, 3, padding: 1)),
        ("relu", nn.ReLU()),
        ("lrn", lrn),
        ("pool", nn.MaxPool2d(3, 2)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(8 * 3 * 3, 3)));

    [Fact]
    public void A_few_training_steps_change_the_weights_as_libtorchs_module_does()
    {
        Assert.NotNull(torchFixture.Versions);
        using var outer = NewDisposeScope();
        manual_seed(30);
        Tensor images = randn([16, 1, 8, 8]) * 10;
        Tensor labels = randint(0, 3, [16], ScalarType.Int64);

        manual_seed(31);
        using var ours = Net(new LrnModule(5, 0.01, 0.75, 2));
        manual_seed(31);
        using var theirs = Net(nn.LocalResponseNorm(5, 0.01, 0.75, 2));
        double[] initial = Weights(ours);
        Assert.Equal(initial, Weights(theirs));

        using var optimizerOurs = optim.SGD(ours.parameters(), 0.05, momentum: 0.9);
        using var optimizerTheirs = optim.SGD(theirs.parameters(), 0.05, momentum: 0.9);
        for (int step = 0; step < Steps; step++)
        {
            double lossOurs = Step(ours, optimizerOurs, images, labels);
            double lossTheirs = Step(theirs, optimizerTheirs, images, labels);
            Assert.True(Math.Abs(lossOurs - lossTheirs) <= 1e-4 * Math.Abs(lossTheirs), $"step {step}: loss {lossOurs:R} with Lrn, {lossTheirs:R} with libtorch");
        }

        double[] a = Weights(ours), b = Weights(theirs);
        double moved = a.Zip(initial, (x, y) => Math.Abs(x - y)).Max();
        double differ = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(moved > 1e-2, $"the weights barely moved ({moved:G3})");
        Assert.True(differ <= 1e-3 * moved, $"after {Steps} steps the weights differ by {differ:G3}, while they moved by {moved:G3}");
    }

    private static double Step(nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(net.call(images), labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private static double[] Weights(nn.Module<Tensor, Tensor> net) =>
        [.. net.parameters().SelectMany(Compare.ToDoubles)];
}
