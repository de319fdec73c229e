using static TorchSharp.torch;

namespace Reframe.Wan.Schedulers;

/// <summary>
/// A flow-matching sampler as the reference pipeline drives it: a fixed schedule set at construction, then one
/// <see cref="Step"/> per timestep, in order. Convention: <c>x_sigma = (1 - sigma) x0 + sigma eps</c>, the model
/// predicts <c>v = eps - x0</c>, and the timestep shown to the model is <c>1000 sigma</c>.
/// </summary>
public interface IFlowScheduler : IDisposable
{
    /// <summary>The wire name of the sampler (<c>unipc</c>, <c>dpm++</c>, <c>euler</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The timestep given to the model at each step, on the 0..1000 scale. Integer-valued for UniPC and DPM++
    /// (the reference's int64), a float32 value for Euler.
    /// </summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <summary>The sigma of each step plus the final 0, as the float32 values the reference stores (N + 1).</summary>
    IReadOnlyList<float> Sigmas { get; }

    /// <summary>How many steps have been taken so far.</summary>
    int StepIndex { get; }

    /// <summary>
    /// Advances the sample by one step given the (guided) model output for the current timestep. Returns a new
    /// tensor owned by the caller's dispose scope; the scheduler keeps what it needs for later steps itself and
    /// releases it in <see cref="IDisposable.Dispose"/>.
    /// </summary>
    Tensor Step(Tensor modelOutput, Tensor sample);
}
