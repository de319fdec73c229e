using Reframe.Core.Engines;
using Reframe.Media.Graph;

namespace Reframe.Media.Tests.Graph;

public sealed class GatedProgressTests
{
    private sealed class Recorder : IProgress<TaskProgress>
    {
        public List<TaskProgress> Reports { get; } = [];

        public void Report(TaskProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Open_PassesTheNewestReportOfEachHeldStage_InOrder()
    {
        var recorder = new Recorder();
        var gated = new GatedProgress(recorder);
        gated.Report(new TaskProgress("generating", 1, 9, 10));
        gated.Report(new TaskProgress("generating", 9, 9, 95));
        gated.Report(new TaskProgress("encoding", 0, 1, 97)); // the run ended before the gate opened
        Assert.Empty(recorder.Reports);

        gated.Open();
        Assert.Equal([("generating", 9), ("encoding", 0)], recorder.Reports.Select(r => (r.Stage, r.Step)));

        gated.Report(new TaskProgress("encoding", 1, 1, 100));
        Assert.Equal(3, recorder.Reports.Count);
    }

    [Fact]
    public void Open_WithNothingHeld_ReportsNothing()
    {
        var recorder = new Recorder();
        new GatedProgress(recorder).Open();
        Assert.Empty(recorder.Reports);
    }
}
