using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reframe.Core.Prompts;
using Reframe.Media.Sources;

namespace Reframe.Workers.Prompts;

/// <summary>
/// <see cref="IPromptExpander"/> over an OpenAI-compatible <c>POST /v1/chat/completions</c>: our system prompt
/// (<see cref="ReframeSystemPrompt"/>), the user's prompt as the user message, <c>choices[0].message.content</c> back.
/// <para>
/// Network policy: the URL comes from the operator's configuration, never from a request, so it is trusted and may be
/// on loopback or a private network (a local vLLM or Ollama is the usual case); the SSRF guard's public-only rule,
/// which exists for user-supplied URLs, does not apply. What the user controls is only the prompt text, which travels in
/// the JSON body. The client is still <see cref="GuardedHttp"/>'s (no redirect followed, no proxy, no decompression),
/// so an endpoint cannot bounce the call elsewhere, and the answer is read up to a fixed size.
/// </para>
/// </summary>
public sealed partial class ChatCompletionsPromptExpander : IPromptExpander, IDisposable
{
    /// <summary>Read no more of an answer than this; a chat completion of one paragraph is a few kilobytes.</summary>
    internal const int MaxAnswerBytes = 1 << 20;

    /// <summary>The request contract's own prompt limit: an expansion longer than a user may send is not used.</summary>
    internal const int MaxPromptChars = Core.Requests.RequestFields.MaxPromptLength;

    private readonly PromptExpansionSettings _settings;
    private readonly HttpClient _http;

    public ChatCompletionsPromptExpander(PromptExpansionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _http = GuardedHttp.CreateClient(NetworkAddressPolicy.AllowAll, settings.Timeout);
    }

    public async Task<string> ExpandAsync(string prompt, long seed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Endpoint)
            {
                Content = new ByteArrayContent(RequestBody(prompt, seed)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            if (_settings.ApiKey is { } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new PromptExpansionException($"the expansion endpoint answered HTTP {(int)response.StatusCode}");
            }
            var body = await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return ParseAnswer(body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PromptExpansionException($"the expansion endpoint did not answer within {_settings.Timeout.TotalSeconds:0} s", e);
        }
        catch (HttpRequestException e)
        {
            // The message may name the host: the operator reads it in the log, the user gets words without it.
            throw new PromptExpansionException("the expansion endpoint could not be reached", e);
        }
        catch (IOException e)
        {
            // The connection closed while the answer was being read (HttpIOException and its kin).
            throw new PromptExpansionException("the expansion endpoint's answer was cut off", e);
        }
    }

    internal byte[] RequestBody(string prompt, long seed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", _settings.Model);
            json.WriteStartArray("messages");
            WriteMessage(json, "system", ReframeSystemPrompt.Text);
            WriteMessage(json, "user", prompt);
            json.WriteEndArray();
            // Low temperature and the task's seed: a task retried after a crash asks again and should get about the same.
            json.WriteNumber("temperature", 0.3);
            json.WriteNumber("seed", seed);
            json.WriteNumber("max_tokens", _settings.MaxTokens);
            json.WriteBoolean("stream", false);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }

    /// <summary><c>choices[0].message.content</c>, cleaned (reasoning block, quotes, whitespace), or why it is unusable.</summary>
    internal static string ParseAnswer(byte[] body)
    {
        string? content;
        try
        {
            using var document = JsonDocument.Parse(body);
            content = document.RootElement.ValueKind == JsonValueKind.Object
                      && document.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array
                      && choices.GetArrayLength() > 0
                      && choices[0].ValueKind == JsonValueKind.Object
                      && choices[0].TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                      && message.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new PromptExpansionException("the expansion endpoint's answer is not JSON", e);
        }
        if (content is null)
        {
            throw new PromptExpansionException("the expansion endpoint's answer has no choices[0].message.content");
        }
        var cleaned = Clean(content);
        if (cleaned.Length == 0)
        {
            throw new PromptExpansionException("the expansion endpoint returned an empty prompt");
        }
        if (cleaned.Length > MaxPromptChars)
        {
            throw new PromptExpansionException($"the expansion endpoint returned {cleaned.Length} characters, more than a prompt may have ({MaxPromptChars})");
        }
        return cleaned;
    }

    /// <summary>Reasoning models put their thinking first; some wrap the answer in quotes. Neither belongs in the prompt.</summary>
    internal static string Clean(string content)
    {
        var text = ThinkBlock().Replace(content, "");
        text = WhiteSpace().Replace(text, " ").Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1].Trim();
        }
        return text;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new PromptExpansionException($"the expansion endpoint's answer is larger than {MaxAnswerBytes / 1024} KiB");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public override string ToString() => "chat completions at " + _settings;

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
