using System.Globalization;
using TorchSharp;

namespace Reframe.Wan.Modules;

/// <summary>
/// A container whose children are named by their index in the reference's <c>nn.Sequential</c>, so that
/// parameter paths equal checkpoint keys (<c>residual.2.weight</c>, <c>head.2.bias</c>). Parameterless layers
/// (SiLU, dropout, padding) keep their number in the reference but are not registered here; the owning module
/// runs them itself.
/// </summary>
/// <remarks>
/// The owner keeps this container in a field named as the key (<c>residual</c>) and the slots it runs in typed
/// fields commented with their key (<c>_conv1; // residual.2</c>). Such an owner overrides <c>RegisterComponents</c>
/// to do nothing: TorchSharp runs that reflective pass on every module a parent registers, and it would register
/// the typed slot fields a second time as children named after the fields (no new keys, but every such module
/// twice in <c>named_modules()</c>).
/// </remarks>
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
