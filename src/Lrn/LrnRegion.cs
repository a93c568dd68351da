namespace Lrn;

/// <summary>Which neighbours an LRN window sums over: see <see cref="LrnParameters.Region"/>.</summary>
public enum LrnRegion
{
    /// <summary>
    /// Neighbouring channels at the same batch index and spatial position:
    /// <c>s_c = k + a * sum_{j = c-lo .. c+hi} x_j^2</c>. Every convention has this mode; it is what "LRN" usually means.
    /// </summary>
    AcrossChannels,

    /// <summary>
    /// Neighbouring spatial positions in the same channel (Caffe <c>WITHIN_CHANNEL</c>, cuDNN divisive normalization,
    /// oneDNN <c>lrn_within_channel</c>): <c>s_p = k + a * sum_{q in N(p)} x_q^2</c>, where N(p) spans n positions
    /// along each spatial axis, centred on p, zero padded. Needs at least one spatial axis (rank &gt;= 3).
    /// </summary>
    WithinChannel,
}
