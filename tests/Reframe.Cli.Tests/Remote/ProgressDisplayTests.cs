using Reframe.Cli.Remote;
using Reframe.Client;

namespace Reframe.Cli.Tests.Remote;

public sealed class ProgressDisplayTests
{
    private static Generation State(string status, string? stage = null, int? step = null, int? total = null, double? percent = null, int? queue = null) => new()
    {
        Id = "x",
        Status = status,
        Meta = new GenerationMeta
        {
            QueuePosition = queue,
            Progress = stage is null ? null : new GenerationProgress { Stage = stage, Step = step, TotalSteps = total, Percent = percent },
        },
    };

    [Fact]
    public void Report_RedrawsOneBarLine_WhenOnTerminal()
    {
        using var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: true);

        display.Report(State("queued", queue: 2));
        display.Report(State("generating", "generating", 15, 30, 50));
        display.Report(State("completed"));

        var text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.Contains("[███████████████░░░░░░░░░░░░░░░]  50%  generating 15/30", text, StringComparison.Ordinal);
        Assert.Contains("queued, 2 ahead", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal); // the terminal state ends the line
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Report_WritesOneLinePerChange_WhenRedirected()
    {
        using var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: false);

        display.Report(State("queued", queue: 0));
        display.Report(State("queued", queue: 0));
        display.Report(State("generating", "encoding", percent: 97));
        display.Report(State("error"));

        Assert.Equal(["  0% queued, next in line", " 97% encoding", "100% error"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
