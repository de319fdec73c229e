using Reframe.Core.Requests;

namespace Reframe.Wan.Schedulers;

/// <summary>Builds the sampler a request names, the way the reference pipeline does.</summary>
public static class FlowSchedulers
{
    /// <param name="sampler">Which sampler.</param>
    /// <param name="steps">num_inference_steps.</param>
    /// <param name="shift">The request's shift, for every sampler. The reference pipeline never passes it to Euler
    /// (its <c>Flow</c> sampler keeps the yaml's constructor shift, 12, whatever the request says); we give Euler the
    /// request's value as its constructor shift, so that <c>shift</c> means the same for all three samplers. With
    /// shift 12 the result is the reference's.</param>
    public static IFlowScheduler Create(Sampler sampler, int steps, double shift) => sampler switch
    {
        Sampler.UniPC => new FlowUniPcScheduler(steps, shift),
        Sampler.DpmPlusPlus => new FlowDpmSolverScheduler(steps, shift),
        Sampler.Euler => new FlowMatchEulerScheduler(steps, shift),
        _ => throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "Unknown sampler."),
    };
}
