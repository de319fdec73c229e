using System.Net;
using System.Net.Sockets;
using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Cluster;

/// <summary>
/// Issue 13 point 7's failure behaviour, shown on a real PostgreSQL and s3rver that go down and come back: while the
/// object store is down, result downloads answer 503 with Retry-After and a task that cannot store its result goes
/// back to the queue instead of failing; while the database is down, the API answers 503; once each returns, the
/// waiting task completes and earlier results download again, without restarting the service.
/// </summary>
public sealed class StoreOutageTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Outages_GiveClearRetryableErrors_AndLoseNothing()
    {
        await using var stores = await OutageStores.StartAsync("outage");
        await using var server = await InProcessServer.StartAsync(stores.ServiceSettings("o", ("REFRAME_POLL_MS", "500")));
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(96, 72, 9, 8));
        var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", video_write_mode = "fast" };
        var first = await client.WaitForEndAsync(await client.SubmitAsync(body), TimeSpan.FromMinutes(1));
        var path = new Uri(first["video"]!["url"]!.GetValue<string>()).PathAndQuery;
        var bytes = await client.Http.GetByteArrayAsync(path);

        // The object store goes down.
        await stores.StopBlobStoreAsync();
        using (var download = await client.Http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
            Assert.NotNull(download.Headers.RetryAfter);
        }
        var waiting = await client.SubmitAsync(body);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var (_, during, _) = await client.GetAsync(waiting);
        Assert.NotEqual("error", during!["status"]!.GetValue<string>()); // handed back, not failed

        // It comes back (same port, same objects): the waiting task completes, the old result downloads again.
        await stores.StartBlobStoreAgainAsync();
        var done = await client.WaitForEndAsync(waiting, TimeSpan.FromMinutes(1));
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(bytes, await client.Http.GetByteArrayAsync(path));

        // The database goes down: submissions and reads answer 503 with Retry-After.
        await stores.Postgres.StopAsync();
        var (status, error, response) = await client.PostAsync(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("Retry", error!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        // A finished task is still served from the node's cache of final snapshots; anything else needs the database.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(waiting)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync($"{Guid.NewGuid()}:{ApiClient.Model}")).Status);

        // And comes back: the same service accepts and runs tasks again.
        await stores.Postgres.StartAgainAsync();
        var again = await RetryAsync(() => client.SubmitAsync(body));
        Assert.Equal("completed", (await client.WaitForEndAsync(again, TimeSpan.FromMinutes(1)))["status"]!.GetValue<string>());
    }

    /// <summary>The first request after a database restart may meet a pooled connection the restart broke.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }

}
