using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using static TorchSharp.torch;

namespace Reframe.Wan.Checkpoints;

/// <summary>
/// A minimal unpickler for the <c>data.pkl</c> of a <c>torch.save(state_dict)</c> archive (protocols 2 to 4).
/// It interprets only what a state dict needs: dicts (plain and <c>collections.OrderedDict</c>), tuples, lists,
/// scalars, strings, storages by persistent id and <c>torch._utils._rebuild_tensor_v2</c> /
/// <c>_rebuild_parameter</c>. No global is ever imported or called: other callables are kept as inert
/// <see cref="PickleReduced"/> values, so a hostile pickle cannot run code; malformed input fails with
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class StateDictUnpickler
{
    private static readonly Dictionary<string, ScalarType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["DoubleStorage"] = ScalarType.Float64,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    private static readonly object Mark = new();

    private readonly byte[] _data;
    private readonly Stack<object?> _stack = new();
    private readonly Stack<Stack<object?>> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private StateDictUnpickler(byte[] data) => _data = data;

    /// <summary>Runs the pickle and returns its top-level value.</summary>
    public static object? Load(byte[] pickle) => new StateDictUnpickler(pickle).Run();

    private object? Run()
    {
        while (true)
        {
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: ReadByte(); break; // PROTO n
                case 0x95: Skip(8); break; // FRAME (protocol 4): framing is irrelevant when all bytes are in memory
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': _marks.Push(new Stack<object?>(_stack.Reverse())); _stack.Clear(); break; // MARK
                case (byte)'}': _stack.Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)']': _stack.Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': _stack.Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'N': _stack.Push(null); break;
                case 0x88: _stack.Push(true); break; // NEWTRUE
                case 0x89: _stack.Push(false); break; // NEWFALSE
                case (byte)'J': _stack.Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': _stack.Push((long)ReadByte()); break; // BININT1
                case (byte)'M': _stack.Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: _stack.Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: _stack.Push(ReadLong(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break; // LONG4
                case (byte)'G': _stack.Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': _stack.Push(ReadText(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break; // BINUNICODE
                case 0x8c: _stack.Push(ReadText(ReadByte())); break; // SHORT_BINUNICODE
                case (byte)'U': _stack.Push(ReadText(ReadByte())); break; // SHORT_BINSTRING
                case (byte)'T': _stack.Push(ReadText(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break; // BINSTRING
                case (byte)'C': _stack.Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': _stack.Push(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))).ToArray()); break; // BINBYTES
                case (byte)'c': _stack.Push(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    string name = (string)Pop()!;
                    _stack.Push(new PickleGlobal((string)Pop()!, name));
                    break;
                }

                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': _stack.Push(Memo(ReadByte())); break; // BINGET
                case (byte)'j': _stack.Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'t': _stack.Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: _stack.Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); _stack.Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); _stack.Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': _stack.Push(PopMark()); break; // LIST
                case (byte)'d': _stack.Push(ToDict(PopMark())); break; // DICT
                case (byte)'a': { var item = Pop(); AsList(Peek()).Add(item); break; } // APPEND
                case (byte)'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'s': { var value = Pop(); var key = Pop(); AsDict(Peek()).Set(Key(key), value); break; } // SETITEM
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    var dict = AsDict(Peek());
                    for (int i = 0; i + 1 < items.Count; i += 2)
                    {
                        dict.Set(Key(items[i]), items[i + 1]);
                    }

                    break;
                }

                case (byte)'Q': _stack.Push(PersistentLoad(Pop())); break; // BINPERSID
                case (byte)'R': { var args = Pop(); var callable = Pop(); _stack.Push(Call(callable, args)); break; } // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); _stack.Push(Call(cls, args)); break; } // NEWOBJ
                case (byte)'b': Pop(); break; // BUILD: object state (e.g. the state dict's _metadata); ignored
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': _stack.Push(Peek()); break; // DUP
                default:
                    throw new InvalidDataException($"pickle opcode 0x{opcode:x2} at byte {_position - 1} is not supported");
            }
        }
    }

    private static object? Call(object? callable, object? arguments)
    {
        if (callable is not PickleGlobal global || arguments is not object?[] args)
        {
            throw new InvalidDataException("REDUCE of something that is not a global with a tuple of arguments");
        }

        return global.FullName switch
        {
            "collections.OrderedDict" => new PickleDict(),
            "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" => RebuildTensor(args),
            "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state" => args[0],
            _ => new PickleReduced(global, args),
        };
    }

    private static PthTensor RebuildTensor(object?[] args)
    {
        if (args.Length < 4 || args[0] is not PthStorage storage || args[1] is not long offset)
        {
            throw new InvalidDataException("_rebuild_tensor_v2 called with unexpected arguments");
        }

        return new PthTensor(storage, offset, Longs(args[2]), Longs(args[3]));
    }

    private static long[] Longs(object? tuple) =>
        tuple is object?[] items && items.All(i => i is long)
            ? items.Select(i => (long)i!).ToArray()
            : throw new InvalidDataException("tensor size/stride is not a tuple of integers");

    private static PthStorage PersistentLoad(object? id)
    {
        // ('storage', <GLOBAL torch.XStorage>, key, location, numel)
        if (id is not object?[] { Length: >= 4 } items || items[0] as string != "storage"
            || items[1] is not PickleGlobal storageType || items[2] is not string key)
        {
            throw new InvalidDataException("persistent id is not a torch storage reference");
        }

        if (!StorageTypes.TryGetValue(storageType.Name, out var dtype))
        {
            throw new NotSupportedException($"storage type {storageType.FullName} is not supported");
        }

        return new PthStorage(key, dtype, items[3] as string ?? "");
    }

    private static object Key(object? key) =>
        key ?? throw new InvalidDataException("dict key is None");

    private static PickleDict ToDict(List<object?> items)
    {
        var dict = new PickleDict();
        for (int i = 0; i + 1 < items.Count; i += 2)
        {
            dict.Set(Key(items[i]), items[i + 1]);
        }

        return dict;
    }

    private static List<object?> AsList(object? value) =>
        value as List<object?> ?? throw new InvalidDataException("APPEND to something that is not a list");

    private static PickleDict AsDict(object? value) =>
        value as PickleDict ?? throw new InvalidDataException("SETITEM on something that is not a dict");

    private object? Memo(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw new InvalidDataException($"memo {index} is unset");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException("pickle pops a MARK that was never pushed");
        }

        var items = _stack.Reverse().ToList(); // bottom to top = pickling order
        _stack.Clear();
        foreach (var item in _marks.Pop().Reverse())
        {
            _stack.Push(item);
        }

        return items;
    }

    private object? Pop() =>
        _stack.Count > 0 ? _stack.Pop() : throw new InvalidDataException("pickle stack underflow");

    private object? Peek() =>
        _stack.Count > 0 ? _stack.Peek() : throw new InvalidDataException("pickle stack underflow");

    private byte ReadByte() => Take(1)[0];

    private void Skip(int count) => Take(count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position > _data.Length - count)
        {
            throw new InvalidDataException("pickle ends early");
        }

        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private string ReadText(int length) => Encoding.UTF8.GetString(Take(length));

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
        {
            throw new InvalidDataException("pickle ends inside a GLOBAL");
        }

        string line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private object ReadLong(int length)
    {
        if (length > 8)
        {
            return new BigInteger(Take(length), isUnsigned: false, isBigEndian: false);
        }

        Span<byte> buffer = stackalloc byte[8];
        var bytes = Take(length);
        bytes.CopyTo(buffer);
        if (length > 0 && (bytes[^1] & 0x80) != 0)
        {
            buffer[length..].Fill(0xFF); // sign-extend the two's-complement value
        }

        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }
}
