using System.Buffers.Binary;

namespace Reframe.Wan.Text;

/// <summary>
/// Minimal reader for the protobuf wire format, enough for SentencePiece's <c>ModelProto</c>: varints,
/// 32/64-bit fixed fields and length-delimited fields. Written by hand so that loading a tokenizer needs no
/// generated code and no reflection; unknown fields are skipped, as protobuf requires.
/// </summary>
internal ref struct ProtobufWireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtobufWireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>Reads the next tag; returns the field number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        ulong field = tag >> 3;
        if (field == 0 || field > 536_870_911) // 2^29 - 1, the largest protobuf field number
        {
            throw new InvalidDataException($"Invalid protobuf field number {field}.");
        }
        return ((int)field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("Truncated protobuf varint.");
            }
            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new InvalidDataException("Protobuf varint longer than 10 bytes.");
    }

    /// <summary>An int32 field: protobuf encodes negative int32 values as 10-byte sign-extended varints.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    public bool ReadBool() => ReadVarint() != 0;

    public float ReadFloat()
    {
        var bytes = Take(4);
        return BinaryPrimitives.ReadSingleLittleEndian(bytes);
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new InvalidDataException("Protobuf length-delimited field runs past the end of its message.");
        }
        return Take((int)length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: ReadLengthDelimited(); break;
            case 5: Take(4); break;
            default: throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new InvalidDataException("Truncated protobuf field.");
        }
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
