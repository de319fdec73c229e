using Reframe.Wan.Transformer;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Where the denoising loop gets an expert from. The residency policy lives behind it (the engine's offload plan:
/// both resident, one on the device at a time, or blocks streamed), so the parity tests run the loop the service runs.
/// </summary>
public interface IExpertSource : IDisposable
{
    /// <summary>The expert for this role, loaded if needed; valid until the next call or disposal.</summary>
    VaceWanTransformer Get(ExpertKind kind);

    /// <summary>Seconds spent so far loading or moving weights (0 for experts that stay where they run).</summary>
    double TransferSeconds => 0;
}

/// <summary>Both experts already in memory (small models, tests). Does not own them.</summary>
public sealed class ResidentExpertSource(VaceWanTransformer highNoise, VaceWanTransformer lowNoise) : IExpertSource
{
    public VaceWanTransformer Get(ExpertKind kind) => kind == ExpertKind.HighNoise ? highNoise : lowNoise;

    public void Dispose()
    {
        // The caller owns the experts.
    }
}
