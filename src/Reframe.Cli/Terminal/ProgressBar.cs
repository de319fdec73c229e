using Reframe.Core.Engines;

namespace Reframe.Cli.Terminal;

/// <summary>
/// A one-line progress bar on stderr (stdout stays clean for scripts). Redraws in place on a terminal;
/// when stderr is redirected it prints one line per stage change instead of a stream of carriage returns.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, bool interactive) : IProgress<TaskProgress>
{
    private const int BarWidth = 30;
    private readonly Lock _gate = new();
    private string? _lastStage;
    private int _lastLength;

    public void Report(TaskProgress value)
    {
        lock (_gate)
        {
            var percent = Math.Clamp(value.Percent, 0, 100);
            if (!interactive)
            {
                if (value.Stage != _lastStage)
                {
                    writer.WriteLine($"[{percent,3:0}%] {value.Stage}");
                    _lastStage = value.Stage;
                }
                return;
            }
            var filled = (int)Math.Round(BarWidth * percent / 100);
            var steps = value.TotalSteps > 1 ? $" {value.Step}/{value.TotalSteps}" : "";
            var line = $"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,3:0}% {value.Stage}{steps}";
            var pad = Math.Max(0, _lastLength - line.Length);
            writer.Write(line + new string(' ', pad));
            _lastLength = line.Length;
            _lastStage = value.Stage;
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (interactive && _lastLength > 0)
            {
                writer.WriteLine();
            }
        }
    }
}
