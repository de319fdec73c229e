using Reframe.Core.Requests;

namespace Reframe.Media.Encoding;

/// <summary>The x264 settings of one output: CRF from <c>video_quality</c>, preset from <c>video_write_mode</c>.</summary>
public sealed record EncoderSettings(int Crf, string Preset)
{
    public static EncoderSettings For(VideoQuality quality, VideoWriteMode writeMode, MediaSettings settings) =>
        new(settings.CrfByQuality[quality], settings.PresetByWriteMode[writeMode]);
}
