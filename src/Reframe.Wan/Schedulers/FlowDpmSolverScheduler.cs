using static TorchSharp.torch;

namespace Reframe.Wan.Schedulers;

/// <summary>
/// <c>FlowDPMSolverMultistepScheduler</c> (VideoX-Fun) as the reference pipeline configures it (<c>dpm++</c>):
/// DPM-Solver++ order 2, midpoint, <c>lower_order_final</c>, final sigma 0. The reference passes explicit sigmas
/// from <c>get_sampling_sigmas(steps, shift)</c> with the constructor shift forced to 1, so the shift is applied
/// once and the schedule starts at sigma 1.0 exactly (timestep 1000).
/// </summary>
public sealed class FlowDpmSolverScheduler : IFlowScheduler
{
    private readonly double[] _timesteps;
    private readonly float[] _sigmas;

    // The previous step's data prediction (the only history order 2 needs); owned by this scheduler.
    private Tensor? _previousX0;

    public FlowDpmSolverScheduler(int steps, double shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shift);

        // get_sampling_sigmas: S_s(linspace(1, 0, N + 1)[:N]) in float64; timesteps int64(1000 sigma), truncated.
        (_timesteps, _sigmas) = SigmaShift.TruncatedSchedule(1, steps, shift);
    }

    public string Name => "dpm++";
    public IReadOnlyList<double> Timesteps => _timesteps;
    public IReadOnlyList<float> Sigmas => _sigmas;
    public int StepIndex { get; private set; }

    /// <summary>The data prediction of the last step (<c>x0_pred</c>), for inspection; owned by the scheduler.</summary>
    public Tensor? LastX0Prediction => _previousX0;

    public Tensor Step(Tensor modelOutput, Tensor sample)
    {
        int k = StepIndex;
        if (k >= _timesteps.Length)
        {
            throw new InvalidOperationException($"All {_timesteps.Length} DPM++ steps have been taken.");
        }

        using var scope = NewDisposeScope();
        double sigmaS = _sigmas[k], sigmaT = _sigmas[k + 1];
        double alphaT = 1 - sigmaT;
        double lambdaS = SigmaShift.Lambda(sigmaS), lambdaT = SigmaShift.Lambda(sigmaT);
        double h = lambdaT - lambdaS;
        // At k = 0, sigma 1 gives lambda -inf and h +inf: exp(-h) - 1 = -1, so x_1 = sigma_1 x_0 + alpha_1 m_0.
        double expm1MinusH = Math.Exp(-h) - 1;

        var x0 = sample - sigmaS * modelOutput; // [B, C, F, H, W]
        var next = sigmaT / sigmaS * sample - alphaT * expm1MinusH * x0;

        // First order on the first step and (final sigma 0 => lower_order_final) on the last one.
        bool secondOrder = k > 0 && k < _timesteps.Length - 1;
        if (secondOrder)
        {
            // Midpoint: D1 = (m_k - m_{k-1}) / r0 with r0 = h_{k-1} / h. At k = 1, lambda_0 = -inf makes
            // r0 = +inf and D1 = 0 (the update degenerates to first order, as in the reference).
            double r0 = (lambdaS - SigmaShift.Lambda(_sigmas[k - 1])) / h;
            var d1 = (x0 - _previousX0!) * (1 / r0);
            next = next - 0.5 * alphaT * expm1MinusH * d1;
        }

        _previousX0?.Dispose();
        _previousX0 = x0.DetachFromDisposeScope();
        StepIndex = k + 1;
        return next.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _previousX0?.Dispose();
        _previousX0 = null;
    }
}
