namespace Reframe.Wan.Checkpoints;

/// <summary>A <c>module.name</c> reference from a GLOBAL opcode. Never resolved to code: only recognised.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>The result of calling a global we do not interpret (kept so that unrelated values do not fail).</summary>
internal sealed record PickleReduced(PickleGlobal Callable, object?[] Arguments);

/// <summary>A dict in insertion order (state dicts are <c>OrderedDict</c>s; order is worth keeping for errors).</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object, object?>> Items { get; } = [];

    public void Set(object key, object? value)
    {
        int index = Items.FindIndex(kv => Equals(kv.Key, key));
        if (index >= 0)
        {
            Items[index] = new(key, value);
        }
        else
        {
            Items.Add(new(key, value));
        }
    }
}

/// <summary>A storage named by a persistent id <c>('storage', torch.XStorage, key, location, numel)</c>.</summary>
internal sealed record PthStorage(string Key, TorchSharp.torch.ScalarType DType, string Location);

/// <summary><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)</c>: a view of a storage.</summary>
internal sealed record PthTensor(PthStorage Storage, long StorageOffset, long[] Shape, long[] Stride)
{
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Stride[d] != expected)
                {
                    return false;
                }

                expected *= Shape[d];
            }

            return true;
        }
    }
}
