using Reframe.Core.Engines;

namespace Reframe.Media.Graph;

/// <summary>
/// Holds back the progress of a run that may yet be thrown away (the graph started before the bars were known). Until
/// <see cref="Open"/> the newest report of each stage is kept, in the order the stages came: a run that got far, or
/// finished, before the bars were known still reports every stage it went through (a fast machine can encode a short
/// clip before the detection ends). Open passes them on in that order, then every later report goes straight through.
/// </summary>
internal sealed class GatedProgress(IProgress<TaskProgress> inner) : IProgress<TaskProgress>
{
    private readonly Lock _gate = new();
    private readonly List<TaskProgress> _held = [];
    private bool _open;

    public void Report(TaskProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Under the lock even when open, so that a report racing Open cannot overtake the held ones.
        lock (_gate)
        {
            if (_open)
            {
                inner.Report(value);
            }
            else if (_held.Count > 0 && string.Equals(_held[^1].Stage, value.Stage, StringComparison.Ordinal))
            {
                _held[^1] = value;
            }
            else
            {
                _held.Add(value);
            }
        }
    }

    public void Open()
    {
        lock (_gate)
        {
            _open = true;
            foreach (var held in _held)
            {
                inner.Report(held);
            }
            _held.Clear();
        }
    }
}
