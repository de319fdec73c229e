using Reframe.Core.Configuration;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Reframe.Core.Prompts;
using Reframe.Workers.Prompts;

namespace Reframe.Workers.Tests.Prompts;

/// <summary>The expander's pure parts: the answer parser, its cleaning, the request body and the settings.</summary>
public sealed class ChatCompletionsPromptExpanderTests
{
    private static string Parse(string json) => ChatCompletionsPromptExpander.ParseAnswer(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParseAnswer_TakesTheFirstChoicesContent_Cleaned()
    {
        Assert.Equal("A kite over the sea, the beach stretching left and right.",
            Parse("""{"choices":[{"message":{"role":"assistant","content":"<think>the user wants...</think>\n\n \"A kite over the sea,\n the beach stretching left and right.\" "}}]}"""));
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("[1,2]", "has no choices[0].message.content")]
    [InlineData("""{"choices":[]}""", "has no choices[0].message.content")]
    [InlineData("""{"choices":[{"message":{"content":null}}]}""", "has no choices[0].message.content")]
    [InlineData("""{"choices":[{"message":{"content":"   "}}]}""", "an empty prompt")]
    [InlineData("""{"error":{"message":"no such model"}}""", "has no choices[0].message.content")]
    public void ParseAnswer_RefusesWhatIsNotACompletion(string json, string why) =>
        Assert.Contains(why, Assert.Throws<PromptExpansionException>(() => Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void RequestBody_IsAChatCompletionWithOurSystemPrompt()
    {
        using var expander = new ChatCompletionsPromptExpander(new PromptExpansionSettings(new Uri("http://127.0.0.1:1/v1/chat/completions"), "m", null,
            TimeSpan.FromSeconds(5), 300));
        var body = JsonNode.Parse(expander.RequestBody("a lighthouse", 42))!;
        Assert.Equal(("m", 300, 42L, false), (body["model"]!.GetValue<string>(), body["max_tokens"]!.GetValue<int>(), body["seed"]!.GetValue<long>(),
            body["stream"]!.GetValue<bool>()));
        Assert.Equal(ReframeSystemPrompt.Text, body["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("a lighthouse", body["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://llm:8000/v1", "http://llm:8000/v1/chat/completions")]
    [InlineData("http://llm:8000/v1/", "http://llm:8000/v1/chat/completions")]
    [InlineData("http://127.0.0.1:11434/v1/chat/completions", "http://127.0.0.1:11434/v1/chat/completions")]
    public void Settings_CompleteTheChatCompletionsPath(string url, string expected)
    {
        var settings = Read(new() { [PromptExpansionSettings.UrlKey] = url, [PromptExpansionSettings.ModelKey] = "m" })!;
        Assert.Equal(expected, settings.Endpoint.ToString());
        Assert.Equal((TimeSpan.FromSeconds(20), 400, (string?)null), (settings.Timeout, settings.MaxTokens, settings.ApiKey));
    }

    [Fact]
    public void Settings_AreAbsentWithoutAUrl_AndRefuseWhatCannotWork()
    {
        Assert.Null(Read(new() { [PromptExpansionSettings.ModelKey] = "m" }));
        Assert.Contains(PromptExpansionSettings.ModelKey, Assert.Throws<SettingException>(() =>
            Read(new() { [PromptExpansionSettings.UrlKey] = "http://llm/v1" })).Message, StringComparison.Ordinal);
        Assert.Contains(PromptExpansionSettings.UrlKey, Assert.Throws<SettingException>(() =>
            Read(new() { [PromptExpansionSettings.UrlKey] = "ftp://llm/v1", [PromptExpansionSettings.ModelKey] = "m" })).Message, StringComparison.Ordinal);
        Assert.Contains(PromptExpansionSettings.TimeoutKey, Assert.Throws<SettingException>(() =>
            Read(new() { [PromptExpansionSettings.UrlKey] = "http://llm/v1", [PromptExpansionSettings.ModelKey] = "m", [PromptExpansionSettings.TimeoutKey] = "0" })).Message,
            StringComparison.Ordinal);
    }

    private static PromptExpansionSettings? Read(Dictionary<string, string?> values) =>
        PromptExpansionSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
