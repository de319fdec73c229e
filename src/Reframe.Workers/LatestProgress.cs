using Reframe.Core.Engines;

namespace Reframe.Workers;

/// <summary>
/// Keeps only the newest progress report; the lease renewal writes it. Engines may report every denoising step
/// or every frame, and writing each one to the database would cost more than the step.
/// </summary>
public sealed class LatestProgress : IProgress<TaskProgress>
{
    private TaskProgress? _latest;
    private TaskProgress? _written;

    public void Report(TaskProgress value) => Volatile.Write(ref _latest, value);

    /// <summary>The newest report when it has not been written yet, else null.</summary>
    public TaskProgress? TakeUnwritten()
    {
        var latest = Volatile.Read(ref _latest);
        if (ReferenceEquals(latest, _written))
        {
            return null;
        }
        _written = latest;
        return latest;
    }
}
