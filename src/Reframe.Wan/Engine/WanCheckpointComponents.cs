using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using Reframe.Wan.Transformer;

namespace Reframe.Wan.Engine;

/// <summary>
/// The model parts read from a model folder in the published layout (<see cref="WanModelLayout"/>), built for
/// one runtime (device + dtype). Experts and the text encoder are loaded on each request and owned by the
/// caller; the VAE is loaded on first use and kept.
/// </summary>
public sealed class WanCheckpointComponents : IWanComponents, IDisposable
{
    private readonly WanModelLayout _layout;
    private readonly WanRuntime _runtime;
    private readonly Lazy<WanVaeAdapter> _vae;

    public WanCheckpointComponents(WanModelLayout layout, WanRuntime runtime)
    {
        _layout = layout;
        _runtime = runtime;
        _vae = new Lazy<WanVaeAdapter>(() => WanVaeAdapter.Load(_layout.VaePath, _runtime));
    }

    public IWanVae Vae => _vae.Value;

    public int TextLength => WanTransformerConfig.Load(Path.Combine(_layout.HighNoiseDirectory, "config.json")).TextLen;

    public VaceWanTransformer LoadExpert(ExpertKind kind) =>
        ExpertCheckpoint.Load(_layout.ExpertDirectory(kind), _runtime.Device, _runtime.DType);

    public IPromptEncoder OpenPromptEncoder() =>
        Umt5PromptEncoder.Load(_layout.TokenizerDirectory, _layout.TextEncoderPath, _runtime.Device, _runtime.DType);

    public void Dispose()
    {
        if (_vae.IsValueCreated)
        {
            _vae.Value.Dispose();
        }
    }
}
