using Reframe.Core.Requests;
using Reframe.Media.Probing;

namespace Reframe.Media.Tests.Support;

/// <summary>Probe results and requests for the pure planner tests.</summary>
internal static class MediaSources
{
    public static MediaInfo Clip(int width, int height, int frames = 81, long fpsNum = 16, long fpsDen = 1, bool vfr = false, int rotation = 0, double? duration = null) =>
        new("mov,mp4,m4a,3gp,3g2,mj2", true, width, height, rotation, new Rational(fpsNum, fpsDen), vfr, frames,
            duration ?? frames * (double)fpsDen / fpsNum, "h264");

    public static GenerationOptions Request() => new() { VideoUrl = "https://example.test/in.mp4" };
}
