using Reframe.Core.Requests;

namespace Reframe.Core.Engines;

/// <summary>
/// Everything a runner needs for one task. Inputs are local files already fetched and size-checked by the
/// worker; the runner never touches the network.
/// </summary>
/// <param name="Options">The validated request.</param>
/// <param name="SourceVideoPath">The downloaded source clip.</param>
/// <param name="FirstFramePath">The downloaded first-frame image (<c>first_frame_url</c> or <c>image_url</c>), if any.</param>
/// <param name="LastFramePath">The downloaded last-frame image, if any.</param>
/// <param name="OutputPath">Where the mp4 must be written (the directory exists).</param>
/// <param name="WorkDirectory">Scratch space owned by this task; deleted by the caller afterwards.</param>
/// <param name="Seed">The seed to use (already chosen when the request had none).</param>
public sealed record ReframeJob(
    GenerationOptions Options,
    string SourceVideoPath,
    string? FirstFramePath,
    string? LastFramePath,
    string OutputPath,
    string WorkDirectory,
    long Seed);
