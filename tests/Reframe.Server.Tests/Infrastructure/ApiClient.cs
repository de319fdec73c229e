using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>A plain HTTP client of the contract, as a user's script would be (no server types on the wire).</summary>
public sealed class ApiClient : IDisposable
{
    public const string Model = "alibaba/wan2.2-vace-fun-a14b-reframe";
    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, string? key)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public HttpClient Http => _http;

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostRawAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("/v2/video/generations", content);
        return (response.StatusCode, await ReadAsync(response), response);
    }

    public Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(object fields) =>
        PostRawAsync(JsonSerializer.Serialize(fields));

    public async Task<string> SubmitAsync(object fields)
    {
        var (status, body, _) = await PostAsync(fields);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST answered {(int)status}: {body}");
        }
        return body!["id"]!.GetValue<string>();
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string id)
    {
        var response = await _http.GetAsync("/v2/video/generations?generation_id=" + Uri.EscapeDataString(id));
        return (response.StatusCode, await ReadAsync(response), response);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> CancelAsync(string id)
    {
        using var response = await _http.DeleteAsync("/v2/video/generations?generation_id=" + Uri.EscapeDataString(id));
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Polls until the task is completed or error.</summary>
    public async Task<JsonNode> WaitForEndAsync(string id, TimeSpan timeout, Func<JsonNode, bool>? stopEarly = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var (status, body, _) = await GetAsync(id);
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET answered {(int)status}: {body}");
            }
            var s = body!["status"]!.GetValue<string>();
            if (s is "completed" or "error" || (stopEarly?.Invoke(body) ?? false))
            {
                return body;
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"task {id} still {s} after {timeout}: {body}");
            }
            await Task.Delay(100);
        }
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}
