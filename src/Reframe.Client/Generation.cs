using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reframe.Client;

/// <summary>
/// The response object of POST and GET (and of Reframe's events and webhooks). Only <see cref="Id"/> and
/// <see cref="Status"/> are always present; the rest depends on the status and on the server (the hosted API
/// sends fewer fields than Reframe does).
/// </summary>
public sealed record Generation
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary><c>queued</c>, <c>generating</c>, <c>completed</c> or <c>error</c> (see <see cref="GenerationStatus"/>).</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }

    [JsonPropertyName("video")] public GeneratedVideo? Video { get; init; }
    [JsonPropertyName("error")] public GenerationError? Error { get; init; }
    [JsonPropertyName("meta")] public GenerationMeta? Meta { get; init; }

    /// <summary>True once the task will not change any more.</summary>
    [JsonIgnore] public bool IsTerminal => GenerationStatus.IsTerminal(Status);
}

/// <summary>The statuses of the contract. Any other value a server sends is treated as "still running".</summary>
public static class GenerationStatus
{
    public const string Queued = "queued";
    public const string Generating = "generating";
    public const string Completed = "completed";
    public const string Error = "error";

    public static bool IsTerminal(string status) => status is Completed or Error;
}

public sealed record GeneratedVideo
{
    /// <summary>An http(s) URL, or a <c>data:</c> URI when the task ran with <c>sync_mode</c>.</summary>
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("content_type")] public string? ContentType { get; init; }
    [JsonPropertyName("file_size")] public long? FileSize { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    [JsonPropertyName("fps")] public double? Fps { get; init; }
    [JsonPropertyName("num_frames")] public int? NumFrames { get; init; }
    [JsonPropertyName("duration")] public double? Duration { get; init; }
}

public sealed record GenerationError
{
    /// <summary>A stable name such as <c>invalid_input</c>, <c>too_many_frames</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

public sealed record GenerationMeta
{
    [JsonPropertyName("usage")] public GenerationUsage? Usage { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("engine")] public string? Engine { get; init; }
    [JsonPropertyName("interpolator")] public string? Interpolator { get; init; }
    /// <summary>0 means next in line; null when not queued.</summary>
    [JsonPropertyName("queue_position")] public int? QueuePosition { get; init; }
    [JsonPropertyName("progress")] public GenerationProgress? Progress { get; init; }
    /// <summary>Where the source content lies on the output canvas (Reframe extension).</summary>
    [JsonPropertyName("content_rect")] public CanvasRect? ContentRect { get; init; }
    /// <summary>The kept rectangle: everything outside it was generated (Reframe extension).</summary>
    [JsonPropertyName("keep_rect")] public CanvasRect? KeepRect { get; init; }
    /// <summary>Why <see cref="Interpolator"/> is not the requested model (e.g. none installed) (Reframe extension).</summary>
    [JsonPropertyName("interpolator_reason")] public string? InterpolatorReason { get; init; }
    /// <summary>The prompt as sent, when prompt expansion was asked for; <see cref="Prompt"/> is the one used (Reframe extension).</summary>
    [JsonPropertyName("original_prompt")] public string? OriginalPrompt { get; init; }
    /// <summary><c>expanded</c>, <c>skipped</c>, <c>unavailable</c> or <c>failed</c> (Reframe extension).</summary>
    [JsonPropertyName("prompt_expansion")] public string? PromptExpansion { get; init; }
    [JsonPropertyName("prompt_expansion_reason")] public string? PromptExpansionReason { get; init; }
    /// <summary><c>passed</c> or <c>unavailable</c>, when the safety checker was asked for (Reframe extension).</summary>
    [JsonPropertyName("safety_checker")] public string? SafetyChecker { get; init; }

    /// <summary>Whatever else a server put in <c>meta</c>.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; } // settable: the serializer cannot fill extension data through init
}

public sealed record GenerationUsage
{
    [JsonPropertyName("credits_used")] public double CreditsUsed { get; init; }
}

public sealed record GenerationProgress
{
    /// <summary><c>downloading</c>, <c>probing</c>, <c>planning</c>, <c>generating</c>, <c>encoding</c>, ...</summary>
    [JsonPropertyName("stage")] public string? Stage { get; init; }
    [JsonPropertyName("step")] public int? Step { get; init; }
    [JsonPropertyName("total_steps")] public int? TotalSteps { get; init; }
    /// <summary>0..100 over the whole task.</summary>
    [JsonPropertyName("percent")] public double? Percent { get; init; }
}

/// <summary>A pixel rectangle on the output canvas: [x, x + width) x [y, y + height).</summary>
public sealed record CanvasRect
{
    [JsonPropertyName("x")] public int X { get; init; }
    [JsonPropertyName("y")] public int Y { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
}
