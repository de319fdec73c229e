using Reframe.Core.Engines;

namespace Reframe.Media.Tests.Support;

/// <summary>
/// Reads the whole clip before writing anything (as a diffusion engine does), fills the generated area with grey.
/// Exercises the runner's paste-back when the engine reads further ahead than the kept window.
/// </summary>
internal sealed class ReadAllThenWriteEngine : IVideoEngine
{
    public string Name => "read-all";

    public async Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        for (var i = 0; i < job.FrameCount; i++)
        {
            var frame = new byte[job.FrameBytes];
            Assert.True(await job.CanvasFrames.ReadFrameAsync(frame, cancellationToken));
            frames.Add(frame);
        }
        Assert.False(await job.CanvasFrames.ReadFrameAsync(new byte[job.FrameBytes], cancellationToken));
        foreach (var frame in frames)
        {
            // Grey everywhere, the keep rectangle included: the runner must paste the source back there.
            Array.Fill(frame, (byte)128);
            await output.WriteFrameAsync(frame, cancellationToken);
        }
        return new EngineReport(Name);
    }
}

/// <summary>Writes one frame fewer than planned.</summary>
internal sealed class ShortEngine : IVideoEngine
{
    public string Name => "short";

    public async Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var frame = new byte[job.FrameBytes];
        for (var i = 0; i < job.FrameCount - 1; i++)
        {
            await job.CanvasFrames.ReadFrameAsync(frame, cancellationToken);
            await output.WriteFrameAsync(frame, cancellationToken);
        }
        return new EngineReport(Name);
    }
}
