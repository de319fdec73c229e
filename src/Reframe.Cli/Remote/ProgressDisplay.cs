using Reframe.Cli.Commands;
using System.Globalization;
using Reframe.Client;

namespace Reframe.Cli.Remote;

/// <summary>
/// Shows a task's state on standard error: a redrawn bar on a terminal, one line per change when redirected
/// (so logs stay readable). Standard output is kept for the result (the saved path, or JSON).
/// </summary>
public sealed class ProgressDisplay : IProgress<Generation>
{
    private const int BarWidth = 30;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private string? _lastLine;
    private bool _barDrawn;

    public ProgressDisplay(TextWriter output, bool interactive)
    {
        _out = output;
        _interactive = interactive;
    }

    public static ProgressDisplay ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(Generation value)
    {
        var (line, percent) = Describe(value);
        if (_interactive)
        {
            var filled = (int)Math.Round(BarWidth * percent / 100.0);
            var bar = new string('█', filled) + new string('░', BarWidth - filled);
            var text = $"\r[{bar}] {percent,3:0}%  {line}";
            _out.Write(text.PadRight(Math.Max(text.Length, 100)));
            _barDrawn = true;
            if (value.IsTerminal)
            {
                Finish();
            }
        }
        else if (line != _lastLine)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{percent,3:0}% {line}"));
        }
        _lastLine = line;
        _out.Flush();
    }

    /// <summary>Ends the bar's line so later output starts on a fresh one.</summary>
    public void Finish()
    {
        if (_barDrawn)
        {
            _out.WriteLine();
            _barDrawn = false;
        }
    }

    public static (string Line, double Percent) Describe(Generation g)
    {
        var meta = g.Meta;
        return g.Status switch
        {
            GenerationStatus.Queued => (meta?.QueuePosition is { } q
                ? (q == 0 ? "queued, next in line" : $"queued, {q} ahead")
                : "queued", 0),
            GenerationStatus.Generating => (Stage(meta?.Progress), meta?.Progress?.Percent ?? 0),
            GenerationStatus.Completed => ("completed", 100),
            GenerationStatus.Error => (g.Error is { } e ? $"error: {e.Name}" : "error", 100),
            _ => (g.Status, 0),
        };
    }

    private static string Stage(GenerationProgress? p)
    {
        if (p?.Stage is null)
        {
            return "generating";
        }
        var stage = p.Stage.Replace('_', ' ');
        return p.TotalSteps is > 1 ? $"{stage} {p.Step}/{p.TotalSteps}" : stage; // a one-step stage has nothing to count
    }
}
