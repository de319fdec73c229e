using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Engines;
using Reframe.Server.Tests.Infrastructure;
using Reframe.Workers.Prompts;

namespace Reframe.Server.Tests.OptionalParts;

/// <summary>
/// <c>enable_prompt_expansion</c> through the whole service against a real chat-completions server on loopback: the
/// expanded prompt reaches the runner and <c>meta</c>; a slow, failing or garbled endpoint leaves the original prompt
/// and says why, and the task still completes.
/// </summary>
public sealed class PromptExpansionTests
{
    [Fact]
    public async Task Expansion_Succeeds_OrFallsBackToTheOriginalPrompt_SayingWhy()
    {
        await using var chat = await ChatCompletionsServer.StartAsync();
        var runner = new RecordingRunner();
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            [PromptExpansionSettings.UrlKey] = chat.BaseUrl,
            [PromptExpansionSettings.ModelKey] = "qwen2.5-7b-instruct",
            [PromptExpansionSettings.ApiKeyKey] = "sk-local-test",
            [PromptExpansionSettings.TimeoutKey] = "5", // the first call pays for a cold connection and JIT; [slow] answers after 10 s
        }, services => services.AddSingleton<IReframeRunner>(runner));
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 36, 5, 8));
        async Task<JsonNode> RunAsync(string prompt) => await client.WaitForEndAsync(await client.SubmitAsync(new
        {
            model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", prompt, enable_prompt_expansion = true, video_write_mode = "fast", seed = 11,
        }), TimeSpan.FromMinutes(2));

        var expanded = await RunAsync("a red kite over a beach");
        AssertMeta(expanded, "EXPANDED: a red kite over a beach", "a red kite over a beach", "expanded", null);
        Assert.Contains("EXPANDED: a red kite over a beach", runner.Prompts);
        var (request, authorization) = Assert.Single(chat.Requests);
        Assert.Equal("Bearer sk-local-test", authorization);
        Assert.Equal("qwen2.5-7b-instruct", request["model"]!.GetValue<string>());
        Assert.Equal(11, request["seed"]!.GetValue<long>());
        var messages = request["messages"]!.AsArray();
        Assert.Equal(("system", ReframeSystemPrompt.Text), (messages[0]!["role"]!.GetValue<string>(), messages[0]!["content"]!.GetValue<string>()));
        Assert.Equal(("user", "a red kite over a beach"), (messages[1]!["role"]!.GetValue<string>(), messages[1]!["content"]!.GetValue<string>()));

        var slow = await RunAsync("[slow] a dog on a sofa");
        AssertMeta(slow, "[slow] a dog on a sofa", "[slow] a dog on a sofa", "failed",
            "the expansion endpoint did not answer within 5 s; the original prompt was used");
        AssertMeta(await RunAsync("[error] a cat"), "[error] a cat", "[error] a cat", "failed",
            "the expansion endpoint answered HTTP 500; the original prompt was used");
        AssertMeta(await RunAsync("[garbage] a fox"), "[garbage] a fox", "[garbage] a fox", "failed",
            "the expansion endpoint's answer is not JSON; the original prompt was used");
        AssertMeta(await RunAsync("[empty] an owl"), "[empty] an owl", "[empty] an owl", "failed",
            "the expansion endpoint returned an empty prompt; the original prompt was used");
        AssertMeta(await RunAsync(""), "", "", "skipped", "the prompt is empty; there is nothing to expand");
        Assert.Equal(5, chat.Requests.Count); // the empty prompt was never sent
        Assert.Contains("[slow] a dog on a sofa", runner.Prompts);
    }

    private static void AssertMeta(JsonNode done, string prompt, string original, string status, string? reason)
    {
        Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
        var meta = done["meta"]!;
        Assert.Equal((prompt, original, status), (meta["prompt"]!.GetValue<string>(), meta["original_prompt"]!.GetValue<string>(),
            meta["prompt_expansion"]!.GetValue<string>()));
        Assert.Equal(reason, meta["prompt_expansion_reason"]?.GetValue<string>());
    }
}
