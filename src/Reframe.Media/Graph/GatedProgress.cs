using Reframe.Core.Engines;

namespace Reframe.Media.Graph;

/// <summary>
/// Holds back the progress of a run that may yet be thrown away (the graph started before the bars were known): until
/// <see cref="Open"/> only the latest report is kept, then it and every later one go through.
/// </summary>
internal sealed class GatedProgress(IProgress<TaskProgress> inner) : IProgress<TaskProgress>
{
    private readonly Lock _gate = new();
    private TaskProgress? _held;
    private bool _open;

    public void Report(TaskProgress value)
    {
        lock (_gate)
        {
            if (!_open)
            {
                _held = value;
                return;
            }
        }
        inner.Report(value);
    }

    public void Open()
    {
        TaskProgress? held;
        lock (_gate)
        {
            _open = true;
            held = _held;
        }
        if (held is not null)
        {
            inner.Report(held);
        }
    }
}
