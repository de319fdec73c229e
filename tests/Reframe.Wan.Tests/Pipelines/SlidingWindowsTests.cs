using Reframe.Wan.Pipelines;

namespace Reframe.Wan.Tests.Pipelines;

public class SlidingWindowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(81)]
    public void AClipThatFitsOneWindow_IsOneWindow(int frames) =>
        Assert.Equal([new ClipWindow(0, 0, frames, 0)], SlidingWindows.Plan(frames, 81, 16));

    [Fact]
    public void The241FrameCeiling_RunsAsFourWindows_NoneOverTheWindowSize()
    {
        var windows = SlidingWindows.Plan(241, 81, 16);
        Assert.Equal(
        [
            new ClipWindow(0, 0, 81, 0),
            new ClipWindow(1, 65, 81, 16),
            new ClipWindow(2, 130, 81, 16),
            new ClipWindow(3, 192, 49, 19), // the last one as short as reaches the end (4k+1), with at least the overlap
        ], windows);
    }

    [Theory]
    [InlineData(97, 81, 16)]
    [InlineData(241, 81, 16)]
    [InlineData(241, 33, 8)]
    [InlineData(161, 81, 0)]
    [InlineData(201, 81, 76)]
    [InlineData(82, 17, 4)]
    public void Windows_CoverTheClip_InOrder_EachOverlappingThePreviousByItsOverlap(int frames, int window, int overlap)
    {
        var windows = SlidingWindows.Plan(frames, window, overlap);
        Assert.Equal(0, windows[0].Start);
        Assert.Equal(frames, windows[^1].End);
        for (int i = 0; i < windows.Count; i++)
        {
            Assert.Equal(i, windows[i].Index);
            Assert.InRange(windows[i].Length, 5, window);
            Assert.Equal(1, windows[i].Length % 4);
            if (i > 0)
            {
                Assert.True(windows[i].Start > windows[i - 1].Start);
                Assert.Equal(windows[i - 1].End - windows[i].Start, windows[i].Overlap);
                Assert.True(windows[i].Overlap >= overlap, $"window {i} overlaps {windows[i].Overlap} < {overlap}");
            }
        }
    }

    [Theory]
    [InlineData(80, 16)]  // not 4k+1
    [InlineData(81, 77)]  // overlap leaves less than 5 new frames
    [InlineData(81, -1)]
    public void Plan_RefusesWindowSettingsThatCannotWork(int window, int overlap) =>
        Assert.ThrowsAny<ArgumentException>(() => SlidingWindows.Plan(200, window, overlap));
}
