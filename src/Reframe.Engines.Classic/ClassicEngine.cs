using Reframe.Core.Engines;
using Reframe.Media.Graph;

namespace Reframe.Engines.Classic;

/// <summary>
/// The embedded default engine: no model. The new area shows a blurred, dimmed copy of the frame scaled to
/// cover the canvas, under the sharp source, with a feathered seam. The background is smoothed over time
/// (restarting at scene cuts) so it does not flicker. Deterministic: same input, same output; the seed plays
/// no part. First/last frame anchors show in the new area of the first/last frames and fade into the fill.
/// The runner runs the fill as ffmpeg filters in its one decoding process (<see cref="DescribeFill"/>, the usual case);
/// <see cref="GenerateAsync"/> computes the same look frame by frame in .NET where frames must stream (anchors, an
/// interpolation network).
/// </summary>
public sealed class ClassicEngine(ClassicEngineSettings settings) : IFilterGraphEngine
{
    public const string EngineName = "classic";

    public ClassicEngine() : this(new ClassicEngineSettings())
    {
    }

    public string Name => EngineName;

    /// <summary>
    /// The keep rectangle is never written: streamed canvas frames keep their source pixels there, and the graph lays the
    /// content over it opaque. So the runner neither keeps source frames nor pastes.
    /// </summary>
    public bool PastesBackSource => true;

    /// <summary>Anchors fade into the new area frame by frame, which the graph does not express: those jobs stream.</summary>
    public FillGraph? DescribeFill(FillGraphJob job) =>
        job.HasAnchors ? null : new FillGraph(ClassicFillGraph.Build(job, settings), new EngineReport(EngineName) { Device = "cpu", Acceleration = "none" });

    public async Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var filler = new BlurFill(job.Width, job.Height, job.ContentRect, job.KeepRect, settings);
        var frame = new byte[job.FrameBytes];
        var reportEvery = Math.Max(1, job.FrameCount / 50);
        for (var i = 0; i < job.FrameCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await job.CanvasFrames.ReadFrameAsync(frame, cancellationToken))
            {
                throw new InvalidOperationException($"the canvas stream ended after {i} of {job.FrameCount} frames");
            }
            filler.Fill(frame, AnchorFor(job, i));
            await output.WriteFrameAsync(frame, cancellationToken);
            if ((i + 1) % reportEvery == 0 || i + 1 == job.FrameCount)
            {
                progress.Report(new TaskProgress("generating", i + 1, job.FrameCount, 5 + 90.0 * (i + 1) / job.FrameCount));
            }
        }

        // "generate" overlaps the decoder and the encoder (frames stream through all three).
        return new EngineReport(EngineName) { Device = "cpu", Acceleration = "none" }
            .WithTiming("generate", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The anchor image and its weight for frame <paramref name="index"/>: 1 on the pinned frame, easing to 0.</summary>
    private (byte[] Image, float Weight)? AnchorFor(EngineJob job, int index)
    {
        var fade = Math.Max(1, settings.AnchorFadeFrames);
        if (job.FirstFrame is { } first && index < fade)
        {
            return (first, Ease(1 - (float)index / fade));
        }
        var fromEnd = job.LastFrameIndex - index;
        if (job.LastFrame is { } last && fromEnd >= 0 && fromEnd < fade)
        {
            return (last, Ease(1 - (float)fromEnd / fade));
        }
        return null;
    }

    private static float Ease(float t) => t * t * (3 - 2 * t);
}
