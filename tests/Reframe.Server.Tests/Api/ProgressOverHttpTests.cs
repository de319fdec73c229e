using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>
/// Issue 14: a client polling a task never sees its progress go backwards, whatever order the pipeline's reporters write
/// in (the runner below reports 100 and then a stage's fixed 96, as the encoder and the interpolator can). The real
/// service: worker heartbeat, SQLite, HTTP; only the runner is scripted.
/// </summary>
public sealed class ProgressOverHttpTests
{
    private sealed class BackwardsRunner : IReframeRunner
    {
        public async Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
        {
            // Each report held for longer than the heartbeat's one-second write interval, so each reaches the store.
            progress.Report(new TaskProgress("encoding", 1, 1, 100));
            await Task.Delay(TimeSpan.FromSeconds(1.6), cancellationToken);
            progress.Report(new TaskProgress("interpolating", 0, 1, 96));
            await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
            File.Copy(job.SourceVideoPath, job.OutputPath);
            return new ReframeOutcome(64, 48, 8, 9, 9 / 8.0, 9, "480p", "scripted-test-runner", null);
        }
    }

    [Fact]
    public async Task Progress_NeverGoesBackwards_WhenAReporterWritesALowerPercentLater()
    {
        await using var server = await InProcessServer.StartAsync(settings: null, services =>
        {
            services.AddSingleton<IReframeRunner, BackwardsRunner>();
            services.AddSingleton<IInputFetcher, DataUriOnlyFetcher>();
        });
        using var client = server.Client();
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = await Tools.DataUriAsync(await Tools.ClipAsync(64, 48, 9, 8)) });
        var seen = new List<double>();
        while (true)
        {
            var (status, body, _) = await client.GetAsync(id);
            Assert.Equal(HttpStatusCode.OK, status);
            if (body!["status"]!.GetValue<string>() != "generating")
            {
                if (body["status"]!.GetValue<string>() is "completed" or "error")
                {
                    break;
                }
            }
            else if (body["meta"]!["progress"]!["percent"]!.GetValue<double>() is var percent)
            {
                seen.Add(percent);
            }
            await Task.Delay(50);
        }
        Assert.Contains(100, seen);
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] >= seen[i - 1], $"progress went from {seen[i - 1]} to {seen[i]}: {string.Join(", ", seen)}");
        }
    }
}
