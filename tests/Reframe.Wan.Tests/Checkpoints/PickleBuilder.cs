using System.Buffers.Binary;
using System.Text;

namespace Reframe.Wan.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand, to build <c>torch.save</c>-shaped state dicts in tests.</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream _bytes = new();
    private int _memo;

    public PickleBuilder Op(byte opcode) { _bytes.WriteByte(opcode); return this; }

    public PickleBuilder Proto(byte version) => Op(0x80).Op(version);

    public PickleBuilder Global(string module, string name) => Op((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleBuilder Text(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Op((byte)'X');
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Raw(length.ToArray()).Raw(utf8);
    }

    public PickleBuilder Int(int value)
    {
        if (value is >= 0 and < 256)
        {
            return Op((byte)'K').Op((byte)value);
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op((byte)'J').Raw(bytes.ToArray());
    }

    public PickleBuilder Put() => Op((byte)'q').Op((byte)_memo++);

    public PickleBuilder Get(byte index) => Op((byte)'h').Op(index);

    public PickleBuilder Mark() => Op((byte)'(');

    public PickleBuilder Tuple() => Op((byte)'t');

    public PickleBuilder EmptyTuple() => Op((byte)')');

    public PickleBuilder EmptyDict() => Op((byte)'}');

    public PickleBuilder Reduce() => Op((byte)'R');

    public PickleBuilder SetItems() => Op((byte)'u');

    public PickleBuilder Build() => Op((byte)'b');

    public PickleBuilder False() => Op(0x89);

    public PickleBuilder PersistentId() => Op((byte)'Q');

    public PickleBuilder Stop() => Op((byte)'.');

    public PickleBuilder IntTuple(params int[] values)
    {
        Mark();
        foreach (int v in values)
        {
            Int(v);
        }

        return Tuple();
    }

    /// <summary><c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c> as torch.save writes it.</summary>
    public PickleBuilder Tensor(string storageType, string key, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Put();
        Mark();
        Mark().Text("storage").Global("torch", storageType).Text(key).Text("cpu").Int(size.Aggregate(1, (a, b) => a * b)).Tuple()
            .PersistentId();
        Int(offset).IntTuple(size).IntTuple(stride).False();
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce().Put();
    }

    public PickleBuilder Raw(byte[] bytes) { _bytes.Write(bytes); return this; }

    public byte[] ToArray() => _bytes.ToArray();
}
