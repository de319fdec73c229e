using System.Globalization;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Core.Safety;

namespace Reframe.Workers.Safety;

/// <summary>
/// <c>enable_safety_checker</c> for one task: the inputs are checked before any compute is spent on them and the
/// result before it is stored. A flagged file ends the task in <c>content_policy_violation</c>; the caller keeps no
/// result (the executor deletes the task's scratch folder, and nothing was put in the blob store yet).
/// </summary>
public sealed partial class SafetyGate(ISafetyChecker? checker, UnavailableSafetyPolicy whenUnavailable, ILogger<SafetyGate> log)
{
    public const string Passed = "passed";
    public const string Unavailable = "unavailable";

    public bool IsConfigured => checker is not null;

    /// <summary>Checks the source and the anchors; returns what <c>meta.safety_checker</c> says (null when not asked for).</summary>
    public async Task<string?> CheckInputsAsync(ReframeJob job, Guid taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.Options.EnableSafetyChecker)
        {
            return null;
        }
        if (checker is null)
        {
            if (whenUnavailable == UnavailableSafetyPolicy.Reject)
            {
                // The API refuses these with a 400; a task gets here only from a node configured otherwise.
                throw new ReframeFailure(TaskErrorNames.InvalidInput,
                    "enable_safety_checker is true but this server has no safety checker; send enable_safety_checker: false, or ask the operator to install one.");
            }
            return Unavailable;
        }
        Enforce(await checker.CheckVideoAsync(job.SourceVideoPath, cancellationToken).ConfigureAwait(false), "the input video", taskId,
            "The task was stopped before generating anything.");
        if (job.FirstFramePath is { } first)
        {
            Enforce(await checker.CheckImageAsync(first, cancellationToken).ConfigureAwait(false), "the first frame image", taskId,
                "The task was stopped before generating anything.");
        }
        if (job.LastFramePath is { } last)
        {
            Enforce(await checker.CheckImageAsync(last, cancellationToken).ConfigureAwait(false), "the last frame image", taskId,
                "The task was stopped before generating anything.");
        }
        return Passed;
    }

    /// <summary>Checks the encoded result (only when the inputs were checked).</summary>
    public async Task CheckOutputAsync(GenerationOptions options, string outputPath, Guid taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.EnableSafetyChecker || checker is null)
        {
            return;
        }
        Enforce(await checker.CheckVideoAsync(outputPath, cancellationToken).ConfigureAwait(false), "the generated video", taskId,
            "The result was discarded and not stored; the task is not charged.");
    }

    private void Enforce(SafetyVerdict verdict, string what, Guid taskId, string consequence)
    {
        LogVerdict(taskId, what, verdict.Flagged, verdict.HighestScore, verdict.FramesChecked);
        if (!verdict.Flagged)
        {
            return;
        }
        var frame = verdict.FlaggedFrame is { } f ? string.Create(CultureInfo.InvariantCulture, $"sampled frame {f + 1} of {verdict.FramesChecked}") : "a sampled frame";
        throw new ReframeFailure(TaskErrorNames.ContentPolicyViolation,
            string.Create(CultureInfo.InvariantCulture, $"The safety checker flagged {what} ({frame} scored {verdict.HighestScore:0.###}). {consequence}"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: safety check of {What}: flagged={Flagged}, highest score {Score:0.###} over {Frames} frame(s)")]
    private partial void LogVerdict(Guid taskId, string what, bool flagged, double score, int frames);
}
