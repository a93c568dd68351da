using System.Globalization;

namespace Lrn;

/// <summary>
/// The parameters of Local Response Normalization, across channels (the default) or within a channel, held in one
/// canonical form. Across channels:
/// <code>
/// s_c = k + a * sum_{j = c-lo .. c+hi, 0 &lt;= j &lt; C} x_j^2
/// y_c = x_c * s_c^(-beta)
/// </code>
/// Frameworks disagree on how their own parameters map to (lo, hi, a). Create instances with the factory named
/// after the framework you are matching; each takes that framework's parameter names and defaults and applies
/// its restrictions:
/// <list type="table">
/// <listheader><term>factory</term><description>lo, hi, a</description></listheader>
/// <item><term><see cref="TensorFlow"/></term><description>r, r, alpha</description></item>
/// <item><term><see cref="PyTorch"/></term><description>floor(n/2), floor((n-1)/2), alpha/n</description></item>
/// <item><term><see cref="Onnx"/></term><description>floor((n-1)/2), ceil((n-1)/2), alpha/n</description></item>
/// <item><term><see cref="CuDnn"/></term><description>floor((n-1)/2), n-1-lo, alpha/n; n in 1..16</description></item>
/// <item><term><see cref="Caffe"/></term><description>(n-1)/2, (n-1)/2, alpha/n; n odd</description></item>
/// <item><term><see cref="OneDnn"/></term><description>floor((n-1)/2), floor((n-1)/2), alpha/n</description></item>
/// <item><term><see cref="MXNet"/></term><description>(n-1)/2, (n-1)/2, alpha/n; n odd</description></item>
/// <item><term><see cref="Paper"/></term><description>floor(n/2), floor(n/2), alpha</description></item>
/// </list>
/// <para>
/// Within channel (<see cref="Region"/> = <see cref="LrnRegion.WithinChannel"/>), the window runs over spatial
/// neighbours in the same channel instead: <c>s_p = k + a * sum_{q in N(p)} x_q^2</c>, <c>y_p = x_p * s_p^(-beta)</c>,
/// where N(p) takes n positions along each of the tensor's d spatial axes, centred on p ((n-1)/2 on each side, so n
/// is odd), zero padded. Three frameworks have this mode; the factories apply their rules:
/// </para>
/// <list type="table">
/// <listheader><term>factory</term><description>k, a</description></listheader>
/// <item><term><see cref="CaffeWithinChannel"/></term><description>always 1 (Caffe's own engine ignores k), alpha/n^2</description></item>
/// <item><term><see cref="CuDnnWithinChannel"/></term><description>k, alpha/n^2</description></item>
/// <item><term><see cref="OneDnnWithinChannel"/></term><description>k, alpha/n^d: depends on the tensor, see <see cref="Coefficient"/></description></item>
/// </list>
/// Instances are immutable and validated: every argument that breaks a rule throws
/// <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) naming the argument and the rule.
/// </summary>
public sealed class LrnParameters : IEquatable<LrnParameters>
{
    private LrnParameters(
        LrnConvention convention, int size, double alpha, int lo, int hi, double a, double k, double beta,
        LrnRegion region = LrnRegion.AcrossChannels, bool coefficientPerSpatialAxis = false)
    {
        Region = region;
        _coefficientPerSpatialAxis = coefficientPerSpatialAxis;
        Convention = convention;
        Size = size;
        Alpha = alpha;
        Lo = lo;
        Hi = hi;
        A = a;
        K = k;
        Beta = beta;
    }

    // oneDNN within-channel: a = alpha / n^d for a tensor with d spatial axes, so a is resolved per call (Coefficient).
    private readonly bool _coefficientPerSpatialAxis;

    /// <summary>The framework these parameters reproduce.</summary>
    public LrnConvention Convention { get; }

    /// <summary>
    /// Whether the window runs across channels (every convention; the default) or within a channel over spatial
    /// neighbours (<see cref="CaffeWithinChannel"/>, <see cref="CuDnnWithinChannel"/>, <see cref="OneDnnWithinChannel"/>).
    /// </summary>
    public LrnRegion Region { get; }

