using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Engines.Classic;
using Reframe.Media.Encoding;
using Reframe.Media.Graph;
using Reframe.Media.Planning;
using Reframe.Media.Tests.Support;

namespace Reframe.Media.Tests.Graph;

/// <summary>The one-process reframe's argument list and the classic fill's graph, as strings.</summary>
public sealed class OneProcessArgumentsTests
{
    private static readonly MediaSettings Settings = new();
    private static readonly string Source = Path.GetFullPath("in.mp4");
    private static readonly string Output = Path.GetFullPath("out.mp4");

    [Fact]
    public void Build_DecodesFillsAndEncodesInOneGraph_When720pGoesTo9x16()
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720, 81, 16), MediaSources.Request() with { AspectRatio = AspectRatio.Portrait9x16 },
            new PixelRect(0, 0, 1280, 720), Settings);
        var fill = new ClassicEngine().DescribeFill(Job(plan))!;

        var args = string.Join(' ', OneProcessArguments.Build(Source, plan, fill, pasteKeep: false, null, new EncoderSettings(18, "medium"), Output, threads: 0));

        Assert.Equal(
            $"-hide_banner -nostdin -loglevel error -nostats -progress pipe:1 -stats_period 0.25 -protocol_whitelist file -i file:{Source} -filter_complex " +
            "[0:v]crop=1280:720:0:0,scale=480:270:flags=bicubic,scale=out_color_matrix=bt709:out_range=tv,format=yuv444p,setpts=N*1/16/TB,tpad=stop_mode=clone:stop=81[content];" +
            "[content]split=2[sharp][cover];" +
            "[cover]crop=156:270:162:0,scale=60:104:flags=area,boxblur=3:3:3:3,tmix=frames=7:weights=0.178 0.2373 0.3164 0.4219 0.5625 0.75 1," +
            "lutyuv=y=16+(val-16)*0.85:u=128+(val-128)*0.85:v=128+(val-128)*0.85,scale=480:832:flags=bilinear[fill];" +
            @"color=c=white:s=480x270:r=16,trim=end_frame=1,format=gray,geq=lum='255*max(0\,1-max(max(max(0-X\,X-479)\,max(8-Y\,Y-261))\,0)/9)',loop=loop=145:size=1[mask];" +
            "[sharp]format=yuva444p[sharpa];[sharpa][mask]alphamerge[feathered];[fill][feathered]overlay=0:281:format=yuv444:shortest=1[canvas];" +
            "[canvas]format=yuv420p[out] " +
            "-map [out] -an -sn -dn -r 16 -fps_mode cfr -frames:v 81 -c:v libx264 -preset medium -crf 18 -pix_fmt yuv420p " +
            $"-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv -movflags +faststart -an -f mp4 -y file:{Output}", args);
    }

    [Fact]
    public void Graph_PastesTheKeptSourceAndInterpolates_WhenTheEngineDoesNotPaste()
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720, 81, 16), MediaSources.Request() with { AspectRatio = AspectRatio.Portrait9x16 },
            new PixelRect(0, 0, 1280, 720), Settings);

        var graph = OneProcessArguments.Graph(plan, new FillGraph("[content]pad=480:832:0:281[canvas]", new EngineReport("pad")), pasteKeep: true, "minterpolate=fps=32");

        Assert.EndsWith(
            ",tpad=stop_mode=clone:stop=81,split=2[content][pastesource];[content]pad=480:832:0:281[canvas];" +
            "[pastesource]crop=480:254:0:8[keep];[canvas][keep]overlay=0:289:format=yuv444[pasted];[pasted]minterpolate=fps=32,format=yuv420p[out]", graph);
    }

    [Fact]
    public void DescribeFill_LeavesTheJobToStreaming_WhenAnchorsArePinned()
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720, 81, 16), MediaSources.Request(), null, Settings);

        Assert.Null(new ClassicEngine().DescribeFill(Job(plan) with { HasAnchors = true }));
    }

    private static FillGraphJob Job(ReframePlan plan) => new(plan.CanvasWidth, plan.CanvasHeight, plan.ContentRect, plan.KeepRect,
        plan.Frames.GenerationRate, plan.Frames.GeneratedFramesUsed, HasAnchors: false, MediaSources.Request());
}
