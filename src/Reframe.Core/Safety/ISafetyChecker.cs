namespace Reframe.Core.Safety;

/// <summary>
/// The content check behind <c>enable_safety_checker</c>: the worker asks it about every input before any compute is
/// spent on the task, and about the result before the result is stored. An implementation samples frames and
/// classifies them; a flagged verdict ends the task in <c>content_policy_violation</c>.
/// </summary>
public interface ISafetyChecker
{
    /// <summary>What checks (for the log), e.g. <c>onnx nsfw.onnx (class 1 &gt; 0.5)</c>.</summary>
    string Description { get; }

    /// <summary>Checks frames sampled over a video file.</summary>
    Task<SafetyVerdict> CheckVideoAsync(string path, CancellationToken cancellationToken);

    /// <summary>Checks a still image (a first- or last-frame anchor).</summary>
    Task<SafetyVerdict> CheckImageAsync(string path, CancellationToken cancellationToken);
}