    /// <summary>
    /// The name the command line and <see cref="Describe"/> use: the convention's (<see cref="ConventionName"/>), with
    /// "-within" appended within channel: caffe-within, cudnn-within, onednn-within.
    /// </summary>
    public string Name => Region == LrnRegion.WithinChannel ? ConventionName(Convention) + "-within" : ConventionName(Convention);

    /// <summary>
    /// The window size n as the convention states it (for TensorFlow, 2r+1). It can differ from <see cref="WindowLength"/>:
    /// oneDNN with even n sums n-1 channels, the paper with even n sums n+1.
    /// </summary>
    public int Size { get; }

    /// <summary>The user's alpha, before any division by the window size.</summary>
    public double Alpha { get; }

    /// <summary>How many channels before c the window takes; within channel, how many positions before p along each spatial axis, (n-1)/2.</summary>
    public int Lo { get; }

    /// <summary>How many channels after c the window takes; within channel, how many positions after p along each spatial axis, (n-1)/2.</summary>
    public int Hi { get; }

    /// <summary>
    /// The per-term coefficient a: <see cref="Alpha"/>, divided by n where the convention does so. Within channel it is
    /// the coefficient for 2 spatial axes (images), alpha/n^2; oneDNN's depends on the number of spatial axes, so
    /// kernels take a from <see cref="Coefficient"/> for the tensor at hand.
    /// </summary>
    public double A { get; }

    /// <summary>The additive constant k (called bias by TensorFlow and ONNX). k = 0 is legal: an all-zero window then gives 0 * inf = NaN.</summary>
    public double K { get; }

    /// <summary>The exponent beta.</summary>
    public double Beta { get; }

    /// <summary>The number of channels the window spans before clipping at the edges: lo + hi + 1. Within channel, its extent along each spatial axis, n.</summary>
    public int WindowLength => Lo + Hi + 1;

    /// <summary>
    /// The per-term coefficient a for a tensor with <paramref name="spatialAxes"/> spatial axes (rank - 2). Across
    /// channels, and within channel for Caffe and cuDNN, it is <see cref="A"/> whatever the axes; for oneDNN within
    /// channel it is alpha / n^d. This is the one place a is resolved for a shape: kernels never re-derive it.
    /// </summary>
    /// <param name="spatialAxes">d, the number of spatial axes: &gt;= 0, and &gt;= 1 within channel.</param>
    public double Coefficient(int spatialAxes)
    {
        RequireAtLeast(spatialAxes, Region == LrnRegion.WithinChannel ? 1 : 0, nameof(spatialAxes));
        if (!_coefficientPerSpatialAxis)
        {
            return A;
        }

        // n^d by repeated multiplication: exact while it fits in 53 bits, which is where Math.Pow makes no promise.
        double divisor = 1;
        for (int axis = 0; axis < spatialAxes; axis++)
        {
            divisor *= Size;
        }

        return Alpha / divisor;
    }

    /// <summary>Parameters given directly in canonical form.</summary>
    /// <param name="lo">Channels before c in the window, &gt;= 0.</param>
    /// <param name="hi">Channels after c in the window, &gt;= 0.</param>
    /// <param name="a">Per-term coefficient, finite and &gt;= 0.</param>
    /// <param name="k">Additive constant, finite and &gt;= 0.</param>
    /// <param name="beta">Exponent, finite and &gt;= 0.</param>
    public static LrnParameters Canonical(int lo, int hi, double a, double k, double beta)
    {
        RequireAtLeast(lo, 0, nameof(lo));
        RequireAtLeast(hi, 0, nameof(hi));
        if ((long)lo + hi + 1 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(hi), $"lo + hi + 1 must be at most {int.MaxValue}, got {(long)lo + hi + 1}");
        }

