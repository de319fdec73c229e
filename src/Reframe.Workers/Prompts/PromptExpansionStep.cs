using Reframe.Core.Prompts;
using Reframe.Core.Requests;

namespace Reframe.Workers.Prompts;

/// <summary>The prompt a task runs with, and what <c>meta</c> says about it.</summary>
/// <param name="Prompt">The prompt used (<c>meta.prompt</c>).</param>
/// <param name="OriginalPrompt">The prompt as sent, when expansion was asked for.</param>
/// <param name="Status"><c>expanded</c>, <c>skipped</c>, <c>unavailable</c> or <c>failed</c>; null when not asked for.</param>
/// <param name="Reason">Why it was not expanded.</param>
public sealed record PromptUse(string Prompt, string? OriginalPrompt, string? Status, string? Reason);

/// <summary>
/// <c>enable_prompt_expansion</c> for one task. Never fails the task: without an expander, with an empty prompt, or when
/// the endpoint fails or is slow, the original prompt is used and the outcome says why. Only cancellation propagates.
/// </summary>
public sealed partial class PromptExpansionStep(IPromptExpander? expander, ILogger<PromptExpansionStep> log)
{
    public const string Expanded = "expanded";
    public const string Skipped = "skipped";
    public const string Unavailable = "unavailable";
    public const string Failed = "failed";

    public bool IsConfigured => expander is not null;

    public async Task<PromptUse> ApplyAsync(GenerationOptions options, long seed, Guid taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prompt = options.Prompt;
        if (!options.EnablePromptExpansion)
        {
            return new PromptUse(prompt, null, null, null);
        }
        if (expander is null)
        {
            return new PromptUse(prompt, prompt, Unavailable, "no prompt expansion endpoint is configured on this server");
        }
        if (string.IsNullOrWhiteSpace(prompt))
        {
            // The expansion model reads text only: from nothing it could only invent a scene unrelated to the video.
            return new PromptUse(prompt, prompt, Skipped, "the prompt is empty; there is nothing to expand");
        }
        try
        {
            var expanded = await expander.ExpandAsync(prompt, seed, cancellationToken).ConfigureAwait(false);
            LogExpanded(taskId, prompt.Length, expanded.Length);
            return new PromptUse(expanded, prompt, Expanded, null);
        }
        catch (PromptExpansionException e)
        {
            LogFailed(e, taskId, e.Message);
            return new PromptUse(prompt, prompt, Failed, e.Message + "; the original prompt was used");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: prompt expanded ({Before} -> {After} characters)")]
    private partial void LogExpanded(Guid taskId, int before, int after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: prompt expansion failed ({Reason}); using the original prompt")]
    private partial void LogFailed(Exception ex, Guid taskId, string reason);
}
