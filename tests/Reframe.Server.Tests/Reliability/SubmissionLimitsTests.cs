using System.Net;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Reliability;

/// <summary>Issue 6 point 5: per-key rate and active-task limits answer 429 with the contract's body and Retry-After.</summary>
public sealed class SubmissionLimitsTests
{
    private static readonly object Body = new { model = ApiClient.Model, video_url = "https://example.com/clip.mp4" };

    [Fact]
    public async Task Post_Answers429WithRetryAfter_WhenKeyIsOverItsRate()
    {
        // No workers: tasks stay queued, so only the rate limit is in play.
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "3", ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "0", ["REFRAME_WORKERS"] = "0",
        });
        using var a = server.Client(InProcessServer.KeyA);
        using var b = server.Client(InProcessServer.KeyB);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await a.SubmitAsync(Body));
        }

        var (status, body, response) = await a.PostAsync(Body);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(429, body!["statusCode"]!.GetValue<int>());
        Assert.Contains("REFRAME_RATE_LIMIT_PER_MINUTE", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/v2/video/generations", body["path"]!.GetValue<string>());
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalSeconds, 1, 20); // one token per 60 s / 3
        // Another key has its own bucket, and reads are never limited.
        Assert.NotNull(await b.SubmitAsync(Body));
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(ids[0])).Status);
    }

    [Fact]
    public async Task Post_Answers429UntilATaskEnds_WhenKeyHasItsMaximumOfActiveTasks()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "0", ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "2", ["REFRAME_WORKERS"] = "0",
        });
        using var a = server.Client(InProcessServer.KeyA);
        using var b = server.Client(InProcessServer.KeyB);
        var first = await a.SubmitAsync(Body);
        await a.SubmitAsync(Body);

        var (status, body, response) = await a.PostAsync(Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("REFRAME_MAX_ACTIVE_TASKS_PER_KEY", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter!.Delta);
        Assert.NotNull(await b.SubmitAsync(Body));

        // Cancelling a queued task ends it at once, which frees a place.
        Assert.Equal(HttpStatusCode.Accepted, (await a.CancelAsync(first)).Status);
        Assert.NotNull(await a.SubmitAsync(Body));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.PostAsync(Body)).Status);
    }

    [Fact]
    public async Task ConcurrentPosts_NeverExceedTheActiveLimit_WhenSentAtOnce()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["REFRAME_RATE_LIMIT_PER_MINUTE"] = "0", ["REFRAME_MAX_ACTIVE_TASKS_PER_KEY"] = "5", ["REFRAME_WORKERS"] = "0",
        });
        using var a = server.Client(InProcessServer.KeyA);
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => a.PostAsync(Body)));
        Assert.Equal(5, answers.Count(x => x.Status == HttpStatusCode.OK));
        Assert.Equal(35, answers.Count(x => x.Status == HttpStatusCode.TooManyRequests));
    }
}
