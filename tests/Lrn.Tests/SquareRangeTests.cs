using Lrn.Kernels;

namespace Lrn.Tests;

/// <summary>
/// The 16-register one-pass loops check the float32 range on the squares they take (the largest x^2 as unsigned bits,
/// against the plan's float32 max squared) instead of on |x|: it must accept exactly the blocks whose every x is in
/// the plan's range (|x| &lt;= max, or 0, or within [min, max] where the range has a lower bound), for any plan.
/// </summary>
public class SquareRangeTests
{
    public static TheoryData<int> Widths => [128, 256, 512];

    private static bool InRange(int width, in LrnPlan plan, float[] x) => width switch
    {
        512 => Vector512Kernel.SquaresInFloat32Range(plan, x),
        256 => Vector256Kernel.SquaresInFloat32Range(plan, x),
        _ => Vector128Kernel.SquaresInFloat32Range(plan, x),
    };

    /// <summary>The rule the plan states, value by value.</summary>
    private static bool InPlanRange(in LrnPlan plan, float v) =>
        v == 0 || (Math.Abs(v) <= plan.Float32MaxAbs && Math.Abs(v) >= plan.Float32MinAbs);

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_check_on_squares_accepts_exactly_the_values_within_the_plans_range(int width)
    {
        var random = new Random(20261127);
        int checkedPlans = 0;
        foreach (int n in new[] { 1, 2, 3, 5, 7, 13, 31, 64 })
        {
            foreach (double a in new[] { 1e-30, 1e-10, 1e-4, 0.3, 1, 7, 1e10 })
            {
                foreach (double k in new[] { 0.0, 1e-20, 2 })
                {
                    var plan = new LrnPlan(LrnShape.ChannelsFirst(1, 8, 64), LrnParameters.PyTorch(n, a * n, 0.75, k));
                    if (!plan.Float32Allowed)
                    {
                        continue;
                    }

                    checkedPlans++;
                    float max = plan.Float32MaxAbs;
                    float min = plan.Float32MinAbs;
                    var values = new List<float>
                    {
                        max, -max, float.BitDecrement(max), float.BitIncrement(max), -float.BitIncrement(max),
                        float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 0f, -0f, 1f, float.MaxValue,
                        float.Epsilon, min, float.BitDecrement(min), -float.BitDecrement(min),
                    };
                    foreach (float v in values)
                    {
                        // The value at one lane of a block of ordinary values, at each of two places.
                        foreach (int at in new[] { 0, (width / 32) + 1 })
                        {
                            float[] x = new float[2 * width / 32];
                            for (int i = 0; i < x.Length; i++)
                            {
                                x[i] = (float)(random.NextDouble() - 0.5);
                            }

                            x[at] = v;
                            bool expected = x.All(u => InPlanRange(plan, u));
                            Assert.True(
                                expected == InRange(width, plan, x),
                                $"n = {n}, a = {a}, k = {k}: {v} (max {max}, min {min}) at {at}: expected in range {expected}");
                        }
                    }
                }
            }
        }

        Assert.True(checkedPlans > 100, $"only {checkedPlans} plans allow float32");
    }
}
