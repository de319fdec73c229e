using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Vae;

/// <summary>
/// Collects the VAE's per-chunk layer outputs of sample 0 (what the kit stores as intermediates) and joins
/// them along time, giving the whole clip's activation at each layer.
/// </summary>
internal sealed class ActivationRecorder : IDisposable
{
    private readonly Dictionary<string, List<Tensor>> _chunks = new(StringComparer.Ordinal);

    public void Record(string name, Tensor output)
    {
        if (!_chunks.TryGetValue(name, out var list))
        {
            _chunks[name] = list = [];
        }

        list.Add(output.narrow(0, 0, 1).to(ScalarType.Float32).clone().DetachFromDisposeScope());
    }

    public bool Has(string name) => _chunks.ContainsKey(name);

    /// <summary>The recorded chunks of <paramref name="name"/> concatenated along time (dim 2).</summary>
    public Tensor Joined(string name) => cat(_chunks[name], 2);

    public void Dispose()
    {
        foreach (var tensor in _chunks.Values.SelectMany(l => l))
        {
            tensor.Dispose();
        }

        _chunks.Clear();
    }
}
