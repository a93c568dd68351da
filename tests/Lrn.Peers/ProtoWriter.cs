using System.Buffers.Binary;
using System.Text;

namespace Lrn.Peers;

/// <summary>
/// The little of the protobuf wire format an ONNX model needs: varint fields (wire type 0), 32-bit floats
/// (wire type 5) and length-delimited fields (wire type 2) for strings, bytes and nested messages.
/// A nested message is written into its own writer first, then added whole, so lengths are always known.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly List<byte> _bytes = [];

    /// <summary>An int32, int64 or enum field. Negative values take ten bytes, as protobuf encodes them.</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, WireVarint);
        WriteVarint((ulong)value);
        return this;
    }

    /// <summary>A float field.</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> le = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(le, value);
        _bytes.AddRange(le);
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A nested message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>A bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }
}
