using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// <see cref="OffloadMode.Model"/>: both experts are loaded once into host memory; the one the loop asks for is moved
/// to the device and the other goes back first, so at most one sits on the device. With the reference's schedule
/// (high-noise steps first) that is one swap per window.
/// </summary>
public sealed class HostSwappedExpertSource(VaceWanTransformer highNoise, VaceWanTransformer lowNoise, Device device) : IExpertSource
{
    private ExpertKind? _onDevice;

    public double TransferSeconds { get; private set; }

    /// <summary>How many times an expert was moved to the device.</summary>
    public int Swaps { get; private set; }

    public VaceWanTransformer Get(ExpertKind kind)
    {
        var wanted = kind == ExpertKind.HighNoise ? highNoise : lowNoise;
        if (_onDevice == kind)
        {
            return wanted;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_onDevice is { } current)
        {
            ModuleResidency.MoveTo(current == ExpertKind.HighNoise ? highNoise : lowNoise, CPU); // free the device first
        }

        ModuleResidency.MoveTo(wanted, device);
        _onDevice = kind;
        Swaps++;
        TransferSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        return wanted;
    }

    public void Dispose()
    {
        // The model owns the experts.
    }
}

/// <summary>
/// <see cref="OffloadMode.Sequential"/>: the experts' blocks live in host memory and visit the device one at a time
/// (<see cref="VaceWanTransformer.BlockResidency"/>); embeddings and head stay on the device (a few hundred MB).
/// </summary>
public sealed class BlockStreamedExpertSource : IExpertSource, IBlockResidency
{
    private readonly VaceWanTransformer _highNoise;
    private readonly VaceWanTransformer _lowNoise;
    private readonly Device _device;

    public BlockStreamedExpertSource(VaceWanTransformer highNoise, VaceWanTransformer lowNoise, Device device)
    {
        _highNoise = highNoise;
        _lowNoise = lowNoise;
        _device = device;
        foreach (var expert in new[] { highNoise, lowNoise })
        {
            expert.MoveEmbeddingsAndHeadTo(device);
            expert.BlockResidency = this;
        }
    }

    public double TransferSeconds { get; private set; }

    public VaceWanTransformer Get(ExpertKind kind) => kind == ExpertKind.HighNoise ? _highNoise : _lowNoise;

    public void Enter(nn.Module block) => Timed(() => ModuleResidency.MoveTo(block, _device));

    public void Exit(nn.Module block) => Timed(() => ModuleResidency.MoveTo(block, CPU));

    private void Timed(Action move)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        move();
        TransferSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public void Dispose()
    {
        _highNoise.BlockResidency = null;
        _lowNoise.BlockResidency = null;
    }
}
