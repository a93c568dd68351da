using System.Collections.ObjectModel;
using System.Globalization;

namespace Lrn;

/// <summary>
/// The dimensions of a contiguous, row-major tensor and where its channel axis is.
/// Rank 2 (N, C) up to any rank; every dimension &gt;= 0 (a zero dimension makes an empty tensor, on which every
/// operation does nothing). The element count must fit in a signed 64-bit integer.
/// </summary>
public sealed class LrnShape : IEquatable<LrnShape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape.</summary>
    /// <param name="layout">Where the channel axis sits.</param>
    /// <param name="dims">The dimensions, outermost first; at least 2 (batch and channels).</param>
    /// <exception cref="ArgumentException">Fewer than 2 dimensions, a negative dimension, or an element count beyond 2^63-1.</exception>
    public LrnShape(LrnLayout layout, params ReadOnlySpan<int> dims)
    {
        if (layout is not (LrnLayout.ChannelsFirst or LrnLayout.ChannelsLast))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), $"layout must be ChannelsFirst or ChannelsLast, got {(int)layout}");
        }

        if (dims.Length < 2)
        {
            throw new ArgumentException($"dims must have rank >= 2 (batch and channels), got rank {dims.Length}", nameof(dims));
        }

        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(dims), $"dims must all be >= 0, got {dims[i]} at axis {i}");
            }

            try
            {
                count = checked(count * dims[i]);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"dims must have an element count that fits in 64 bits; {Format(dims)} overflows", nameof(dims));
            }
        }

        Layout = layout;
        _dims = dims.ToArray();
        ElementCount = count;
        ChannelAxis = layout == LrnLayout.ChannelsFirst ? 1 : dims.Length - 1;
        Channels = dims[ChannelAxis];
        Batch = dims[0];
        SpatialSize = dims.Length == 2 ? 1 : count == 0 ? ProductSkipping(dims, ChannelAxis) : count / Batch / Channels;
    }

    /// <summary>A channels-first shape (N, C, D1, ..., Dk).</summary>
    public static LrnShape ChannelsFirst(params ReadOnlySpan<int> dims) => new(LrnLayout.ChannelsFirst, dims);

    /// <summary>A channels-last shape (N, D1, ..., Dk, C).</summary>
    public static LrnShape ChannelsLast(params ReadOnlySpan<int> dims) => new(LrnLayout.ChannelsLast, dims);

    /// <summary>Where the channel axis sits.</summary>
    public LrnLayout Layout { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlyCollection<int> Dims => Array.AsReadOnly(_dims);

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>The index of the channel axis: 1 for channels-first, Rank-1 for channels-last.</summary>
    public int ChannelAxis { get; }

    /// <summary>The batch size N (the first dimension).</summary>
    public int Batch { get; }

    /// <summary>The number of channels C.</summary>
    public int Channels { get; }

    /// <summary>The product of the spatial dimensions (1 for rank 2).</summary>
    public long SpatialSize { get; }

    /// <summary>The number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>
    /// The tensor seen as [outer, C, inner] with element (o, c, i) at (o*C + c)*inner + i:
    /// channels-first has outer = N and inner = the spatial size; channels-last has outer = N * spatial size and inner = 1.
    /// </summary>
    internal (long Outer, int Channels, long Inner) ChannelView =>
        Layout == LrnLayout.ChannelsFirst ? (Batch, Channels, SpatialSize) : ((long)Batch * SpatialSize, Channels, 1);

    /// <summary>The dimensions as "[2, 3, 4]" with the layout, for messages.</summary>
    public override string ToString() => $"{Format(_dims)} {(Layout == LrnLayout.ChannelsFirst ? "channels-first" : "channels-last")}";

    /// <inheritdoc/>
    public bool Equals(LrnShape? other) => other is not null && Layout == other.Layout && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LrnShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Layout);
        foreach (int d in _dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    private static string Format(ReadOnlySpan<int> dims)
    {
        var parts = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            parts[i] = dims[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    // With a zero dimension the count is 0 and cannot be divided back, so the spatial size is multiplied out (saturating:
    // the tensor is empty, the number only describes the shape).
    private static long ProductSkipping(ReadOnlySpan<int> dims, int channelAxis)
    {
        long product = 1;
        for (int i = 1; i < dims.Length; i++)
        {
            if (i != channelAxis)
            {
                product = dims[i] == 0 ? 0 : product > long.MaxValue / dims[i] ? long.MaxValue : product * dims[i];
            }
        }

        return product;
    }
}
