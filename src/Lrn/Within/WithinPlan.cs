namespace Lrn.Within;

/// <summary>
/// Everything a within-channel kernel needs, derived once per call from the shape and the parameters, so kernels never
/// re-derive the window or the coefficient. The tensor is seen as Batch images of Positions spatial positions (the
/// spatial axes <see cref="Dims"/>, row-major) by Channels channels, in either layout.
/// </summary>
internal sealed class WithinPlan
{
    /// <summary>
    /// Channels per work item. They ride along as the innermost axis of the item's plane, so every spatial axis has at
    /// least this many independent lanes side by side in memory. Not tuned yet: 16 doubles are two AVX-512 or four AVX2
    /// vectors, and a 55 x 55 item's plane is 380 KiB.
    /// </summary>
    public const int ChannelTile = 16;

    public WithinPlan(LrnShape shape, LrnParameters parameters)
    {
        int spatialAxes = shape.Rank - 2;
        if (spatialAxes < 1)
        {
            throw new ArgumentException(
                $"shape must have at least one spatial axis (rank >= 3) for within-channel LRN, which sums over spatial neighbours; got {shape}",
                nameof(shape));
        }

        Layout = shape.Layout;
        Batch = shape.Batch;
        Channels = shape.Channels;
        Dims = new int[spatialAxes];
        int first = Layout == LrnLayout.ChannelsFirst ? 2 : 1;
        for (int axis = 0; axis < spatialAxes; axis++)
        {
            Dims[axis] = shape.Dims[first + axis];
        }

        Positions = shape.SpatialSize;
        IsEmpty = shape.ElementCount == 0;
        Lo = parameters.Lo;
        Hi = parameters.Hi;

        // The window reaching past both ends of an axis sums the same positions as one reaching exactly to them, so the
        // fast kernel's reach is clipped to D-1 per axis: its scratch and work never depend on an oversized window.
        ClippedLo = new int[spatialAxes];
        ClippedHi = new int[spatialAxes];
        for (int axis = 0; axis < spatialAxes; axis++)
        {
            int maxReach = Math.Max(Dims[axis] - 1, 0);
            ClippedLo[axis] = Math.Min(Lo, maxReach);
            ClippedHi[axis] = Math.Min(Hi, maxReach);
        }

        A = parameters.Coefficient(spatialAxes);
        K = parameters.K;
        Beta = parameters.Beta;

        // Work items are fixed by the shape alone, never by the thread count, so every degree of parallelism computes
        // each element in the same order: results are bit-identical. One item: a batch index and a block of up to
        // ChannelTile channels, in either layout.
        Lanes = Math.Max(1, Math.Min(Channels, ChannelTile));
        ChannelBlocks = (Channels + Lanes - 1) / Lanes;
        ItemCount = IsEmpty ? 0 : (long)Batch * ChannelBlocks;
    }

    public LrnLayout Layout { get; }

    public int Batch { get; }

    public int Channels { get; }

    /// <summary>The spatial dimensions D1..Dd, outermost first.</summary>
    public int[] Dims { get; }

    public int SpatialAxes => Dims.Length;

    /// <summary>The number of spatial positions per (batch, channel), the product of <see cref="Dims"/>.</summary>
    public long Positions { get; }

    public bool IsEmpty { get; }

    /// <summary>Positions before p along each spatial axis, (n-1)/2, unclipped (the reference's window).</summary>
    public int Lo { get; }

    /// <summary>Positions after p along each spatial axis, (n-1)/2, unclipped.</summary>
    public int Hi { get; }

    /// <summary><see cref="Lo"/> clipped to D-1 on each axis.</summary>
    public int[] ClippedLo { get; }

    /// <summary><see cref="Hi"/> clipped to D-1 on each axis.</summary>
    public int[] ClippedHi { get; }

    /// <summary>The per-term coefficient a for this tensor's number of spatial axes, from <see cref="LrnParameters.Coefficient"/>.</summary>
    public double A { get; }

    public double K { get; }

    public double Beta { get; }

    /// <summary>Channels per work item: up to <see cref="ChannelTile"/>; the last block of a batch index may have fewer.</summary>
    public int Lanes { get; }

    public int ChannelBlocks { get; }

    public long ItemCount { get; }

    /// <summary>The flat index of (batch b, channel c, spatial position p) in the plan's layout.</summary>
    public long Index(long b, int c, long p) => Layout == LrnLayout.ChannelsFirst
        ? (((b * Channels) + c) * Positions) + p
        : (((b * Positions) + p) * Channels) + c;

    /// <summary>The batch index and channel range [c0, c1) of a work item.</summary>
    public void ItemBounds(long item, out long b, out int c0, out int c1)
    {
        b = item / ChannelBlocks;
        c0 = (int)(item % ChannelBlocks) * Lanes;
        c1 = Math.Min(c0 + Lanes, Channels);
    }
}
