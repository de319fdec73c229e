using System.Diagnostics.Metrics;

namespace Reframe.Workers;

/// <summary>
/// What the workers measure, as .NET Meters (no exporter here: the host decides; Reframe.Server exports them at
/// <c>/metrics</c> in the Prometheus format). Instrument names are already Prometheus names, so they read the same on both sides.
/// </summary>
public static class WorkerMetrics
{
    public const string MeterName = "Reframe.Workers";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds a task spent in each progress stage (<c>stage</c> tag: downloading, probing, generating, encoding...).</summary>
    public static readonly Histogram<double> StageSeconds = Meter.CreateHistogram<double>(
        "reframe_task_stage_seconds", "s", "Seconds a task spent in each stage of its run.");

    /// <summary>
    /// Seconds per engine step while generating: a denoising step for Wan, a frame for the classic engine (their
    /// progress steps), measured between progress reports.
    /// </summary>
    public static readonly Histogram<double> EngineStepSeconds = Meter.CreateHistogram<double>(
        "reframe_engine_step_seconds", "s", "Seconds per engine step (Wan: denoising step; classic: frame).");
}
