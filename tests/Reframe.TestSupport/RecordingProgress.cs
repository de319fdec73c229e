using System.Collections.Concurrent;
using Reframe.Core.Engines;

namespace Reframe.TestSupport;

/// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
public sealed class RecordingProgress(Action<TaskProgress>? onReport = null) : IProgress<TaskProgress>
{
    public ConcurrentQueue<TaskProgress> Reports { get; } = new();

    public void Report(TaskProgress value)
    {
        Reports.Enqueue(value);
        onReport?.Invoke(value);
    }
}
