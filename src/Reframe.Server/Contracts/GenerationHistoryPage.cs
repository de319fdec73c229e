namespace Reframe.Server.Contracts;

/// <summary>
/// <c>GET /v2/video/generations/history</c> (extension): the caller's tasks, newest first, each as the response object a
/// GET of its id answers (a <c>sync_mode</c> result's inline video is left out: fetch the task itself for it).
/// </summary>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null on the last page.</param>
public sealed record GenerationHistoryPage(IReadOnlyList<GenerationResponse> Data, string? NextCursor);
