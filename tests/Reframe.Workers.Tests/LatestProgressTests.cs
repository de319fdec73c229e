using Reframe.Core.Engines;

namespace Reframe.Workers.Tests;

public sealed class LatestProgressTests
{
    [Fact]
    public void TakeUnwritten_GivesTheNewestReportOnce()
    {
        var progress = new LatestProgress();
        Assert.Null(progress.TakeUnwritten());
        progress.Report(new TaskProgress("generating", 1, 9, 10));
        var newest = new TaskProgress("generating", 2, 9, 20);
        progress.Report(newest);
        Assert.Same(newest, progress.TakeUnwritten());
        Assert.Null(progress.TakeUnwritten());
    }

    [Fact]
    public void StageChange_WakesTheWriter_ForANewStageOnly()
    {
        var progress = new LatestProgress();
        Assert.False(progress.StageChange.IsCompleted);
        progress.Report(new TaskProgress("probing", 0, 0, 1));
        Assert.True(progress.StageChange.IsCompleted); // the first stage

        progress.TakeUnwritten();
        Assert.False(progress.StageChange.IsCompleted);
        progress.Report(new TaskProgress("probing", 0, 0, 2));
        Assert.False(progress.StageChange.IsCompleted); // more of the same stage waits for the tick

        progress.Report(new TaskProgress("generating", 1, 9, 10));
        var signal = progress.StageChange;
        Assert.True(signal.IsCompleted);
        Assert.Equal("generating", progress.TakeUnwritten()!.Stage);
        Assert.False(progress.StageChange.IsCompleted);
        progress.Report(new TaskProgress("encoding", 0, 1, 97));
        Assert.True(progress.StageChange.IsCompleted); // a stage after a take is not lost
    }
}
