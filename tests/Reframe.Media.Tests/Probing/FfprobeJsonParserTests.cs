using Reframe.Media.Probing;

namespace Reframe.Media.Tests.Probing;

/// <summary>Parsing recorded ffprobe output (TestData/ffprobe, produced by ffmpeg 5.1 on generated clips).</summary>
public sealed class FfprobeJsonParserTests
{
    private static MediaInfo ParseRecorded(string name) =>
        FfprobeJsonParser.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "ffprobe", name)));

    [Fact]
    public void Parse_ReadsSizeRateCountAndDuration_OfAPlainMp4()
    {
        var info = ParseRecorded("src_mp4.json");

        Assert.True(info.HasVideoStream);
        Assert.Equal((1280, 720, 0), (info.Width, info.Height, info.Rotation));
        Assert.Equal(new Rational(30, 1), info.FrameRate);
        Assert.Equal(81, info.FrameCount);
        Assert.Equal(2.7, info.DurationSeconds, 3);
        Assert.False(info.IsVariableFrameRate);
        Assert.Equal("h264", info.CodecName);
    }

    [Fact]
    public void Parse_SwapsTheSides_WhenTheDisplayMatrixRotatesByNinety()
    {
        var info = ParseRecorded("rot_mp4.json");

        Assert.Equal(270, info.Rotation);
        Assert.Equal((720, 1280), (info.Width, info.Height));
    }

    [Fact]
    public void Parse_FlagsVariableFrameRate_AndCountsAtTheAverageRate()
    {
        var info = ParseRecorded("vfr_mp4.json");

        Assert.True(info.IsVariableFrameRate);
        Assert.Equal(new Rational(1200, 59), info.FrameRate);
        Assert.Equal(40, info.FrameCount);
    }

    [Fact]
    public void Parse_DerivesTheCountFromDuration_WhenTheContainerHasNone()
    {
        var info = ParseRecorded("odd_mkv.json");

        Assert.Equal("matroska,webm", info.FormatName);
        Assert.Equal((321, 181), (info.Width, info.Height));
        Assert.Equal(25, info.FrameCount);
    }

    [Fact]
    public void Parse_ReportsNoVideo_ForAnAudioOnlyFile()
    {
        Assert.False(ParseRecorded("audio_m4a.json").HasVideoStream);
    }

    [Theory]
    [InlineData("""{"streams":[{"codec_type":"video","width":1920,"height":1080,"avg_frame_rate":"0/0","r_frame_rate":"25/1","duration":"2.0","tags":{"rotate":"90"}}],"format":{"format_name":"mov"}}""", 1080, 1920, 90, 50)]
    [InlineData("""{"streams":[{"codec_type":"video","width":640,"height":480,"avg_frame_rate":"24000/1001","r_frame_rate":"24000/1001","side_data_list":[{"rotation":180}]}],"format":{"format_name":"matroska,webm","duration":"10.01"}}""", 640, 480, 180, 240)]
    [InlineData("""{"streams":[{"codec_type":"video","disposition":{"attached_pic":1},"width":600,"height":600},{"codec_type":"video","width":320,"height":240,"avg_frame_rate":"10/1","nb_frames":"7"}],"format":{"format_name":"mov"}}""", 320, 240, 0, 7)]
    public void Parse_HandlesTagsSideDataMissingRatesAndCoverArt(string json, int width, int height, int rotation, int frames)
    {
        var info = FfprobeJsonParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal((width, height, rotation, frames), (info.Width, info.Height, info.Rotation, info.FrameCount));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    public void Parse_Throws_WhenTheOutputIsNotJson(string text)
    {
        Assert.Throws<InvalidDataException>(() => FfprobeJsonParser.Parse(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData("25", 25, 1)]
    [InlineData("50/2", 25, 1)]
    public void Rational_ParsesFfprobeRates(string text, long num, long den)
    {
        Assert.Equal(new Rational(num, den), Rational.TryParse(text));
    }

    [Theory]
    [InlineData("0/0")]
    [InlineData("-5/1")]
    [InlineData("abc")]
    [InlineData(null)]
    public void Rational_RejectsUnusableRates(string? text)
    {
        Assert.Null(Rational.TryParse(text));
    }
}
