using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Reframe.Server.Tests.Infrastructure;
using Reframe.Workers;

namespace Reframe.Server.Tests.Http;

/// <summary>Results and tasks expire after the configured retention: the id answers 404 and the file is deleted.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task CompletedTask_AndItsFile_AreGone_AfterTheRetention()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(
            new Dictionary<string, string?> { ["REFRAME_RETENTION_MINUTES"] = "60" },
            services => services.AddSingleton<TimeProvider>(time));
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 96, 9, 8));
        var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = clip, video_write_mode = "fast" });
        var done = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var url = done["video"]!["url"]!.GetValue<string>();
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);

        var maintenance = server.Services.GetServices<IHostedService>().OfType<QueueMaintenance>().Single();
        time.Advance(TimeSpan.FromMinutes(59));
        await maintenance.RunOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(id)).Status); // gone at once, before the sweep
        await maintenance.RunOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "results")));
        Assert.Empty(await TaskRows.ReadAsync(server.DataDirectory));
    }
}
