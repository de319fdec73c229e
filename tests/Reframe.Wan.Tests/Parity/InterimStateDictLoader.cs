using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Parity;

/// <summary>
/// Strict copy of a state dict into a module for tests, until the src loader is merged: every key of the module
/// must be in the file with the same shape, and the file must hold nothing else.
/// </summary>
public static class InterimStateDictLoader
{
    public static void LoadStrict(nn.Module module, Dictionary<string, Tensor> tensors)
    {
        var state = module.state_dict();
        var missing = state.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var misShaped = state.Keys.Where(k => tensors.TryGetValue(k, out var t) && !t.shape.SequenceEqual(state[k].shape)).ToList();
        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            throw new InvalidOperationException(
                $"missing: [{string.Join(", ", missing)}] unexpected: [{string.Join(", ", unexpected)}] mis-shaped: [{string.Join(", ", misShaped)}]");
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in state)
        {
            target.copy_(tensors[name]);
        }
    }
}
