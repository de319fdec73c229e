using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Planning;
using Reframe.Media.Tests.Support;

namespace Reframe.Media.Tests.Planning;

public sealed class CanvasPlanTests
{
    private static readonly MediaSettings Settings = new();

    [Theory]
    [InlineData("480p", "16:9", 832, 480)]
    [InlineData("480p", "9:16", 480, 832)]
    [InlineData("480p", "1:1", 624, 624)]
    [InlineData("580p", "16:9", 1024, 576)]
    [InlineData("580p", "9:16", 576, 1024)]
    [InlineData("580p", "1:1", 768, 768)]
    [InlineData("720p", "16:9", 1280, 720)]
    [InlineData("720p", "9:16", 720, 1280)]
    [InlineData("720p", "1:1", 960, 960)]
    public void Plan_UsesTheTierByAspectTable_WhenBothAreGiven(string tier, string aspect, int width, int height)
    {
        var options = MediaSources.Request() with { Resolution = WireNames.Resolutions[tier], AspectRatio = WireNames.AspectRatios[aspect] };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720), options, null, Settings);

        Assert.Equal((width, height), (plan.CanvasWidth, plan.CanvasHeight));
        Assert.Equal(WireNames.Resolutions[tier], plan.Tier);
    }

    [Theory]
    [InlineData(1920, 1080, "480p", 832, 480)] // 16:9 snaps to the table (832x480 is 2.5% off 16:9)
    [InlineData(1080, 1920, "480p", 480, 832)]
    [InlineData(500, 500, "720p", 960, 960)]
    [InlineData(640, 480, "480p", 736, 544)] // 4:3 at about the tier's area, multiples of 16
    [InlineData(480, 640, "580p", 672, 880)]
    [InlineData(2000, 200, "480p", 1264, 320)] // 10:1 is clamped to 4:1
    public void Plan_KeepsTheSourceShapeAtTheTierArea_WhenAspectIsAuto(int w, int h, string tier, int width, int height)
    {
        var options = MediaSources.Request() with { Resolution = WireNames.Resolutions[tier], AspectRatio = AspectRatio.Auto };

        var plan = ReframePlanner.Plan(MediaSources.Clip(w, h), options, null, Settings);

        Assert.Equal((width, height), (plan.CanvasWidth, plan.CanvasHeight));
        Assert.Equal(0, plan.CanvasWidth % 16);
        Assert.Equal(0, plan.CanvasHeight % 16);
    }

    [Fact]
    public void Plan_MeasuresAutoAspectBeforeTrimming_WhenTheSourceIsLetterboxed()
    {
        // 16:9 frame with 2.4:1 content inside: the canvas stays 16:9 and the bars' area gets generated.
        var options = MediaSources.Request() with { AspectRatio = AspectRatio.Auto };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720), options, new PixelRect(0, 93, 1280, 534), Settings);

        Assert.Equal((832, 480), (plan.CanvasWidth, plan.CanvasHeight));
        Assert.Equal(new PixelRect(0, 93, 1280, 534), plan.TrimBox);
        Assert.Equal(832, plan.ContentRect.Width);
        Assert.Equal(347, plan.ContentRect.Height);
        Assert.True(plan.HasGeneratedArea);
    }

    [Theory]
    [InlineData(1920, 1080, "720p")]
    [InlineData(3840, 2160, "720p")]
    [InlineData(1024, 576, "580p")]
    [InlineData(960, 540, "580p")]
    [InlineData(640, 360, "480p")]
    [InlineData(1080, 1920, "720p")]
    [InlineData(200, 100, "480p")]
    [InlineData(1056, 528, "480p")] // short side 528 is exactly between 480 and 576: ties go down
    public void Plan_PicksTheTierNearestTheShortSide_WhenResolutionIsAuto(int w, int h, string tier)
    {
        var options = MediaSources.Request() with { Resolution = Resolution.Auto, AspectRatio = AspectRatio.Landscape16x9 };

        var plan = ReframePlanner.Plan(MediaSources.Clip(w, h), options, null, Settings);

        Assert.Equal(tier, WireNames.Of(plan.Tier));
    }

    [Theory]
    // source, aspect → scaled size, offset, content rect, keep rect
    [InlineData(1280, 720, "9:16", 480, 270, 0, 281, 0, 281, 480, 270, 0, 289, 480, 254)]
    [InlineData(1280, 720, "16:9", 832, 468, 0, 6, 0, 6, 832, 468, 0, 14, 832, 452)] // 832x480 is not exactly 16:9: thin strips to generate
    [InlineData(1280, 720, "1:1", 624, 351, 0, 136, 0, 136, 624, 351, 0, 144, 624, 335)]
    [InlineData(720, 1280, "16:9", 270, 480, 281, 0, 281, 0, 270, 480, 289, 0, 254, 480)]
    [InlineData(641, 361, "9:16", 480, 270, 0, 281, 0, 281, 480, 270, 0, 289, 480, 254)] // odd source: snapped to the canvas width
    [InlineData(333, 333, "16:9", 480, 480, 176, 0, 176, 0, 480, 480, 184, 0, 464, 480)]
    public void Plan_FitsCentresAndInsetsTheSeam_ForEachShape(int w, int h, string aspect,
        int sw, int sh, int ox, int oy, int cx, int cy, int cw, int ch, int kx, int ky, int kw, int kh)
    {
        var options = MediaSources.Request() with { AspectRatio = WireNames.AspectRatios[aspect] };

        var plan = ReframePlanner.Plan(MediaSources.Clip(w, h), options, null, Settings);

        Assert.Equal((sw, sh), (plan.ScaledWidth, plan.ScaledHeight));
        Assert.Equal((ox, oy), (plan.OffsetX, plan.OffsetY));
        Assert.Equal(new PixelRect(cx, cy, cw, ch), plan.ContentRect);
        Assert.Equal(new PixelRect(kx, ky, kw, kh), plan.KeepRect);
    }

    [Fact]
    public void Plan_ReportsNothingToGenerate_WhenTheContentCoversTheCanvas()
    {
        var options = MediaSources.Request() with { Resolution = Resolution.P720, AspectRatio = AspectRatio.Landscape16x9 };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1920, 1080), options, null, Settings);

        Assert.False(plan.HasGeneratedArea);
        Assert.Equal(plan.ContentRect, plan.KeepRect);
    }

    [Theory]
    [InlineData(0.5, ZoomReading.MultiplyByOnePlusZoom, 720, 405)]
    [InlineData(0.5, ZoomReading.DivideByOneMinusZoom, 960, 540)]
    [InlineData(0.0, ZoomReading.DivideByOneMinusZoom, 480, 270)]
    [InlineData(0.9, ZoomReading.MultiplyByOnePlusZoom, 912, 513)]
    public void Plan_ScalesByTheZoomReading_WhenZoomIsSet(double zoom, ZoomReading reading, int sw, int sh)
    {
        var settings = Settings with { ZoomReading = reading };
        var options = MediaSources.Request() with { AspectRatio = AspectRatio.Portrait9x16, ZoomFactor = zoom };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720), options, null, settings);

        Assert.Equal((sw, sh), (plan.ScaledWidth, plan.ScaledHeight));
        // Cut by the canvas on the left and right: those sides touch the canvas edge and get no seam.
        Assert.Equal(0, plan.ContentRect.X);
        Assert.Equal(480, plan.ContentRect.Width);
        Assert.Equal(plan.ContentRect.X, plan.KeepRect.X);
        Assert.Equal(plan.ContentRect.Y + Settings.SeamPixels, plan.KeepRect.Y);
        Assert.Equal(-(sw - 480) / 2 - (sw - 480) % 2, plan.OffsetX);
        Assert.Equal(plan.VisibleInScaled, new PixelRect(-plan.OffsetX, 0, 480, sh));
    }

    [Fact]
    public void Plan_CutsTheContentOnBothAxes_WhenZoomExceedsTheCanvas()
    {
        var options = MediaSources.Request() with { AspectRatio = AspectRatio.Landscape16x9, ZoomFactor = 0.5 };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720), options, null, Settings);

        Assert.Equal(new PixelRect(0, 0, 832, 480), plan.ContentRect);
        Assert.False(plan.HasGeneratedArea);
        Assert.Equal((1248, 702), (plan.ScaledWidth, plan.ScaledHeight));
        Assert.Equal(new PixelRect(208, 111, 832, 480), plan.VisibleInScaled);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(0)]
    [InlineData(16)]
    public void Plan_InsetsTheKeepRectByTheConfiguredSeam_OnSidesBorderingGeneratedArea(int seam)
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(1000, 1000), MediaSources.Request() with { AspectRatio = AspectRatio.Landscape16x9 }, null, Settings with { SeamPixels = seam });

        Assert.Equal(new PixelRect(176, 0, 480, 480), plan.ContentRect);
        Assert.Equal(new PixelRect(176 + seam, 0, 480 - 2 * seam, 480), plan.KeepRect);
    }

    [Fact]
    public void Plan_KeepsNothing_WhenTheContentIsThinnerThanTwoSeams()
    {
        var plan = ReframePlanner.Plan(MediaSources.Clip(4, 1000), MediaSources.Request() with { AspectRatio = AspectRatio.Landscape16x9 }, null, Settings);

        Assert.True(plan.KeepRect.IsEmpty);
        Assert.False(plan.ContentRect.IsEmpty);
    }

    [Fact]
    public void Plan_UsesTheDisplayedSize_WhenAPhoneClipIsRotated()
    {
        // What FfprobeJsonParser yields for a 1920x1080 coded stream with a 90° display matrix: 1080x1920.
        var phone = MediaSources.Clip(1080, 1920, rotation: 90);

        var plan = ReframePlanner.Plan(phone, MediaSources.Request(), null, Settings);

        Assert.Equal((480, 832), (plan.CanvasWidth, plan.CanvasHeight));
        Assert.Equal(new PixelRect(6, 0, 468, 832), plan.ContentRect);
    }

    [Fact]
    public void Plan_IgnoresTheTrimBox_WhenTrimBordersIsOff()
    {
        var options = MediaSources.Request() with { TrimBorders = false, AspectRatio = AspectRatio.Portrait9x16 };

        var plan = ReframePlanner.Plan(MediaSources.Clip(1280, 720), options, new PixelRect(0, 93, 1280, 534), Settings);

        Assert.Equal(new PixelRect(0, 0, 1280, 720), plan.TrimBox);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(101, 33)]
    public void Plan_ProducesAnEvenCanvasAndContentInside_ForTinyAndOddSources(int w, int h)
    {
        foreach (var aspect in WireNames.AspectRatios.Values)
        {
            var plan = ReframePlanner.Plan(MediaSources.Clip(w, h), MediaSources.Request() with { AspectRatio = aspect }, null, Settings);

            Assert.Equal(0, plan.CanvasWidth % 2);
            Assert.Equal(0, plan.CanvasHeight % 2);
            Assert.False(plan.ContentRect.IsEmpty);
            Assert.True(plan.ContentRect.Right <= plan.CanvasWidth && plan.ContentRect.Bottom <= plan.CanvasHeight);
        }
    }
}
