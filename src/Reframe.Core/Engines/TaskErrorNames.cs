namespace Reframe.Core.Engines;

/// <summary>The stable task-level error names of ../shared/spec/API.md ("Errors").</summary>
public static class TaskErrorNames
{
    public const string InvalidInput = "invalid_input";
    public const string FileDownloadError = "file_download_error";
    public const string UnsupportedMedia = "unsupported_media";
    public const string TooManyFrames = "too_many_frames";
    public const string ContentPolicyViolation = "content_policy_violation";
    public const string Cancelled = "cancelled";
    public const string Timeout = "timeout";
    public const string EngineFailure = "engine_failure";
    /// <summary>The task was taken by workers that died too many times in a row.</summary>
    public const string AttemptsExhausted = "attempts_exhausted";
    /// <summary>The disk under the data directory is full.</summary>
    public const string StorageFull = "storage_full";
}
