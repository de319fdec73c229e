using System.Globalization;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>The shared test-video helper makes what it says (checked by ffprobe, decoding every frame).</summary>
public sealed class TestVideosTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(320, 240, 17, 16, Bars.None, 0, false)]
    [InlineData(320, 240, 9, 8, Bars.Letterbox, 40, true)]
    [InlineData(320, 240, 5, 25, Bars.Pillarbox, 60, false)]
    public void Create_WritesPlayableVideo_WithRequestedSizeAndFrameCount(
        int width, int height, int frames, int fps, Bars bars, int barPixels, bool audio)
    {
        var path = TestVideos.Create(_directory.Path, new TestVideoSpec(width, height, frames, fps, bars, barPixels, audio));

        var probed = FfmpegTools.Probe(["-select_streams", "v", "-count_frames", "-show_entries",
            "stream=codec_name,width,height,nb_read_frames,r_frame_rate", "-of", "csv=p=0", path]).Trim();

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"h264,{width},{height},{fps}/1,{frames}"), probed);
        Assert.Equal(audio, FfmpegTools.Probe(["-select_streams", "a", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path]).Trim() == "aac");
    }

    [Fact]
    public void Create_BurnsBlackBars_WhenLetterboxed()
    {
        var path = TestVideos.Create(_directory.Path, new TestVideoSpec(320, 240, 3, 8, Bars.Letterbox, 40));

        // cropdetect finds the picture between the bars: 320x160 at y=40.
        var log = FfmpegTools.ProbeFilterLog(path, "cropdetect=limit=24:round=2:reset=0");

        Assert.Contains("crop=320:160:0:40", log, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryPaths_FindSolutionAndSharedSpec()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.RepositoryRoot, "Reframe.slnx")));
        Assert.Equal(Path.GetFullPath(Path.Combine(RepositoryPaths.RepositoryRoot, "..", "shared")), RepositoryPaths.SharedDirectory);
    }

    public void Dispose() => _directory.Dispose();
}
