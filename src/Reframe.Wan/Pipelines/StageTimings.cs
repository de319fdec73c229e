using System.Diagnostics;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Seconds spent per stage of a task (<c>text</c>, <c>vae_encode</c>, <c>denoise</c>, <c>vae_decode</c>...), summed
/// over windows, for <c>meta.timings</c>. On a GPU the work is asynchronous, so each measurement first waits for
/// the device (<paramref name="synchronize"/>) or the time would land in whichever stage happens to block next.
/// </summary>
public sealed class StageTimings(Action? synchronize = null)
{
    private readonly Dictionary<string, double> _seconds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Seconds => _seconds;

    /// <summary>Times <paramref name="work"/> and adds it to <paramref name="stage"/>.</summary>
    public T Measure<T>(string stage, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        synchronize?.Invoke();
        long started = Stopwatch.GetTimestamp();
        try
        {
            var result = work();
            synchronize?.Invoke();
            return result;
        }
        finally
        {
            Add(stage, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public void Add(string stage, double seconds) =>
        _seconds[stage] = _seconds.GetValueOrDefault(stage) + seconds;
}
