using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Reframe.TestSupport;

namespace Reframe.Client.Tests.Events;

/// <summary><c>GET /v2/video/generations/events</c> read as raw Server-Sent Events from the real service.</summary>
public sealed class GenerationEventsTests
{
    [Fact]
    public async Task Events_StreamStatusAndProgressThenEnd_WhenTaskCompletes()
    {
        await using var service = await ReframeService.StartAsync();
        using var client = service.CreateClient();
        var created = await client.SubmitAsync(new GenerationRequest
        {
            VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3),
            AspectRatio = ReframeAspectRatio.Landscape16x9,
        });

        var (contentType, events, _) = await ReadStreamAsync(service, service.ApiKey, created.Id, onComment: null);

        Assert.Equal("text/event-stream", contentType);
        Assert.All(events, e => Assert.Contains(e.EventType, (string[])["queued", "generating", "completed"]));
        var last = events[^1];
        Assert.Equal("completed", last.EventType);
        using var final = JsonDocument.Parse(last.Data);
        Assert.Equal("completed", final.RootElement.GetProperty("status").GetString());
        Assert.Equal(created.Id, final.RootElement.GetProperty("id").GetString());
        Assert.StartsWith("http://", final.RootElement.GetProperty("video").GetProperty("url").GetString(), StringComparison.Ordinal);
        // Ids count up, one per change, and no two consecutive events carry the same state.
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => e.Id));
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.NotEqual(pair.First.Data, pair.Second.Data));
    }

    [Fact]
    public async Task Events_SendHeartbeatsThenEndWithCancelledError_WhenQueuedTaskIsCancelled()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string>
        {
            ["REFRAME_WORKERS"] = "0",
            ["REFRAME_EVENTS_HEARTBEAT_SECONDS"] = "1",
        });
        using var client = service.CreateClient();
        var created = await client.SubmitAsync(new GenerationRequest { VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3) });

        var cancelled = false;
        var (_, events, comments) = await ReadStreamAsync(service, service.ApiKey, created.Id, onComment: async comment =>
        {
            // Cancel after the first heartbeat: the stream must carry the change and then close by itself.
            if (!cancelled && comment.Contains("heartbeat", StringComparison.Ordinal))
            {
                cancelled = true;
                await client.CancelAsync(created.Id);
            }
        });

        Assert.Contains(comments, c => c.Contains("heartbeat", StringComparison.Ordinal));
        Assert.Equal(["queued", "error"], events.Select(e => e.EventType));
        using var final = JsonDocument.Parse(events[^1].Data);
        Assert.Equal("cancelled", final.RootElement.GetProperty("error").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Events_Answer404_WhenTaskBelongsToAnotherKey()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string>
        {
            ["REFRAME_WORKERS"] = "0",
            ["REFRAME_API_KEYS"] = "owner-key-0123456789,other-key-0123456789",
        });
        using var owner = service.CreateClient("owner-key-0123456789");
        var created = await owner.SubmitAsync(new GenerationRequest { VideoUrl = "https://example.com/a.mp4" });

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, EventsUri(service, created.Id));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "other-key-0123456789");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WatchAsync_YieldsUntilTerminalState_WhenTaskCompletes()
    {
        await using var service = await ReframeService.StartAsync();
        using var client = service.CreateClient();
        var created = await client.SubmitAsync(new GenerationRequest
        {
            VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3),
            AspectRatio = ReframeAspectRatio.Square1x1,
        });

        var seen = new List<Generation>();
        await foreach (var state in client.WatchAsync(created.Id))
        {
            seen.Add(state);
        }

        Assert.Equal(GenerationStatus.Completed, seen[^1].Status);
        Assert.All(seen[..^1], s => Assert.False(s.IsTerminal));
        Assert.Contains(seen, s => s.Status == GenerationStatus.Generating && s.Meta?.Progress?.Stage is not null);
    }

    private static Uri EventsUri(ReframeService service, string id) =>
        new(service.Origin, $"/v2/video/generations/events?generation_id={Uri.EscapeDataString(id)}");

    /// <summary>Reads the whole stream line by line (so comments are seen too) until the server closes it.</summary>
    private static async Task<(string? ContentType, List<ServerSentEvent> Events, List<string> Comments)> ReadStreamAsync(
        ReframeService service, string key, string id, Func<string, Task>? onComment)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        using var request = new HttpRequestMessage(HttpMethod.Get, EventsUri(service, id));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<ServerSentEvent>();
        var comments = new List<string>();
        var block = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(':'))
            {
                comments.Add(line);
                if (onComment is not null)
                {
                    await onComment(line);
                }
                continue;
            }
            if (line.Length > 0)
            {
                block.Add(line);
                continue;
            }
            var data = block.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
            if (data.Count > 0)
            {
                var type = block.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?[7..] ?? "message";
                var eventId = block.FirstOrDefault(l => l.StartsWith("id: ", StringComparison.Ordinal))?[4..];
                events.Add(new ServerSentEvent(type, string.Join('\n', data), eventId));
            }
            block.Clear();
        }
        return (response.Content.Headers.ContentType?.MediaType, events, comments);
    }
}
