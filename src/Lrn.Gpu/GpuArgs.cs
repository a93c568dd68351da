namespace Lrn.Gpu;

/// <summary>
/// Everything a GPU kernel needs, derived once per call on the host from the shape and the parameters (kernels never
/// re-derive the window or the coefficient), passed by value to the kernel.
/// <para>
/// Across channels the tensor is Outer x Channels x Inner: channels-first (N, C, D...) has Outer = N and Inner = the
/// spatial size; channels-last (N, D..., C) has Outer = N * spatial size and Inner = 1. Within a channel it is Batch
/// images of Positions spatial positions (dims D0 x D1 x D2, missing axes 1) by Channels channels, in either layout.
/// </para>
/// </summary>
internal struct GpuArgs
{
    /// <summary>
    /// The float32 fast path handles s in [2^-reach, 2^reach] with reach = min(100, 120 / beta), so that s, every
    /// partial product and s^-beta are normal float32 numbers; anything else goes to float64.
    /// </summary>
    public const int Float32Reach = 100;

    public int Total;
    public int Outer;
    public int Channels;
    public int Inner;
    public int Lo;
    public int Hi;
    public double A;
    public double K;
    public double Beta;
    public int Mode;
    public int HasY;

    /// <summary>1 when float32 data may take the float32 arithmetic path (a and k are zero or normal float32 numbers in reach).</summary>
    public int Float32Allowed;
    public float A32;
    public float K32;
    public float MinS32;
    public float MaxS32;

    /// <summary>
    /// Window sums of squares below this go to float64: a sum this small may hold float32 squares that underflowed, and
    /// they would matter against k. Zero when they never matter (a * window * 2^-149 is below 2^-40 k).
    /// </summary>
    public float MinSum32;
    public float MaxSum32;

    // Within a channel.
    public int ChannelsLast;
    public int Positions;
    public int D0;
    public int D1;
    public int D2;
}
