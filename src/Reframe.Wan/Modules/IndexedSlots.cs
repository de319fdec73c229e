using System.Globalization;
using TorchSharp;

namespace Reframe.Wan.Modules;

/// <summary>
/// A container whose children are named by their index in the reference's <c>nn.Sequential</c>, so that
/// parameter paths equal checkpoint keys (<c>residual.2.weight</c>, <c>head.2.bias</c>). Parameterless layers
/// (SiLU, dropout, padding) keep their number in the reference but are not registered here; the owning module
/// runs them itself.
/// </summary>
public sealed class IndexedSlots : torch.nn.Module
{
    public IndexedSlots(params (int Index, torch.nn.Module Module)[] slots) : base(nameof(IndexedSlots))
    {
        foreach (var (index, module) in slots)
        {
            register_module(index.ToString(CultureInfo.InvariantCulture), module);
        }
    }

    public IndexedSlots(IEnumerable<torch.nn.Module> modules) : this(modules.Select((m, i) => (i, m)).ToArray())
    {
    }
}
