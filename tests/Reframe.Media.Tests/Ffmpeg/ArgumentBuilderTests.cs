using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Encoding;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Interpolation;
using Reframe.Media.Planning;
using Reframe.Media.Probing;
using Reframe.Media.Tests.Support;

namespace Reframe.Media.Tests.Ffmpeg;

public sealed class ArgumentBuilderTests
{
    private static readonly MediaSettings Settings = new();
    private static readonly string Source = Path.GetFullPath("in.mp4");

    private static string Join(IReadOnlyList<string> args) => string.Join(' ', args);

    [Fact]
    public void DecodeContent_CropsScalesAndCuts_WhenZoomPushesContentOffTheCanvas()
    {
        var options = MediaSources.Request() with { AspectRatio = AspectRatio.Portrait9x16, ZoomFactor = 0.5 };
        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720, 81, 16), options, new PixelRect(0, 0, 1280, 720), Settings);

        var args = Join(FfmpegArguments.DecodeContent(Source, plan, threads: 0));

        Assert.Equal(
            $"-hide_banner -nostdin -loglevel error -protocol_whitelist file -i file:{Source} -map 0:v:0 -an -sn -dn " +
            "-vf crop=1280:720:0:0,scale=720:405:flags=bicubic,crop=480:405:120:0,format=rgb24 " +
            "-fps_mode passthrough -frames:v 81 -f rawvideo -pix_fmt rgb24 pipe:1", args);
    }

    [Fact]
    public void DecodeContent_ResamplesSelectsAndTrims_WhenRateDownsampleAndBarsApply()
    {
        var options = MediaSources.Request() with { MatchInputFramesPerSecond = false, FramesPerSecond = 16, TemporalDownsampleFactor = 1, AspectRatio = AspectRatio.Landscape16x9 };
        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720, 90, 30), options, new PixelRect(0, 93, 1280, 534), Settings);

        var filter = FfmpegArguments.ContentFilter(plan);

        Assert.Equal(@"fps=16,select=not(mod(n\,2)),crop=1280:534:0:93,scale=832:347:flags=bicubic,format=rgb24", filter);
    }

    [Fact]
    public void DecodeContent_PassesThreads_WhenConfigured()
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(64, 64), MediaSources.Request(), null, Settings);

        Assert.Contains("-threads 2 ", Join(FfmpegArguments.DecodeContent(Source, plan, threads: 2)), StringComparison.Ordinal);
    }

    [Fact]
    public void InputPath_IsAnAbsoluteFileUrl_SoNamesAreNeverOptionsOrProtocols()
    {
        Assert.Equal("file:" + Path.GetFullPath("-weird:name.mp4"), FfmpegArguments.InputPath("-weird:name.mp4"));
    }

    [Fact]
    public void GrabFrames_SeeksEachSampleAndConcatenates()
    {
        var args = Join(FfmpegArguments.GrabFrames(Source, [0.5, 1.5], threads: 0));

        Assert.Equal(
            $"-hide_banner -nostdin -loglevel error -protocol_whitelist file -ss 0.5 -i file:{Source} -ss 1.5 -i file:{Source} " +
            "-filter_complex [0:v:0]trim=end_frame=1,setpts=PTS-STARTPTS[s0];[1:v:0]trim=end_frame=1,setpts=PTS-STARTPTS[s1];[s0][s1]concat=n=2:v=1:a=0,format=rgb24[out] " +
            "-map [out] -an -sn -dn -fps_mode passthrough -f rawvideo -pix_fmt rgb24 pipe:1", args);
    }

    [Fact]
    public void GrabFramesSequential_SpacesSamplesOverTheUsedSpan_DecodingReferenceFramesOnly()
    {
        var args = Join(FfmpegArguments.GrabFramesSequential(Source, 5, 5, threads: 0));

        Assert.Equal(
            $"-hide_banner -nostdin -loglevel error -protocol_whitelist file -skip_frame nokey -skip_loop_filter all -t 5.001 -i file:{Source} -map 0:v:0 -an -sn -dn " +
            @"-vf select=isnan(prev_selected_t)+gte(t-prev_selected_t\,1),format=rgb24 -fps_mode passthrough -frames:v 5 -f rawvideo -pix_fmt rgb24 pipe:1", args);
    }

    [Fact]
    public void FitImage_CoversAndCentreCropsTheCanvas()
    {
        var args = Join(FfmpegArguments.FitImage(Source, 480, 832, threads: 0));

        Assert.Contains("-vf scale=480:832:force_original_aspect_ratio=increase:flags=bicubic,crop=480:832,format=rgb24 -frames:v 1", args, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VideoQuality.Low, VideoWriteMode.Fast, "veryfast", "28")]
    [InlineData(VideoQuality.Medium, VideoWriteMode.Balanced, "medium", "23")]
    [InlineData(VideoQuality.High, VideoWriteMode.Small, "slow", "18")]
    [InlineData(VideoQuality.Maximum, VideoWriteMode.Balanced, "medium", "12")]
    public void Encode_UsesThePresetAndCrfOfTheRequest(VideoQuality quality, VideoWriteMode mode, string preset, string crf)
    {
        var encoder = EncoderSettings.For(quality, mode, Settings);
        var output = Path.GetFullPath("out.mp4");

        var args = Join(EncoderArguments.Encode(480, 832, new Rational(30000, 1001), null, 81, encoder, output, threads: 0));

        Assert.Equal(
            "-hide_banner -loglevel error -nostats -f rawvideo -pix_fmt rgb24 -video_size 480x832 -framerate 30000/1001 -i pipe:0 " +
            "-vf scale=out_color_matrix=bt709:out_range=tv:flags=bicubic,format=yuv420p " +
            $"-frames:v 81 -c:v libx264 -preset {preset} -crf {crf} -pix_fmt yuv420p " +
            "-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv " +
            $"-movflags +faststart -an -f mp4 -y file:{output}", args);
    }

    [Fact]
    public void Encode_RefusesOddSizes()
    {
        Assert.Throws<ArgumentException>(() => EncoderArguments.Encode(481, 832, new Rational(16, 1), null, 1, new EncoderSettings(18, "medium"), "o.mp4", 0));
    }

    [Fact]
    public void Encode_PutsTheInterpolationFilterFirst_WhenInterpolating()
    {
        var plan = FramePlanner.Plan(MediaSources.Clip(64, 64, 50, 25), MediaSources.Request() with { TemporalDownsampleFactor = 1, NumInterpolatedFrames = 1 }, Settings);
        var filter = InterpolationStep.MinterpolateFilter(plan, Settings.MinterpolateOptions);

        var args = Join(EncoderArguments.Encode(64, 64, plan.GenerationRate, filter, plan.OutputFrames, new EncoderSettings(18, "medium"), "o.mp4", 0));

        Assert.Equal("tpad=stop_mode=clone:stop=5,minterpolate=fps=50:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1", filter);
        Assert.Contains("-framerate 25/2 -i pipe:0 -vf " + filter + ",scale=", args, StringComparison.Ordinal);
        Assert.Contains("-frames:v 99 ", args, StringComparison.Ordinal);
    }

    [Fact]
    public void Ffprobe_OnlyAllowsTheFileProtocol()
    {
        var args = Join(MediaProber.BuildArguments(Source));

        Assert.Equal($"-v error -protocol_whitelist file -show_format -show_streams -of json file:{Source}", args);
    }

    [Fact]
    public void Capabilities_ParseTheEncoderAndFilterListings()
    {
        var caps = FfmpegCapabilities.Parse(
            " V....D libx264              libx264 H.264 / AVC\n V....D libx264rgb   x\n",
            " ... minterpolate      V->V       Frame rate conversion using Motion Interpolation.\n",
            "ffmpeg version 5.1.9-0+deb12u1 Copyright\nbuilt with gcc");

        Assert.True(caps.HasLibx264);
        Assert.True(caps.HasMinterpolate);
        Assert.Equal("ffmpeg version 5.1.9-0+deb12u1 Copyright", caps.VersionLine);
        Assert.False(FfmpegCapabilities.Parse(" V....D libx264rgb  x\n", "", "").HasLibx264);
    }
}
