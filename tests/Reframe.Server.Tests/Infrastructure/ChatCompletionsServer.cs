using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// A real OpenAI-compatible <c>POST /v1/chat/completions</c> on loopback (its own Kestrel), as vLLM or Ollama would
/// serve it. What it does depends on the user message, so one server covers every case a test submits:
/// a prompt containing <c>[slow]</c> answers after <see cref="SlowAnswer"/>, <c>[error]</c> answers 500,
/// <c>[garbage]</c> answers a body that is not JSON, <c>[empty]</c> a completion without content; anything else gets
/// <c>EXPANDED: &lt;prompt&gt;</c> as the assistant's message. Every request is recorded.
/// </summary>
public sealed class ChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(JsonNode Body, string? Authorization)> _requests = new();

    private ChatCompletionsServer(WebApplication app) => _app = app;

    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The base URL an operator would copy (<c>http://127.0.0.1:PORT/v1</c>).</summary>
    public string BaseUrl => _app.Urls.First() + "/v1";

    public IReadOnlyList<(JsonNode Body, string? Authorization)> Requests => [.. _requests];

    public static async Task<ChatCompletionsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ChatCompletionsServer(app);
        app.MapPost("/v1/chat/completions", (Func<HttpContext, Task<IResult>>)server.AnswerAsync);
        await app.StartAsync().ConfigureAwait(false);
        return server;
    }

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false))!;
        _requests.Enqueue((body, context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null));
        var user = body["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        if (user.Contains("[slow]", StringComparison.Ordinal))
        {
            await Task.Delay(SlowAnswer, context.RequestAborted).ConfigureAwait(false);
        }
        if (user.Contains("[error]", StringComparison.Ordinal))
        {
            return Microsoft.AspNetCore.Http.Results.Text("{\"error\":{\"message\":\"model overloaded\"}}", "application/json", statusCode: 500);
        }
        if (user.Contains("[garbage]", StringComparison.Ordinal))
        {
            return Microsoft.AspNetCore.Http.Results.Text("<html>502 Bad Gateway</html> {\"choices\":", "application/json");
        }
        var content = user.Contains("[empty]", StringComparison.Ordinal) ? "" : "EXPANDED: " + user;
        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["model"] = body["model"]!.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
        };
        return Microsoft.AspNetCore.Http.Results.Text(answer.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
