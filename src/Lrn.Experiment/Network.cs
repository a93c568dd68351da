using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LrnModule = Lrn.TorchSharp.LocalResponseNorm;

namespace Lrn.Experiment;

/// <summary>What sits at the two normalization points of <see cref="Network"/>.</summary>
internal enum Variant
{
    /// <summary>Nothing: conv, ReLU, pool.</summary>
    None,

    /// <summary>LRN after the ReLU (AlexNet's place), on Lrn's kernels (<see cref="LrnModule"/>).</summary>
    Lrn,

    /// <summary>The same LRN on libtorch's torch.nn.LocalResponseNorm.</summary>
    TorchLrn,

    /// <summary>BatchNorm2d between the convolution and the ReLU (Ioffe and Szegedy's place).</summary>
    BatchNorm,
}

internal static class Variants
{
    public static readonly Variant[] All = [Variant.None, Variant.Lrn, Variant.TorchLrn, Variant.BatchNorm];

    public static string Name(Variant v) => v switch
    {
        Variant.None => "none",
        Variant.Lrn => "lrn",
        Variant.TorchLrn => "torch-lrn",
        Variant.BatchNorm => "batchnorm",
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, "unknown variant"),
    };

    public static string Describe(Variant v) => v switch
    {
        Variant.None => "no normalization",
        Variant.Lrn => "LRN on Lrn's kernels",
        Variant.TorchLrn => "LRN on libtorch's",
        Variant.BatchNorm => "BatchNorm",
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, "unknown variant"),
    };

    public static bool TryParse(string name, out Variant variant)
    {
        foreach (Variant v in All)
        {
            if (string.Equals(Name(v), name, StringComparison.OrdinalIgnoreCase))
            {
                variant = v;
                return true;
            }
        }

        variant = default;
        return false;
    }
}

/// <summary>
/// A small AlexNet-style CNN for 1 x 28 x 28 images, with the article's list: ReLU, overlapping max pooling (3 x 3,
/// stride 2) and dropout before the two fully connected layers, and a normalization point after each of the two
/// convolutions, where AlexNet put LRN:
/// <code>
/// conv1 1->32, 5x5, pad 2   28x28   ReLU  [norm1]  maxpool 3/2 -> 13x13
/// conv2 32->64, 3x3, pad 1  13x13   ReLU  [norm2]  maxpool 3/2 -> 6x6
/// dropout 0.5, fc 2304->128, ReLU, dropout 0.5, fc 128->10
/// </code>
/// Weights start from libtorch's default initialization (uniform, bound 1/sqrt(fan_in)): the first layer's outputs then have
/// about 0.6 times the input's spread, so they are in the tens on AlexNet-scale inputs (where LRN with k = 2 divides by
/// far more than 2^0.75) and below 1 on standardized ones (where it divides by almost exactly 2^0.75). AlexNet's own
/// N(0, 0.01) keeps them small on this net's 25-tap first layer (363 taps in AlexNet), and LRN never engages.
/// </summary>
internal sealed class Network : nn.Module<Tensor, Tensor>
{
    public const int Channels1 = 32;
    public const int Channels2 = 64;
    private const int Hidden = 128;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> norm1;
    private readonly nn.Module<Tensor, Tensor> norm2;
    private readonly MaxPool2d pool;
    private readonly Dropout dropout;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public Network(Variant variant, LrnParameters lrn, LrnOptions lrnOptions)
        : base("alexnet_small")
    {
        Variant = variant;
        conv1 = nn.Conv2d(1, Channels1, 5, padding: 2);
        conv2 = nn.Conv2d(Channels1, Channels2, 3, padding: 1);
        norm1 = Norm(variant, Channels1, lrn, lrnOptions);
        norm2 = Norm(variant, Channels2, lrn, lrnOptions);
        pool = nn.MaxPool2d(3, 2);
        dropout = nn.Dropout(0.5);
        fc1 = nn.Linear(Channels2 * 6 * 6, Hidden);
        fc2 = nn.Linear(Hidden, FashionMnist.Classes);
        RegisterComponents();
    }

    public Variant Variant { get; }

    /// <summary>When set, the forward keeps the inputs of the two LRN layers (after the ReLU) for <see cref="DivisorStats"/>.</summary>
    public bool CaptureNormInputs { get; set; }

    public Tensor? NormInput1 { get; private set; }

    public Tensor? NormInput2 { get; private set; }

    public override Tensor forward(Tensor input)
    {
        Tensor x = Block(input, conv1, norm1, capture: 1);
        x = Block(x, conv2, norm2, capture: 2);
        x = x.flatten(1);
        x = nn.functional.relu(fc1.call(dropout.call(x)));
        return fc2.call(dropout.call(x));
    }

    private Tensor Block(Tensor x, Conv2d conv, nn.Module<Tensor, Tensor> norm, int capture)
    {
        x = conv.call(x);
        if (Variant == Variant.BatchNorm)
        {
            return pool.call(nn.functional.relu(norm.call(x)));
        }

        x = nn.functional.relu(x);
        if (CaptureNormInputs)
        {
            Tensor kept = x.detach().clone().DetachFromDisposeScope();
            if (capture == 1)
            {
                NormInput1?.Dispose();
                NormInput1 = kept;
            }
            else
            {
                NormInput2?.Dispose();
                NormInput2 = kept;
            }
        }

        return pool.call(norm.call(x));
    }

    private static nn.Module<Tensor, Tensor> Norm(Variant variant, int channels, LrnParameters lrn, LrnOptions lrnOptions) => variant switch
    {
        Variant.None => nn.Identity(),
        Variant.Lrn => new LrnModule(lrn, lrnOptions),
        Variant.TorchLrn => TorchLrn(lrn),
        Variant.BatchNorm => nn.BatchNorm2d(channels),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant"),
    };

    private static nn.Module<Tensor, Tensor> TorchLrn(LrnParameters lrn)
    {
        if (!global::Lrn.TorchSharp.LrnTorch.TryPyTorch(lrn, out long size, out double alpha))
        {
            throw new ArgumentException($"libtorch's LocalResponseNorm cannot compute {lrn.Describe()}", nameof(lrn));
        }

        return nn.LocalResponseNorm(size, alpha, lrn.Beta, lrn.K);
    }
}
