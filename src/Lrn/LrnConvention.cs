namespace Lrn;

/// <summary>
/// The framework whose definition of LRN a <see cref="LrnParameters"/> reproduces.
/// Each maps the framework's own parameters to the canonical window (lo, hi) and coefficient a;
/// see <see cref="LrnParameters"/> for the table.
/// </summary>
public enum LrnConvention
{
    /// <summary>Canonical (lo, hi, a, k, beta) given directly.</summary>
    Canonical,

    /// <summary><c>tf.nn.local_response_normalization</c>: window [c-r, c+r], a = alpha (not divided).</summary>
    TensorFlow,

    /// <summary><c>torch.nn.functional.local_response_norm</c>: window [c-floor(n/2), c+floor((n-1)/2)], a = alpha/n.</summary>
    PyTorch,

    /// <summary>ONNX <c>LRN</c>: window [c-floor((n-1)/2), c+ceil((n-1)/2)], a = alpha/n.</summary>
    Onnx,

    /// <summary><c>cudnnLRNCrossChannelForward</c>: window [c-floor((n-1)/2), c+n-1-floor((n-1)/2)], a = alpha/n, n in 1..16.</summary>
    CuDnn,

    /// <summary>Caffe <c>LRN</c> ACROSS_CHANNELS: window [c-(n-1)/2, c+(n-1)/2], a = alpha/n, odd n only.</summary>
    Caffe,

    /// <summary>oneDNN <c>lrn_across_channels</c>: window [c-floor((n-1)/2), c+floor((n-1)/2)], a = alpha/n (even n sums only n-1 terms).</summary>
    OneDnn,

    /// <summary>MXNet <c>LRN</c>: window [c-(n-1)/2, c+(n-1)/2], a = alpha/n, odd n only.</summary>
    MXNet,

    /// <summary>Krizhevsky et al. 2012, section 3.3: window [c-floor(n/2), c+floor(n/2)], a = alpha (not divided).</summary>
    Paper,
}
