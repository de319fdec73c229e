using Reframe.Core.Engines;
using Reframe.Core.Requests;

namespace Reframe.Media.Interpolation;

/// <summary>
/// The slot for an interpolation network (RIFE, FILM). A host that ships one registers it with the runner;
/// it runs when <see cref="MediaSettings.InterpolatorWeights"/> names weights for its model.
/// </summary>
public interface INetworkInterpolator
{
    InterpolatorModel Model { get; }

    /// <summary>The name reported in <c>meta.interpolator</c> (e.g. <c>rife</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Wraps <paramref name="downstream"/>: every frame written to the returned writer is followed, downstream, by
    /// <c>factor - 1</c> frames interpolated towards the next one; at most <paramref name="maxOutputFrames"/> are written.
    /// Dispose (or complete) it to flush. The weights are loaded from <paramref name="weightsPath"/>.
    /// </summary>
    IInterpolatingWriter Create(IFrameWriter downstream, int factor, int maxOutputFrames, string weightsPath);
}

/// <summary>A frame writer that emits interpolated frames and must be flushed at the end.</summary>
public interface IInterpolatingWriter : IFrameWriter, IAsyncDisposable
{
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
