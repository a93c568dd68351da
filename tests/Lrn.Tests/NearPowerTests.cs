using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// The SIMD kernels' float32 s^-beta near k (the binomial series of (k + t)^-beta to degree 6, for s from k to
/// k (1 + 1/16)), which the float32 forward takes for exponents other than 0.5, 0.75 and 1 where every lane's s is
/// that close to k: against Math.Pow over the whole reach, at every width, and its reach.
/// </summary>
public class NearPowerTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    private static bool TryNear(int width, in LrnPlan plan, float[] s, float[] power) => width switch
    {
        512 => Vector512Kernel.TryNearNegativePower(plan, s, power),
        256 => Vector256Kernel.TryNearNegativePower(plan, s, power),
        _ => Vector128Kernel.TryNearNegativePower(plan, s, power),
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_series_near_k_is_within_one_ulp_of_math_pow(int width)
    {
        foreach (double k in new[] { 1e-20, 1e-3, 0.75, 1, 2, 3.3, 1e4, 1e25 })
        {
            foreach (double beta in new[] { 0.05, 0.3, 0.6, 0.9, 1.15, 1.2 })
            {
                var plan = new LrnPlan(LrnShape.ChannelsFirst(1, 3, 16), LrnParameters.Canonical(1, 1, 1e-4, k, beta));
                float kf = (float)k;
                float[] s = new float[4096];
                for (int i = 0; i < s.Length; i++)
                {
                    // From k to just under k (1 + 1/16), evenly, with k itself first.
                    s[i] = (float)(kf * (1 + (i / (double)s.Length / 16)));
                }

                float[] power = new float[s.Length];
                bool extreme = k is < 1e-10 or > 1e10; // coefficient i is about k^-(beta + i): out of float32's range
                bool near = TryNear(width, plan, s, power);
                Assert.True(near || extreme, $"k {k}, beta {beta}: s within k (1 + 1/16) is out of reach");
                if (!near)
                {
                    continue;
                }

                for (int i = 0; i < s.Length; i++)
                {
                    float expected = (float)Math.Pow(s[i], -beta);
                    Assert.True(Ulps.Between(expected, power[i]) <= 1, $"width {width}, k {k}, beta {beta}, s {s[i]:R}: {power[i]:R} vs Math.Pow {expected:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_series_does_not_reach_beyond_k_times_17_16_nor_serve_k_0(int width)
    {
        var plan = new LrnPlan(LrnShape.ChannelsFirst(1, 3, 16), LrnParameters.Canonical(1, 1, 1e-4, 2, 0.6));
        float[] s = new float[64];
        Array.Fill(s, 2f);
        s[17] = MathF.BitIncrement(2 * 17f / 16);
        float[] power = new float[s.Length];
        Assert.False(TryNear(width, plan, s, power));
        s[17] = float.NaN;
        Assert.False(TryNear(width, plan, s, power));
        s[17] = 2 * 17f / 16;
        Assert.True(TryNear(width, plan, s, power));

        var zeroK = new LrnPlan(LrnShape.ChannelsFirst(1, 3, 16), LrnParameters.Canonical(1, 1, 1e-4, 0, 0.6));
        Assert.False(TryNear(width, zeroK, new float[64], power));
    }
}
