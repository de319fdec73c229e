using Reframe.Core.Requests;

namespace Reframe.Wan.Schedulers;

/// <summary>Builds the sampler a request names, the way the reference pipeline does.</summary>
public static class FlowSchedulers
{
    /// <summary>
    /// The constructor shift of the reference's <c>Flow</c> (Euler) sampler, from
    /// <c>config/wan2.2/wan_civitai_t2v.yaml</c>. The request's shift does not reach it in the reference.
    /// </summary>
    public const double EulerConstructorShift = 12;

    /// <param name="sampler">Which sampler.</param>
    /// <param name="steps">num_inference_steps.</param>
    /// <param name="shift">The request's shift (UniPC and DPM++). Euler ignores it, as the reference does.</param>
    public static IFlowScheduler Create(Sampler sampler, int steps, double shift) => sampler switch
    {
        Sampler.UniPC => new FlowUniPcScheduler(steps, shift),
        Sampler.DpmPlusPlus => new FlowDpmSolverScheduler(steps, shift),
        Sampler.Euler => new FlowMatchEulerScheduler(steps, EulerConstructorShift),
        _ => throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "Unknown sampler."),
    };
}
