using Reframe.Media;

namespace Reframe.Server.Configuration;

/// <summary>
/// The media pipeline's tunables (seam, CRF table, presets, limits... see <see cref="MediaSettings"/> and
/// docs/configuration.md) from the <c>Media</c> configuration section, e.g. <c>Media__SeamPixels=12</c> or
/// <c>Media__CrfByQuality__High=20</c> in the environment. Unset values keep the defaults; REFRAME_FFMPEG and
/// REFRAME_FFPROBE name the executables.
/// </summary>
public static class MediaSettingsBinding
{
    public const string Section = "Media";

    public static MediaSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new MediaSettings();
        var section = configuration.GetSection(Section);
        var bound = section.Exists() ? section.Get<MediaSettings>() ?? defaults : defaults;
        // Lists and tables are replaced, not merged into the defaults, when the section names them: the binder
        // appends to a pre-filled list, which would make an allow-list impossible to shrink.
        bound = bound with
        {
            AllowedContainerFormats = section.GetSection(nameof(MediaSettings.AllowedContainerFormats)).Get<string[]>() ?? defaults.AllowedContainerFormats,
            AllowedImageFormats = section.GetSection(nameof(MediaSettings.AllowedImageFormats)).Get<string[]>() ?? defaults.AllowedImageFormats,
        };
        return bound with
        {
            FfmpegPath = configuration["REFRAME_FFMPEG"] is { Length: > 0 } ffmpeg ? ffmpeg : bound.FfmpegPath,
            FfprobePath = configuration["REFRAME_FFPROBE"] is { Length: > 0 } ffprobe ? ffprobe : bound.FfprobePath,
        };
    }
}
