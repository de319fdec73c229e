using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// Queue semantics through the real service (HTTP, SQLite, workers) with a gated runner, so the test decides when
/// a run ends: progress while running, cancel of a running task, and many submissions each run exactly once.
/// </summary>
public sealed class WorkerQueueTests
{
    private static async Task<(InProcessServer Server, GatedRunner Runner)> StartAsync(int workers)
    {
        var runner = new GatedRunner();
        var server = await InProcessServer.StartAsync(
            new Dictionary<string, string?> { ["REFRAME_WORKERS"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services =>
            {
                services.AddSingleton<IReframeRunner>(runner);
                services.AddSingleton<IInputFetcher, DataUriOnlyFetcher>();
            });
        return (server, runner);
    }

    [Fact]
    public async Task Get_ShowsProgress_WhileATaskRuns_AndCancelStopsIt()
    {
        var (server, runner) = await StartAsync(workers: 1);
        await using var _ = server;
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 48, 9, 8));
        var running = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip });
        var queued = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip });
        await runner.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var generating = await client.WaitForEndAsync(running, TimeSpan.FromSeconds(10),
            b => b["meta"]?["progress"]?["stage"]?.GetValue<string>() == "generating");
        Assert.Equal("generating", generating["status"]!.GetValue<string>());
        Assert.Equal(25, generating["meta"]!["progress"]!["percent"]!.GetValue<double>());
        var waiting = (await client.GetAsync(queued)).Body!;
        Assert.Equal("queued", waiting["status"]!.GetValue<string>());
        Assert.Equal(0, waiting["meta"]!["queue_position"]!.GetValue<long>());

        var (status, _) = await client.CancelAsync(running);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var ended = await client.WaitForEndAsync(running, TimeSpan.FromSeconds(10));
        Assert.Equal("error", ended["status"]!.GetValue<string>());
        Assert.Equal("cancelled", ended["error"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.CancelAsync(running)).Status); // ended: deleted

        // The worker moves on to the next task.
        runner.Open();
        var done = await client.WaitForEndAsync(queued, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(2, runner.Started);
    }

    [Fact]
    public async Task ConcurrentSubmissions_EachRunExactlyOnce()
    {
        const int count = 200;
        var (server, runner) = await StartAsync(workers: 4);
        await using var _ = server;
        runner.Open();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 48, 9, 8));
        using var client = server.Client();
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
            Task.Run(() => client.SubmitAsync(new { model = ApiClient.Model, video_url = clip }))));
        Assert.Equal(count, ids.Distinct().Count());
        var results = await Task.WhenAll(ids.Select(id => client.WaitForEndAsync(id, TimeSpan.FromSeconds(120))));
        Assert.All(results, r => Assert.Equal("completed", r["status"]!.GetValue<string>()));
        Assert.Equal(count, results.Select(r => r["video"]!["url"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(count, runner.Started);
        Assert.Equal(count, Directory.GetFiles(Path.Combine(server.DataDirectory, "results")).Length);
    }
}
