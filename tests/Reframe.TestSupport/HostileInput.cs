using Reframe.Core.Engines;

namespace Reframe.TestSupport;

/// <summary>What the service must do with a hostile input.</summary>
public enum HostileExpectation
{
    /// <summary>The task must end in <c>error</c> with one of <see cref="HostileInput.AcceptableErrors"/>.</summary>
    Rejected,

    /// <summary>
    /// Damaged but possibly still decodable (a bit flip inside the picture data, a truncation after the index):
    /// the task may complete or end in a named error, but the service must not crash, hang or leak temp files.
    /// </summary>
    Survives,
}

/// <summary>One malformed or hostile input of <see cref="HostileCorpus"/>.</summary>
/// <param name="Name">Unique, stable, file-name safe (e.g. <c>truncated-moov-at-end-37pct</c>).</param>
/// <param name="Category">The family it belongs to (e.g. <c>truncated</c>, <c>bit-flipped</c>).</param>
/// <param name="Expectation">What the service must do with it.</param>
/// <param name="Why">What is wrong with it, for failure messages.</param>
/// <param name="Path">The file, or null for inputs that only exist as a data URI.</param>
/// <param name="RawDataUri">The data URI for data-URI-only inputs (malformed URIs), else null.</param>
public sealed record HostileInput(
    string Name, string Category, HostileExpectation Expectation, string Why, string? Path, string? RawDataUri)
{
    /// <summary>Task error names acceptable for a <see cref="HostileExpectation.Rejected"/> input.</summary>
    public static IReadOnlySet<string> AcceptableErrors { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        TaskErrorNames.InvalidInput, TaskErrorNames.UnsupportedMedia, TaskErrorNames.TooManyFrames,
        TaskErrorNames.FileDownloadError,
    };

    /// <summary>The input as a <c>video_url</c> value: its own data URI, or the file base64-encoded.</summary>
    public string ToDataUri(string contentType = "video/mp4") =>
        RawDataUri ?? TestVideos.ToDataUri(Path!, contentType);

    public override string ToString() => Name;
}
