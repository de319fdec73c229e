using System.Net;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Api;

/// <summary>Issue 14: <c>GET /v2/video/generations/history</c> over real HTTP, on the real SQLite store.</summary>
public sealed class HistoryTests
{
    private static readonly object Body = new { model = ApiClient.Model, video_url = "https://example.com/clip.mp4" };

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> HistoryAsync(ApiClient client, string query = "")
    {
        using var response = await client.Http.GetAsync("/v2/video/generations/history" + query);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static Task<InProcessServer> StartAsync() =>
        InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" });

    private static List<string> Ids(JsonNode page) => page["data"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task History_PagesTheCallersOwnTasksNewestFirst_AndNeverAnotherKeys()
    {
        await using var server = await StartAsync();
        using var alice = server.Client(InProcessServer.KeyA);
        using var bob = server.Client(InProcessServer.KeyB);
        var mine = new List<string>();
        var theirs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add(await alice.SubmitAsync(Body));
            if (i < 3)
            {
                theirs.Add(await bob.SubmitAsync(Body));
            }
        }

        var seen = new List<string>();
        string? cursor = null;
        var cursors = new List<string>();
        do
        {
            var (status, page) = await HistoryAsync(alice, "?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(Ids(page!));
            Assert.All(page!["data"]!.AsArray(), t => Assert.Equal("queued", t!["status"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(mine), seen);
        Assert.Equal(2, cursors.Count);

        var (_, bobs) = await HistoryAsync(bob);
        Assert.Equal(Enumerable.Reverse(theirs), Ids(bobs!));
        // A cursor is only a position: another key that replays it still sees only its own tasks.
        foreach (var stolen in cursors)
        {
            var (status, page) = await HistoryAsync(bob, "?cursor=" + Uri.EscapeDataString(stolen));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.All(Ids(page!), id => Assert.Contains(id, theirs));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await HistoryAsync(server.Client(null))).Status);
    }

    [Fact]
    public async Task History_FiltersByStatus_WithExpiresAtOnEndedTasks()
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        var cancelled = await client.SubmitAsync(Body);
        var queued = await client.SubmitAsync(Body);
        Assert.Equal(HttpStatusCode.Accepted, (await client.CancelAsync(cancelled)).Status);

        var (_, errors) = await HistoryAsync(client, "?status=error");
        Assert.Equal([cancelled], Ids(errors!));
        var ended = errors!["data"]![0]!;
        Assert.Equal("cancelled", ended["error"]!["name"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(ended["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        Assert.Null(errors["next_cursor"]);
        var (_, waiting) = await HistoryAsync(client, "?status=queued&limit=100");
        Assert.Equal([queued], Ids(waiting!));
        Assert.Null(waiting!["data"]![0]!["expires_at"]);
        var (_, none) = await HistoryAsync(client, "?status=completed");
        Assert.Empty(Ids(none!));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?status=done", "status")]
    public async Task History_Answers400NamingTheParameter_WhenAQueryValueIsBad(string query, string field)
    {
        await using var server = await StartAsync();
        using var client = server.Client();
        var (status, body) = await HistoryAsync(client, query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Query validation error!", body!["message"]!.GetValue<string>());
        Assert.Equal(field, Assert.Single(body["details"]!.AsArray())!["field"]!.GetValue<string>());
    }
}
