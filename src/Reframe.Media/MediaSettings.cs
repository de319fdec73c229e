using Reframe.Core.Requests;

namespace Reframe.Media;

/// <summary>
/// Every tunable of the media pipeline (the values ../shared/spec/API.md marks <i>tunable</i>, plus the
/// operational limits). Defaults are our best reading of the hosted service; a host binds this record from
/// configuration and passes it to <see cref="Pipeline.ReframeRunner"/>.
/// </summary>
public sealed record MediaSettings
{
    /// <summary>The ffmpeg executable (a name looked up on PATH, or a path).</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe executable.</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    // ---- canvas planning ----

    /// <summary>Pixels the keep rectangle is inset on sides that border generated area (API.md: 8 px).</summary>
    public int SeamPixels { get; init; } = 8;

    /// <summary>How <c>zoom_factor</c> scales the fitted content.</summary>
    public ZoomReading ZoomReading { get; init; } = ZoomReading.MultiplyByOnePlusZoom;

    /// <summary>Canvas sides are multiples of this for <c>aspect_ratio: auto</c> (the VAE/patch grid).</summary>
    public int AutoAspectMultiple { get; init; } = 16;

    /// <summary>
    /// <c>aspect_ratio: auto</c> takes the table's canvas when the source's shape is within this (relative) of
    /// 16:9, 9:16 or 1:1, so a 1920x1080 clip gets 832x480 rather than a near-identical 848x480.
    /// </summary>
    public double AutoAspectSnapTolerance { get; init; } = 0.03;

    /// <summary>The most extreme long/short ratio an <c>auto</c> canvas may take; beyond it the shape is clamped.</summary>
    public double AutoAspectMaxRatio { get; init; } = 4.0;

    // ---- border trimming ----

    /// <summary>Frames sampled (spread over the clip) to detect bars.</summary>
    public int BorderSampleFrames { get; init; } = 5;

    /// <summary>
    /// Up to this many source frames in the used part of the clip, the samples come from one sequential decode;
    /// beyond it, from one seek per sample (cheaper when keyframes are frequent and the clip is long).
    /// </summary>
    public int BorderSequentialMaxFrames { get; init; } = 300;

    /// <summary>Trims narrower than this are ignored (API.md: under 2 px).</summary>
    public int BorderMinTrimPixels { get; init; } = 2;

    /// <summary>A row/column is flat when every channel stays within this of its mean (0..255).</summary>
    public int BorderFlatTolerance { get; init; } = 12;

    /// <summary>A bar must keep its colour within this across the sampled frames (0..255).</summary>
    public int BorderTemporalTolerance { get; init; } = 10;

    /// <summary>Never trim more than this fraction of a dimension in total (a flat clip is content, not bars).</summary>
    public double BorderMaxTrimFraction { get; init; } = 0.45;

    // ---- frames ----

    /// <summary>The frame ceiling of the model (API.md: 241).</summary>
    public int MaxGeneratedFrames { get; init; } = 241;

    /// <summary>Generated frame counts are 4k+1 (the Wan VAE's temporal compression).</summary>
    public int FrameCountStride { get; init; } = 4;

    /// <summary>The largest k <c>enable_auto_downsample</c> may pick.</summary>
    public int MaxAutoDownsampleFactor { get; init; } = 5;

    // ---- input limits (hostile media) ----

    /// <summary>Largest accepted source side in pixels.</summary>
    public int MaxSourceSide { get; init; } = 8192;

    /// <summary>Largest accepted source area in pixels (after rotation).</summary>
    public long MaxSourcePixels { get; init; } = 4096L * 4096L;

    /// <summary>Longest accepted source, in seconds.</summary>
    public double MaxSourceDurationSeconds { get; init; } = 3600;

    /// <summary>
    /// Demuxers allowed to open a source (ffprobe's format_name, any listed alias matches). Playlist and
    /// concat demuxers are absent on purpose: they make ffmpeg open other files or URLs named inside the upload.
    /// </summary>
    public IReadOnlyList<string> AllowedContainerFormats { get; init; } =
    [
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "flv", "mpegts", "mpeg",
        "ogg", "gif", "nut", "h264", "hevc", "mpeg4", "m4v", "asf", "ivf", "mxf",
    ];

    /// <summary>Images accepted as first/last frame anchors.</summary>
    public IReadOnlyList<string> AllowedImageFormats { get; init; } =
    [
        "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "gif", "image2", "tiff_pipe", "gif_pipe",
    ];

    // ---- encoding ----

    /// <summary>H.264 CRF per <c>video_quality</c> (API.md: 28 / 23 / 18 / 12).</summary>
    public IReadOnlyDictionary<VideoQuality, int> CrfByQuality { get; init; } = new Dictionary<VideoQuality, int>
    {
        [VideoQuality.Low] = 28, [VideoQuality.Medium] = 23, [VideoQuality.High] = 18, [VideoQuality.Maximum] = 12,
    };

    /// <summary>x264 preset per <c>video_write_mode</c> (API.md: veryfast / medium / slow).</summary>
    public IReadOnlyDictionary<VideoWriteMode, string> PresetByWriteMode { get; init; } = new Dictionary<VideoWriteMode, string>
    {
        [VideoWriteMode.Fast] = "veryfast", [VideoWriteMode.Balanced] = "medium", [VideoWriteMode.Small] = "slow",
    };

    // ---- interpolation ----

    /// <summary>
    /// Weights for the interpolation networks, by model. A network runs only when its weights are configured
    /// here AND an implementation was given to the runner; otherwise minterpolate (MCI) runs and says so.
    /// </summary>
    public IReadOnlyDictionary<InterpolatorModel, string> InterpolatorWeights { get; init; } = new Dictionary<InterpolatorModel, string>();

    /// <summary>minterpolate's options for the classical motion-compensated interpolation.</summary>
    public string MinterpolateOptions { get; init; } = "mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1";

    // ---- processes ----

    /// <summary>Limit for short ffmpeg/ffprobe calls (probe, frame grabs, capabilities).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit for the encoder to finish once its last frame was written (faststart rewrites the file).</summary>
    public TimeSpan EncoderFinishTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a process gets to stop after a polite request before it is killed.</summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The last this-many characters of stderr are kept for error messages.</summary>
    public int StderrTailChars { get; init; } = 8192;

    /// <summary>Threads each ffmpeg process may use (0 lets ffmpeg decide).</summary>
    public int FfmpegThreads { get; init; }

    /// <summary>
    /// Source frames the runner keeps to paste back without decoding twice. An engine that reads further ahead
    /// than this (e.g. a whole clip at once) gets the rest from a second decode of the source.
    /// </summary>
    public int PasteBackWindowFrames { get; init; } = 8;
}

/// <summary>How <c>zoom_factor</c> enlarges the fitted content (API.md, Canvas step 4, <i>tunable</i>).</summary>
public enum ZoomReading
{
    /// <summary>s = s_fit x (1 + zoom).</summary>
    MultiplyByOnePlusZoom,

    /// <summary>s = s_fit / (1 - zoom).</summary>
    DivideByOneMinusZoom,
}
