using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Engines;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// Another host (the Wan host) reuses ReframeApp and registers only its own IVideoEngine: the service must run that
/// engine inside the same media pipeline, queue and HTTP contract.
/// </summary>
public sealed class HostCompositionTests
{
    [Fact]
    public async Task HostRegisteredEngine_RunsInsideTheDefaultPipeline()
    {
        var engine = new PassThroughEngine();
        await using var server = await InProcessServer.StartAsync(services: s => s.AddSingleton<IVideoEngine>(engine));
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", video_write_mode = "fast" });
        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        Assert.Equal("host-engine", done["meta"]!["engine"]!.GetValue<string>());
        Assert.Equal(1, engine.Calls);
    }

    /// <summary>An engine that leaves the canvas as placed (it only proves which engine the pipeline called).</summary>
    private sealed class PassThroughEngine : IVideoEngine
    {
        private int _calls;

        public int Calls => _calls;

        public string Name => "host-engine";

        public async Task<EngineReport> GenerateAsync(EngineJob job, IFrameWriter output, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var frame = new byte[job.FrameBytes];
            var last = new byte[job.FrameBytes];
            var written = 0;
            while (written < job.FrameCount && await job.CanvasFrames.ReadFrameAsync(frame, cancellationToken))
            {
                await output.WriteFrameAsync(frame, cancellationToken);
                frame.CopyTo(last, 0);
                written++;
            }
            for (; written < job.FrameCount; written++)
            {
                await output.WriteFrameAsync(last, cancellationToken);
            }
            while (await job.CanvasFrames.ReadFrameAsync(frame, cancellationToken))
            {
                // drain: the contract says the engine reads every canvas frame
            }
            return new EngineReport(Name);
        }
    }
}
