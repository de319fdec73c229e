namespace Reframe.Media.Probing;

/// <summary>
/// The facts of a source the planner needs, normalized from ffprobe. Sizes are as displayed: rotation
/// metadata (a phone's portrait clip stored as landscape plus a 90° display matrix) is already applied,
/// because ffmpeg's decoder applies it too.
/// </summary>
/// <param name="FormatName">The demuxer that opened it (ffprobe format_name, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>).</param>
/// <param name="HasVideoStream">False for audio-only files and the like.</param>
/// <param name="Width">Display width.</param>
/// <param name="Height">Display height.</param>
/// <param name="Rotation">Clockwise display rotation in degrees: 0, 90, 180 or 270.</param>
/// <param name="FrameRate">The average frame rate (for a variable-rate clip, the rate it is resampled to).</param>
/// <param name="IsVariableFrameRate">The stream's timestamps are irregular (avg and r_frame_rate disagree).</param>
/// <param name="FrameCount">Frames at <see cref="FrameRate"/> (container count, else duration x rate).</param>
/// <param name="DurationSeconds">Duration of the video stream (else of the container).</param>
/// <param name="CodecName">The video codec.</param>
public sealed record MediaInfo(
    string FormatName,
    bool HasVideoStream,
    int Width,
    int Height,
    int Rotation,
    Rational FrameRate,
    bool IsVariableFrameRate,
    int FrameCount,
    double DurationSeconds,
    string CodecName);
