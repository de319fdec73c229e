using Reframe.Core.Configuration;
using System.Globalization;

namespace Reframe.Workers.Prompts;

/// <summary>
/// The operator's chat-completions endpoint for <c>enable_prompt_expansion</c> (vLLM, llama.cpp's server, Ollama, or any
/// OpenAI-compatible service). Unset URL: no expansion on this server (<c>meta.prompt_expansion: "unavailable"</c>).
/// </summary>
/// <param name="Endpoint">The full chat-completions URL (a base ending in <c>/v1</c> gets <c>/chat/completions</c> appended).</param>
/// <param name="Model">The <c>model</c> the endpoint is asked for.</param>
/// <param name="ApiKey">Sent as <c>Authorization: Bearer</c> when set.</param>
/// <param name="Timeout">For the whole call; past it the original prompt is used.</param>
/// <param name="MaxTokens">The answer's budget: one paragraph needs far less than the default.</param>
public sealed record PromptExpansionSettings(Uri Endpoint, string Model, string? ApiKey, TimeSpan Timeout, int MaxTokens)
{
    public const string UrlKey = "REFRAME_PROMPT_EXPANSION_URL";
    public const string ModelKey = "REFRAME_PROMPT_EXPANSION_MODEL";
    public const string ApiKeyKey = "REFRAME_PROMPT_EXPANSION_API_KEY";
    public const string TimeoutKey = "REFRAME_PROMPT_EXPANSION_TIMEOUT_SECONDS";
    public const string MaxTokensKey = "REFRAME_PROMPT_EXPANSION_MAX_TOKENS";

    /// <summary>The settings, or null when no URL is configured. A malformed value throws <see cref="SettingException"/> naming it, with or without a URL.</summary>
    public static PromptExpansionSettings? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var url = configuration[UrlKey];
        // The numbers are read and checked even with no endpoint configured: a wrong value is refused at start-up,
        // not when someone later sets the URL.
        var seconds = ConfigurationNumbers.Read(configuration, TimeoutKey, 20, 1, 600);
        var maxTokens = ConfigurationNumbers.Read(configuration, MaxTokensKey, 400, 16, 8192);
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new SettingException($"{UrlKey}='{url}' is not an http(s) URL without credentials (put the key in {ApiKeyKey}).");
        }
        var model = configuration[ModelKey];
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new SettingException($"{ModelKey} must name the model to ask when {UrlKey} is set.");
        }
        var key = configuration[ApiKeyKey];
        return new PromptExpansionSettings(ChatCompletionsUrl(uri), model.Trim(), string.IsNullOrWhiteSpace(key) ? null : key.Trim(),
            TimeSpan.FromSeconds(seconds), maxTokens);
    }

    /// <summary>Operators copy the base URL their server prints (<c>http://host:8000/v1</c>); the path is completed here.</summary>
    internal static Uri ChatCompletionsUrl(Uri uri)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return uri;
        }
        var builder = new UriBuilder(uri) { Path = path + "/chat/completions" };
        return builder.Uri;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Endpoint} (model {Model}, timeout {Timeout.TotalSeconds:0} s{(ApiKey is null ? "" : ", with a key")})");
}
