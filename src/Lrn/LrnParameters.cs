using System.Globalization;

namespace Lrn;

/// <summary>
/// The parameters of Local Response Normalization across channels, held in one canonical form:
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
/// Instances are immutable and validated: every argument that breaks a rule throws
/// <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) naming the argument and the rule.
/// </summary>
public sealed class LrnParameters : IEquatable<LrnParameters>
{
    private LrnParameters(LrnConvention convention, int size, double alpha, int lo, int hi, double a, double k, double beta)
    {
        Convention = convention;
        Size = size;
        Alpha = alpha;
        Lo = lo;
        Hi = hi;
        A = a;
        K = k;
        Beta = beta;
    }

    /// <summary>The framework these parameters reproduce.</summary>
    public LrnConvention Convention { get; }

    /// <summary>
    /// The window size n as the convention states it (for TensorFlow, 2r+1). It can differ from <see cref="WindowLength"/>:
    /// oneDNN with even n sums n-1 channels, the paper with even n sums n+1.
    /// </summary>
    public int Size { get; }

    /// <summary>The user's alpha, before any division by the window size.</summary>
    public double Alpha { get; }

    /// <summary>How many channels before c the window takes.</summary>
    public int Lo { get; }

    /// <summary>How many channels after c the window takes.</summary>
    public int Hi { get; }

    /// <summary>The per-term coefficient a: <see cref="Alpha"/>, divided by n where the convention does so.</summary>
    public double A { get; }

    /// <summary>The additive constant k (called bias by TensorFlow and ONNX). k = 0 is legal: an all-zero window then gives 0 * inf = NaN.</summary>
    public double K { get; }

    /// <summary>The exponent beta.</summary>
    public double Beta { get; }

    /// <summary>The number of channels the window spans before clipping at the edges: lo + hi + 1.</summary>
    public int WindowLength => Lo + Hi + 1;

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
    /// Builds a convention's parameters from optional values, filling the convention's defaults where a value is null
    /// (the form a command line or a config file gives). <paramref name="size"/> is the window size n; TensorFlow takes
    /// <paramref name="depthRadius"/> instead, every other convention rejects it. Canonical is not built here.
    /// </summary>
    /// <exception cref="ArgumentException">A value breaks a rule, one the convention does not take was given, or one it requires is missing.</exception>
    public static LrnParameters Create(LrnConvention convention, int? size = null, int? depthRadius = null, double? alpha = null, double? beta = null, double? k = null)
    {
        string name = ConventionName(convention);
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

    /// <inheritdoc/>
    public override string ToString() => Describe();

    /// <summary>Two parameter sets are equal when they compute the same function: the same (lo, hi, a, k, beta), whatever the convention.</summary>
    public bool Equals(LrnParameters? other) =>
        other is not null && Lo == other.Lo && Hi == other.Hi && A.Equals(other.A) && K.Equals(other.K) && Beta.Equals(other.Beta);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LrnParameters);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Lo, Hi, A, K, Beta);

    private const int CuDnnMinN = 1;
    private const int CuDnnMaxN = 16;

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