        RequireCoefficients(a, nameof(a), k, nameof(k), beta, nameof(beta));
        return new LrnParameters(LrnConvention.Canonical, lo + hi + 1, a, lo, hi, a, k, beta);
    }

    /// <summary><c>tf.nn.local_response_normalization(input, depth_radius, bias, alpha, beta)</c>: window [c-r, c+r], a = alpha.</summary>
    public static LrnParameters TensorFlow(int depthRadius = 5, double bias = 1, double alpha = 1, double beta = 0.5)
    {
        RequireAtLeast(depthRadius, 0, nameof(depthRadius));
        if (depthRadius > (int.MaxValue - 1) / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(depthRadius), $"depthRadius must be at most {(int.MaxValue - 1) / 2}, got {depthRadius}");
        }

        RequireCoefficients(alpha, nameof(alpha), bias, nameof(bias), beta, nameof(beta));
        return new LrnParameters(LrnConvention.TensorFlow, 2 * depthRadius + 1, alpha, depthRadius, depthRadius, alpha, bias, beta);
    }

    /// <summary><c>torch.nn.LocalResponseNorm(size, alpha, beta, k)</c>: window [c-floor(n/2), c+floor((n-1)/2)], a = alpha/n.</summary>
    public static LrnParameters PyTorch(int size, double alpha = 1e-4, double beta = 0.75, double k = 1)
    {
        RequireAtLeast(size, 1, nameof(size));
        RequireCoefficients(alpha, nameof(alpha), k, nameof(k), beta, nameof(beta));
        return new LrnParameters(LrnConvention.PyTorch, size, alpha, size / 2, (size - 1) / 2, alpha / size, k, beta);
    }

    /// <summary>ONNX <c>LRN(size, alpha, beta, bias)</c>, opsets 1 and 13: window [c-floor((n-1)/2), c+ceil((n-1)/2)], a = alpha/n.</summary>
    public static LrnParameters Onnx(int size, double alpha = 1e-4, double beta = 0.75, double bias = 1)
    {
        RequireAtLeast(size, 1, nameof(size));
        RequireCoefficients(alpha, nameof(alpha), bias, nameof(bias), beta, nameof(beta));
        return new LrnParameters(LrnConvention.Onnx, size, alpha, (size - 1) / 2, size / 2, alpha / size, bias, beta);
    }

    /// <summary>
    /// <c>cudnnSetLRNDescriptor(lrnN, lrnAlpha, lrnBeta, lrnK)</c> with <c>cudnnLRNCrossChannelForward</c>:
    /// window [c-floor((n-1)/2), c+n-1-floor((n-1)/2)], a = alpha/n. cuDNN accepts n from 1 to 16; its defaults are 5, 1e-4, 0.75, 2.
    /// </summary>
    public static LrnParameters CuDnn(int lrnN = 5, double lrnAlpha = 1e-4, double lrnBeta = 0.75, double lrnK = 2)
    {
        if (lrnN is < CuDnnMinN or > CuDnnMaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(lrnN), $"lrnN must be between {CuDnnMinN} and {CuDnnMaxN} (cuDNN's limits), got {lrnN}");
        }

        RequireCoefficients(lrnAlpha, nameof(lrnAlpha), lrnK, nameof(lrnK), lrnBeta, nameof(lrnBeta));
        int lo = (lrnN - 1) / 2;
        return new LrnParameters(LrnConvention.CuDnn, lrnN, lrnAlpha, lo, lrnN - 1 - lo, lrnAlpha / lrnN, lrnK, lrnBeta);
    }

    /// <summary>Caffe <c>LRN</c> with <c>norm_region: ACROSS_CHANNELS</c>: window [c-(n-1)/2, c+(n-1)/2], a = alpha/n. Caffe rejects even local_size.</summary>
    public static LrnParameters Caffe(int localSize = 5, double alpha = 1, double beta = 0.75, double k = 1)
    {
        RequireOddSize(localSize, nameof(localSize), "Caffe");
        RequireCoefficients(alpha, nameof(alpha), k, nameof(k), beta, nameof(beta));
        int half = (localSize - 1) / 2;
        return new LrnParameters(LrnConvention.Caffe, localSize, alpha, half, half, alpha / localSize, k, beta);
    }

    /// <summary>
    /// oneDNN <c>lrn_across_channels</c> (local_size, alpha, beta, k; oneDNN has no defaults): window
    /// [c-floor((n-1)/2), c+floor((n-1)/2)], a = alpha/n. With even n it sums n-1 channels and still divides by n.
    /// </summary>
    public static LrnParameters OneDnn(int localSize, double alpha, double beta, double k)
    {
        RequireAtLeast(localSize, 1, nameof(localSize));
        RequireCoefficients(alpha, nameof(alpha), k, nameof(k), beta, nameof(beta));
        int half = (localSize - 1) / 2;
        return new LrnParameters(LrnConvention.OneDnn, localSize, alpha, half, half, alpha / localSize, k, beta);
    }

    /// <summary>MXNet <c>LRN(nsize, alpha, beta, knorm)</c>: window [c-(n-1)/2, c+(n-1)/2], a = alpha/n. MXNet requires odd nsize.</summary>
    public static LrnParameters MXNet(int nsize, double alpha = 1e-4, double beta = 0.75, double knorm = 2)
    {
        RequireOddSize(nsize, nameof(nsize), "MXNet");
        RequireCoefficients(alpha, nameof(alpha), knorm, nameof(knorm), beta, nameof(beta));
        int half = (nsize - 1) / 2;
        return new LrnParameters(LrnConvention.MXNet, nsize, alpha, half, half, alpha / nsize, knorm, beta);
    }

    /// <summary>
    /// The AlexNet paper (Krizhevsky, Sutskever, Hinton 2012, section 3.3), with its published values as defaults:
    /// window [c-floor(n/2), c+floor(n/2)], a = alpha (not divided by n).
    /// </summary>
    public static LrnParameters Paper(int n = 5, double k = 2, double alpha = 1e-4, double beta = 0.75)
    {
        RequireAtLeast(n, 1, nameof(n));
        RequireCoefficients(alpha, nameof(alpha), k, nameof(k), beta, nameof(beta));
        return new LrnParameters(LrnConvention.Paper, n, alpha, n / 2, n / 2, alpha, k, beta);
    }

    /// <summary>
    /// Caffe <c>LRN</c> with <c>norm_region: WITHIN_CHANNEL</c>, Caffe's own engine: s_p = 1 + alpha/n^2 * (sum of x_q^2
    /// over the n x n window centred on p, zero padded), whatever the number of spatial axes. Caffe builds this mode from a
    /// padded average pooling (which divides by n^2, padding included) and a power layer with shift 1, so it ignores the
    /// prototxt's k: there is no k argument here. Caffe rejects even local_size.
    /// </summary>
    public static LrnParameters CaffeWithinChannel(int localSize = 5, double alpha = 1, double beta = 0.75)
    {
        RequireOddSize(localSize, nameof(localSize), "Caffe");
        RequireFiniteNonNegative(alpha, nameof(alpha));
        RequireFiniteNonNegative(beta, nameof(beta));
        int half = (localSize - 1) / 2;
        return new LrnParameters(
            LrnConvention.Caffe, localSize, alpha, half, half, alpha / ((double)localSize * localSize), CaffeWithinChannelK, beta, LrnRegion.WithinChannel);
    }

    /// <summary>
    /// cuDNN <c>cudnnDivisiveNormalizationForward</c> with means NULL (and Caffe's within-channel LRN on the cuDNN engine),
    /// parameters from <c>cudnnSetLRNDescriptor(lrnN, lrnAlpha, lrnBeta, lrnK)</c>: s_p = k + alpha/n^2 * (sum of x_q^2 over the
    /// window of n positions along each spatial axis, centred on p, zero padded). The defaults are those of cuDNN's LRN
    /// descriptor (5, 1e-4, 0.75, 2); n must be in cuDNN's 1..16 and odd, so that the window is centred.
    /// </summary>
    public static LrnParameters CuDnnWithinChannel(int lrnN = 5, double lrnAlpha = 1e-4, double lrnBeta = 0.75, double lrnK = 2)
    {
        if (lrnN is < CuDnnMinN or > CuDnnMaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(lrnN), $"lrnN must be between {CuDnnMinN} and {CuDnnMaxN} (cuDNN's limits), got {lrnN}");
        }

        RequireCentredSize(lrnN, nameof(lrnN));
        RequireCoefficients(lrnAlpha, nameof(lrnAlpha), lrnK, nameof(lrnK), lrnBeta, nameof(lrnBeta));
        int half = (lrnN - 1) / 2;
        return new LrnParameters(
            LrnConvention.CuDnn, lrnN, lrnAlpha, half, half, lrnAlpha / ((double)lrnN * lrnN), lrnK, lrnBeta, LrnRegion.WithinChannel);
    }

    /// <summary>
    /// oneDNN <c>lrn_within_channel</c> (local_size, alpha, beta, k; oneDNN has no defaults): s_p = k + alpha/n^d * (sum of
    /// x_q^2 over the window of n positions along each of the d spatial axes, centred on p, zero padded). The divisor
    /// depends on the tensor (n for 1 spatial axis, n^2 for 2, n^3 for 3): see <see cref="Coefficient"/>. n must be odd, so
    /// that the window is centred.
    /// </summary>
    public static LrnParameters OneDnnWithinChannel(int localSize, double alpha, double beta, double k)
    {
        RequireCentredSize(localSize, nameof(localSize));
        RequireCoefficients(alpha, nameof(alpha), k, nameof(k), beta, nameof(beta));
        int half = (localSize - 1) / 2;
        return new LrnParameters(
            LrnConvention.OneDnn, localSize, alpha, half, half, alpha / ((double)localSize * localSize), k, beta, LrnRegion.WithinChannel,
            coefficientPerSpatialAxis: true);
    }

    /// <summary>
    /// Builds a convention's parameters from optional values, filling the convention's defaults where a value is null
    /// (the form a command line or a config file gives). <paramref name="size"/> is the window size n; TensorFlow takes
    /// <paramref name="depthRadius"/> instead, every other convention rejects it. Canonical is not built here.
    /// With <paramref name="region"/> = <see cref="LrnRegion.WithinChannel"/> it builds caffe-within, cudnn-within or
    /// onednn-within (the other conventions have no such mode); caffe-within refuses a k other than 1, which Caffe would ignore.
    /// </summary>
    /// <exception cref="ArgumentException">A value breaks a rule, one the convention does not take was given, or one it requires is missing.</exception>
    public static LrnParameters Create(
        LrnConvention convention, int? size = null, int? depthRadius = null, double? alpha = null, double? beta = null, double? k = null,
        LrnRegion region = LrnRegion.AcrossChannels)
    {
        string name = ConventionName(convention);
        if (region == LrnRegion.WithinChannel)
        {
            if (convention is not (LrnConvention.Caffe or LrnConvention.CuDnn or LrnConvention.OneDnn))
            {
                throw new ArgumentException($"region WithinChannel is defined only for caffe, cudnn and onednn, got {name}", nameof(region));
            }

            return CreateWithinChannel(convention, name, size, depthRadius, alpha, beta, k);
        }

        if (region != LrnRegion.AcrossChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(region), $"region must be AcrossChannels or WithinChannel, got {(int)region}");
        }

        if (convention == LrnConvention.TensorFlow)
        {
            if (size is not null)
            {
                throw new ArgumentException($"size is not a tensorflow parameter: tensorflow takes depthRadius (window 2r+1), got size {size}", nameof(size));
            }

            return TensorFlow(depthRadius ?? 5, k ?? 1, alpha ?? 1, beta ?? 0.5);
        }

        if (depthRadius is not null)
        {
            throw new ArgumentException($"depthRadius is a tensorflow parameter; {name} takes size, got depthRadius {depthRadius}", nameof(depthRadius));
        }

        return convention switch
        {
            LrnConvention.PyTorch => PyTorch(Required(size, nameof(size), name), alpha ?? 1e-4, beta ?? 0.75, k ?? 1),
            LrnConvention.Onnx => Onnx(Required(size, nameof(size), name), alpha ?? 1e-4, beta ?? 0.75, k ?? 1),
            LrnConvention.CuDnn => CuDnn(size ?? 5, alpha ?? 1e-4, beta ?? 0.75, k ?? 2),
            LrnConvention.Caffe => Caffe(size ?? 5, alpha ?? 1, beta ?? 0.75, k ?? 1),
            LrnConvention.OneDnn => OneDnn(Required(size, nameof(size), name), Required(alpha, nameof(alpha), name), Required(beta, nameof(beta), name), Required(k, nameof(k), name)),
            LrnConvention.MXNet => MXNet(Required(size, nameof(size), name), alpha ?? 1e-4, beta ?? 0.75, k ?? 2),
            LrnConvention.Paper => Paper(size ?? 5, k ?? 2, alpha ?? 1e-4, beta ?? 0.75),
            _ => throw new ArgumentException($"convention must be one of tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper to be built from optional values, got {name}", nameof(convention)),
        };
    }

    private static LrnParameters CreateWithinChannel(LrnConvention convention, string name, int? size, int? depthRadius, double? alpha, double? beta, double? k)
    {
        if (depthRadius is not null)
        {
            throw new ArgumentException($"depthRadius is a tensorflow parameter; {name} takes size, got depthRadius {depthRadius}", nameof(depthRadius));
        }

        if (convention == LrnConvention.Caffe && k is not null && k != CaffeWithinChannelK)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"k must be 1 or unset for caffe-within (Caffe's own within-channel LRN ignores k and uses 1; cudnn-within takes k), got {k}"),
                nameof(k));
        }

        return convention switch
        {
            LrnConvention.Caffe => CaffeWithinChannel(size ?? 5, alpha ?? 1, beta ?? 0.75),
            LrnConvention.CuDnn => CuDnnWithinChannel(size ?? 5, alpha ?? 1e-4, beta ?? 0.75, k ?? 2),
            _ => OneDnnWithinChannel(Required(size, nameof(size), name + "-within"), Required(alpha, nameof(alpha), name + "-within"), Required(beta, nameof(beta), name + "-within"), Required(k, nameof(k), name + "-within")),
        };
    }

    /// <summary>The lower-case name used by the command line and in <see cref="Describe"/>: tensorflow, pytorch, onnx, cudnn, caffe, onednn, mxnet, paper, canonical.</summary>
    public static string ConventionName(LrnConvention convention) => convention switch
    {
        LrnConvention.Canonical => "canonical",
        LrnConvention.TensorFlow => "tensorflow",
        LrnConvention.PyTorch => "pytorch",
        LrnConvention.Onnx => "onnx",
        LrnConvention.CuDnn => "cudnn",
        LrnConvention.Caffe => "caffe",
        LrnConvention.OneDnn => "onednn",
        LrnConvention.MXNet => "mxnet",
        LrnConvention.Paper => "paper",
        _ => throw new ArgumentOutOfRangeException(nameof(convention), "convention must be a defined LrnConvention value"),
    };

    /// <summary>Parses a name given by <see cref="ConventionName"/> (case-insensitive).</summary>
    public static bool TryParseConvention(string name, out LrnConvention convention)
    {
        foreach (LrnConvention candidate in Enum.GetValues<LrnConvention>())
        {
            if (string.Equals(ConventionName(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                convention = candidate;
                return true;
            }
        }

        convention = default;
        return false;
    }

    /// <summary>
    /// Says in words which window and coefficient these parameters use, for example
    /// <c>pytorch size=4 alpha=0.0001 beta=0.75 k=1: s_c = 1 + 2.5E-05 * sum_{j=c-2..c+1} x_j^2, y_c = x_c * s_c^-0.75 (4 channels: 2 before c, 1 after; a = alpha/4)</c>.
    /// </summary>
    public string Describe()
    {
        if (Region == LrnRegion.WithinChannel)
        {
            return DescribeWithinChannel();
        }

        var inv = CultureInfo.InvariantCulture;
        string own = Convention switch
        {
            LrnConvention.Canonical => string.Create(inv, $"lo={Lo} hi={Hi} a={A} k={K} beta={Beta}"),
            LrnConvention.TensorFlow => string.Create(inv, $"depth_radius={Lo} bias={K} alpha={Alpha} beta={Beta}"),
            _ => string.Create(inv, $"size={Size} alpha={Alpha} beta={Beta} k={K}"),
        };
        string coefficient = Convention switch
        {
            LrnConvention.Canonical => "a given directly",
            LrnConvention.TensorFlow or LrnConvention.Paper => "a = alpha, not divided by the window",
            _ => string.Create(inv, $"a = alpha/{Size}"),
        };
        string terms = WindowLength == Size || Convention is LrnConvention.Canonical or LrnConvention.TensorFlow
            ? string.Create(inv, $"{WindowLength} channels")
            : string.Create(inv, $"{WindowLength} channels although n={Size}");
        return string.Create(inv,
            $"{ConventionName(Convention)} {own}: s_c = {K} + {A} * sum_{{j=c-{Lo}..c+{Hi}}} x_j^2, y_c = x_c * s_c^-{Beta} ({terms}: {Lo} before c, {Hi} after; {coefficient})");
    }

    // For example "onednn-within size=3 alpha=1 beta=0.75 k=2: s_p = 2 + a * sum_{q in N(p)} x_q^2, y_p = x_p * s_p^-0.75
    // (N(p): 3 positions along each spatial axis, 1 before p and 1 after, in p's channel, zero padded; a = alpha/3^d: ...)".
    private string DescribeWithinChannel()
    {
        var inv = CultureInfo.InvariantCulture;
        string own = Convention == LrnConvention.Caffe
            ? string.Create(inv, $"size={Size} alpha={Alpha} beta={Beta}")
            : string.Create(inv, $"size={Size} alpha={Alpha} beta={Beta} k={K}");
        string a = _coefficientPerSpatialAxis ? "a" : string.Create(inv, $"{A}");
        string coefficient = _coefficientPerSpatialAxis
            ? string.Create(inv, $"a = alpha/{Size}^d for d spatial axes: {Coefficient(1)} for d = 1, {Coefficient(2)} for d = 2, {Coefficient(3)} for d = 3")
            : string.Create(inv, $"a = alpha/{Size}^2 whatever the number of spatial axes");
        string k = Convention == LrnConvention.Caffe ? "; k fixed at 1: Caffe's own engine ignores k" : string.Empty;
        return string.Create(inv,
            $"{Name} {own}: s_p = {K} + {a} * sum_{{q in N(p)}} x_q^2, y_p = x_p * s_p^-{Beta} (N(p): {Size} positions along each spatial axis, {Lo} before p and {Hi} after, in p's channel, zero padded; {coefficient}{k})");
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();

    /// <summary>
    /// Two parameter sets are equal when they compute the same function: the same region and (lo, hi, a, k, beta),
    /// whatever the convention; within channel, also the same rule for a (fixed, or alpha/n^d per tensor).
    /// </summary>
    public bool Equals(LrnParameters? other) =>
        other is not null && Region == other.Region && _coefficientPerSpatialAxis == other._coefficientPerSpatialAxis
        && Lo == other.Lo && Hi == other.Hi && A.Equals(other.A) && K.Equals(other.K) && Beta.Equals(other.Beta);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LrnParameters);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Region, _coefficientPerSpatialAxis, Lo, Hi, A, K, Beta);

    private const int CuDnnMinN = 1;
    private const int CuDnnMaxN = 16;

    // Caffe's within-channel LRN is a power layer with shift 1 after the pooling: k is always 1.
    private const double CaffeWithinChannelK = 1;

    private static void RequireAtLeast(int value, int min, string name)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be >= {min}, got {value}");
        }
    }

    private static void RequireOddSize(int value, string name, string framework)
    {
        RequireAtLeast(value, 1, name);
        if (value % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be odd ({framework} rejects even window sizes), got {value}");
        }
    }

    // Within channel the window is centred on p, (n-1)/2 on each side along every spatial axis: n must be odd.
    private static void RequireCentredSize(int value, string name)
    {
        RequireAtLeast(value, 1, name);
        if (value % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be odd (a within-channel window is centred on p), got {value}");
        }
    }

    private static void RequireCoefficients(double alpha, string alphaName, double k, string kName, double beta, string betaName)
    {
        RequireFiniteNonNegative(alpha, alphaName);
        RequireFiniteNonNegative(k, kName);
        RequireFiniteNonNegative(beta, betaName);
    }

    private static void RequireFiniteNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture, $"{name} must be finite and >= 0, got {value}"));
        }
    }

    private static T Required<T>(T? value, string name, string convention) where T : struct =>
        value ?? throw new ArgumentException($"{name} is required by the {convention} convention, which has no default for it", name);
}
