using Reframe.Core.Engines;

namespace Reframe.Core.Tasks;

/// <summary>A task as a client sees it (the store's read model). Inputs are not included: they can be large.</summary>
/// <param name="Id">The task's uuid; the public id is <c>{Id}:{model}</c>.</param>
/// <param name="OwnerId">The key that created it; only that key can see it.</param>
/// <param name="Status">One of the four statuses.</param>
/// <param name="Seed">The seed the task runs with (chosen at submission when the request had none).</param>
/// <param name="CreatedAt">When the submission was committed.</param>
/// <param name="EndedAt">When it reached a final status.</param>
/// <param name="ExpiresAt">When it and its result will be deleted (set at the final status).</param>
/// <param name="Attempts">How many times a worker has taken it.</param>
/// <param name="CancelRequested">A cancel was asked while it was running.</param>
/// <param name="QueuePosition">0-based count of queued tasks ahead of it, when queued.</param>
/// <param name="Progress">The last progress a worker reported, while generating.</param>
/// <param name="Result">The result, when completed.</param>
/// <param name="Error">The error, when failed or cancelled.</param>
public sealed record GenerationTask(
    Guid Id,
    string OwnerId,
    GenerationTaskStatus Status,
    long Seed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? ExpiresAt,
    int Attempts,
    bool CancelRequested,
    long? QueuePosition,
    TaskProgress? Progress,
    TaskResult? Result,
    TaskError? Error);

/// <summary>A named task-level error (<see cref="TaskErrorNames"/>) with a message the user can act on.</summary>
public sealed record TaskError(string Name, string Message);

/// <summary>What a completed task produced.</summary>
/// <param name="FileToken">The unguessable name of the stored result under the results directory, or null in sync mode.</param>
/// <param name="DataUri">The result inline as a <c>data:</c> URI (sync mode), or null.</param>
/// <param name="ContentType">Always <c>video/mp4</c> today.</param>
/// <param name="FileSize">Bytes of the mp4.</param>
/// <param name="CreditsUsed">What the task cost (see the contract's pricing).</param>
/// <param name="Prompt">The prompt as used.</param>
public sealed record TaskResult(
    string? FileToken,
    string? DataUri,
    string ContentType,
    long FileSize,
    int Width,
    int Height,
    double FramesPerSecond,
    int NumFrames,
    double DurationSeconds,
    long CreditsUsed,
    string Engine,
    string? Interpolator,
    string Prompt)
{
    /// <summary>Where the source content lies on the output canvas (<c>meta.content_rect</c>), when the runner reported it.</summary>
    public PixelRect? ContentRect { get; init; }

    /// <summary>The kept rectangle (<c>meta.keep_rect</c>): outside it the canvas was generated.</summary>
    public PixelRect? KeepRect { get; init; }

    /// <summary>What the engine actually ran (<c>meta.sampler</c>, <c>meta.steps</c>, <c>meta.timings</c>...).</summary>
    public EngineReport? Report { get; init; }

    /// <summary>Why the interpolator that ran is not the one requested (<c>meta.interpolator_reason</c>).</summary>
    public string? InterpolatorReason { get; init; }

    /// <summary>The prompt as sent, when <c>enable_prompt_expansion</c> was asked for (<c>meta.original_prompt</c>).</summary>
    public string? OriginalPrompt { get; init; }

    /// <summary><c>meta.prompt_expansion</c>: <c>expanded</c>, <c>skipped</c>, <c>unavailable</c> or <c>failed</c>; null when not asked for.</summary>
    public string? PromptExpansion { get; init; }

    /// <summary>Why the prompt was not expanded (<c>meta.prompt_expansion_reason</c>).</summary>
    public string? PromptExpansionReason { get; init; }

    /// <summary><c>meta.safety_checker</c>: <c>passed</c> or <c>unavailable</c>; null when not asked for.</summary>
    public string? SafetyChecker { get; init; }
}

/// <summary>A submission to persist.</summary>
/// <param name="RequestJson">The validated request in its canonical JSON form (inputs included).</param>
public sealed record NewGenerationTask(Guid Id, string OwnerId, string RequestJson, long Seed)
{
    /// <summary>The client's <c>Idempotency-Key</c>, unique per owner while its task exists; null when none was sent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A hash of the request as the client sent it (before defaults and offloading), compared on a repeated key.</summary>
    public string? RequestHash { get; init; }
}
