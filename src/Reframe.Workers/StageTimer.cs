using Reframe.Core.Engines;

namespace Reframe.Workers;

/// <summary>
/// Times a task's stages and its engine's steps from the progress it reports anyway, so neither the runner nor the engines
/// carry metrics code: a stage lasts from its first report to the first report of the next one (or the end of the run).
/// Passes every report on unchanged.
/// </summary>
public sealed class StageTimer(IProgress<TaskProgress> inner, TimeProvider time) : IProgress<TaskProgress>
{
    private const string GeneratingStage = "generating";
    private readonly Lock _gate = new();
    private string? _stage;
    private long _stageStarted;
    private int _lastStep;
    private long _lastStepAt;

    public void Report(TaskProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!string.Equals(value.Stage, _stage, StringComparison.Ordinal))
            {
                RecordStage(now);
                _stage = value.Stage;
                _stageStarted = now;
                _lastStep = value.Step;
                _lastStepAt = now;
            }
            else if (_stage == GeneratingStage && value.Step > _lastStep)
            {
                var perStep = time.GetElapsedTime(_lastStepAt, now).TotalSeconds / (value.Step - _lastStep);
                WorkerMetrics.EngineStepSeconds.Record(perStep);
                _lastStep = value.Step;
                _lastStepAt = now;
            }
        }
        inner.Report(value);
    }

    /// <summary>Closes the last stage (the run ended, whichever way).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            RecordStage(time.GetTimestamp());
            _stage = null;
        }
    }

    private void RecordStage(long now)
    {
        if (_stage is not null)
        {
            WorkerMetrics.StageSeconds.Record(time.GetElapsedTime(_stageStarted, now).TotalSeconds, new KeyValuePair<string, object?>("stage", _stage));
        }
    }
}
