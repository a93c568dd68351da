namespace Lrn.Gpu;

/// <summary>Checks a call's shape and parameters against the GPU kernels' limits and derives their <see cref="GpuArgs"/>.</summary>
internal static class GpuPlan
{
    /// <summary>The spatial axes the within-channel kernels handle (rank 3 to 5).</summary>
    public const int MaxWithinSpatialAxes = 3;

    public static GpuArgs Args(LrnShape shape, LrnParameters parameters)
    {
        if (shape.ElementCount > int.MaxValue)
        {
            throw new ArgumentException(
                $"shape {shape} has {shape.ElementCount} elements; the GPU kernels take at most {int.MaxValue} per call (split the batch)", nameof(shape));
        }

        var a = new GpuArgs
        {
            Total = (int)shape.ElementCount,
            Channels = shape.Channels,
            Lo = parameters.Lo,
            Hi = parameters.Hi,
            K = parameters.K,
            Beta = parameters.Beta,
            Mode = DevicePower.ModeOf(parameters.Beta),
        };

        int spatialAxes = shape.Rank - 2;
        if (parameters.Region == LrnRegion.WithinChannel)
        {
            if (spatialAxes < 1 || spatialAxes > MaxWithinSpatialAxes)
            {
                throw new ArgumentException(
                    $"shape must have 1 to {MaxWithinSpatialAxes} spatial axes (rank 3 to 5) for within-channel LRN on the GPU; got {shape}", nameof(shape));
            }

            a.A = parameters.Coefficient(spatialAxes);
            a.ChannelsLast = shape.Layout == LrnLayout.ChannelsLast ? 1 : 0;
            a.Positions = (int)shape.SpatialSize;
            int first = shape.Layout == LrnLayout.ChannelsFirst ? 2 : 1;
            int[] dims = [1, 1, 1];
            for (int axis = 0; axis < spatialAxes; axis++)
            {
                dims[MaxWithinSpatialAxes - spatialAxes + axis] = shape.Dims[first + axis];
            }

            (a.D0, a.D1, a.D2) = (dims[0], dims[1], dims[2]);
            a.Lo = ClipReach(parameters.Lo);
            a.Hi = ClipReach(parameters.Hi);
        }
        else
        {
            a.A = parameters.A;
            bool channelsFirst = shape.Layout == LrnLayout.ChannelsFirst;
            a.Inner = channelsFirst ? (int)shape.SpatialSize : 1;
            a.Outer = channelsFirst ? shape.Batch : (int)(shape.Batch * shape.SpatialSize);
        }

        Float32Range(ref a, parameters.Region == LrnRegion.WithinChannel ? WindowElements(a) : parameters.WindowLength);
        return a;
    }

    /// <summary>A reach past any tensor's extent sums the same positions; clipping keeps index arithmetic in int.</summary>
    private static int ClipReach(int reach) => Math.Min(reach, 1 << 20);

    private static double WindowElements(in GpuArgs a)
    {
        double side = (double)a.Lo + a.Hi + 1;
        return Math.Min(side, a.D0) * Math.Min(side, a.D1) * Math.Min(side, a.D2);
    }

    /// <summary>Where float32 data may use float32 arithmetic: see <see cref="GpuArgs.Float32Reach"/>.</summary>
    private static void Float32Range(ref GpuArgs a, double windowElements)
    {
        double reach = a.Beta > 0 ? Math.Min(GpuArgs.Float32Reach, Math.Floor(120 / a.Beta)) : GpuArgs.Float32Reach;
        double low = Math.Pow(2, -reach), high = Math.Pow(2, reach);
        bool aFits = a.A == 0 || (a.A >= low && a.A <= high);
        bool kFits = a.K == 0 || (a.K >= low && a.K <= high);
        a.Float32Allowed = aFits && kFits ? 1 : 0;
        a.A32 = (float)a.A;
        a.K32 = (float)a.K;
        a.MinS32 = (float)low;
        a.MaxS32 = (float)high;
        a.MaxSum32 = (float)Math.Pow(2, GpuArgs.Float32Reach);

        // Squares below 2^-126 lose bits and below 2^-149 vanish: at most windowElements * 2^-149 of the sum. Harmless
        // when that is below 2^-40 of k; otherwise sums under 2^-100 (where it could reach 2^-49 of the sum) go to float64.
        bool underflowHarmless = a.A * windowElements * Math.Pow(2, -149) <= Math.Pow(2, -40) * a.K;
        a.MinSum32 = underflowHarmless ? 0 : (float)Math.Pow(2, -100);
    }
}
