using Reframe.Core.Tasks;
using Reframe.Server.Contracts;
using Reframe.Server.Results;

namespace Reframe.Server.Tasks;

/// <summary>Turns a stored task into the contract's response object. Pure: the base URL is passed in.</summary>
public static class ResponseMapper
{
    /// <param name="inlineVideo">false leaves out a <c>sync_mode</c> result's data URI (<c>video</c> is null): lists stay small.</param>
    public static GenerationResponse ToResponse(GenerationTask task, string publicBaseUrl, bool inlineVideo = true)
    {
        ArgumentNullException.ThrowIfNull(task);
        var response = Map(task, publicBaseUrl, inlineVideo);
        // Every answer about a finished task says how long it stays (the retention window), whatever its status.
        return TaskStateMachine.IsFinal(task.Status) && task.ExpiresAt is { } expires
            ? response with { ExpiresAt = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) }
            : response;
    }

    private static GenerationResponse Map(GenerationTask task, string publicBaseUrl, bool inlineVideo)
    {
        var id = GenerationIds.Format(task.Id);
        var status = TaskStateMachine.WireName(task.Status);
        return task.Status switch
        {
            GenerationTaskStatus.Queued => new GenerationResponse(id, status, null, null,
                new MetaInfo(new UsageInfo(0), Seed: task.Seed, QueuePosition: task.QueuePosition ?? 0)),
            GenerationTaskStatus.Generating => new GenerationResponse(id, status, null, null,
                new MetaInfo(new UsageInfo(0), Seed: task.Seed,
                    Progress: task.Progress is { } p ? new ProgressInfo(p.Stage, p.Step, p.TotalSteps, Math.Round(p.Percent, 1)) : new ProgressInfo("starting", 0, 0, 0))),
            GenerationTaskStatus.Completed when task.Result is { } r => new GenerationResponse(id, status,
                r.DataUri is not null && !inlineVideo ? null : new VideoInfo(r.DataUri ?? publicBaseUrl + ResultFiles.RelativeUrl(r.FileToken!), r.ContentType, r.FileSize,
                    r.Width, r.Height, r.FramesPerSecond, r.NumFrames, r.DurationSeconds),
                null,
                new MetaInfo(new UsageInfo(r.CreditsUsed), Seed: task.Seed, Prompt: r.Prompt, Engine: r.Engine, Interpolator: r.Interpolator,
                    ContentRect: RectInfo.From(r.ContentRect), KeepRect: RectInfo.From(r.KeepRect)).WithReport(r.Report) with
                {
                    InterpolatorReason = r.InterpolatorReason,
                    OriginalPrompt = r.OriginalPrompt,
                    PromptExpansion = r.PromptExpansion,
                    PromptExpansionReason = r.PromptExpansionReason,
                    SafetyChecker = r.SafetyChecker,
                }),
            GenerationTaskStatus.Error => new GenerationResponse(id, status, null,
                new ErrorInfo(task.Error?.Name ?? "engine_failure", task.Error?.Message ?? "The task failed."),
                new MetaInfo(new UsageInfo(0), Seed: task.Seed)),
            _ => throw new InvalidOperationException($"task {task.Id} is {task.Status} without its result"),
        };
    }

    /// <summary>What the response charges, for the <c>x-aimlapi-credits-used</c> header.</summary>
    public static long CreditsOf(GenerationResponse response) => response.Meta?.Usage.CreditsUsed ?? 0;
}
