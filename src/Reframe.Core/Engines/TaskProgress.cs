namespace Reframe.Core.Engines;

/// <summary>
/// Progress of one running task, shown in <c>meta.progress</c> as <c>{stage, step, total_steps, percent}</c>.
/// Stages in order: <c>downloading</c>, <c>probing</c>, <c>planning</c>, <c>encoding_prompt</c>,
/// <c>generating</c>, <c>decoding</c>, <c>interpolating</c>, <c>encoding</c>, <c>storing</c>.
/// </summary>
public sealed record TaskProgress(string Stage, int Step, int TotalSteps, double Percent);
