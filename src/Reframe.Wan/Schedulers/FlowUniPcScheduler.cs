using static TorchSharp.torch;

namespace Reframe.Wan.Schedulers;

/// <summary>
/// <c>FlowUniPCMultistepScheduler</c> (VideoX-Fun) as the reference pipeline configures it (<c>unipc</c>, the
/// default): solver order 2, data prediction, <c>bh2</c>, <c>lower_order_final</c>, final sigma 0, the UniC
/// corrector on every step but the first. The constructor shift is forced to 1 by the reference and the
/// pipeline's <c>shift</c> is applied in <c>set_timesteps</c>, so it is applied once.
/// </summary>
public sealed class FlowUniPcScheduler : IFlowScheduler
{
    /// <summary>
    /// The reference builds its training sigmas in float32 as <c>1 - linspace(1, 0.001, 1000)</c> and takes the
    /// first as <c>sigma_max</c>: the float32 0.999, not 1.0 (so the first timestep is 999, not 1000).
    /// </summary>
    private static readonly double SigmaMax = (double)0.999f;

    private const int SolverOrder = 2;

    private readonly double[] _timesteps;
    private readonly float[] _sigmas;

    // History of data predictions m_k (x0 = x - sigma v), newest last; owned by this scheduler (detached from
    // every dispose scope, released in Dispose).
    private readonly List<Tensor> _x0History = [];
    private Tensor? _lastCorrectedSample;
    private int _lastPredictorOrder;

    public FlowUniPcScheduler(int steps, double shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shift);

        // sigma_k = S_s(linspace(0.999, 0, N + 1)[k]) in float64; the timestep is that times 1000 TRUNCATED to
        // int64. Some products sit within 1e-5 of an integer, so this must stay in float64.
        (_timesteps, _sigmas) = SigmaShift.TruncatedSchedule(SigmaMax, steps, shift);
    }

    public string Name => "unipc";
    public IReadOnlyList<double> Timesteps => _timesteps;
    public IReadOnlyList<float> Sigmas => _sigmas;
    public int StepIndex { get; private set; }

    /// <summary>The data prediction of the last step (<c>x0_pred</c>), for inspection; owned by the scheduler.</summary>
    public Tensor? LastX0Prediction => _x0History.Count > 0 ? _x0History[^1] : null;

    /// <summary>The sample after the last step's corrector (<c>corrected_sample</c>), owned by the scheduler.</summary>
    public Tensor? LastCorrectedSample => _lastCorrectedSample;

    public Tensor Step(Tensor modelOutput, Tensor sample)
    {
        int k = StepIndex;
        if (k >= _timesteps.Length)
        {
            throw new InvalidOperationException($"All {_timesteps.Length} UniPC steps have been taken.");
        }

        using var scope = NewDisposeScope();
        double sigma = _sigmas[k];

        // 1. Data prediction from the sample as passed in (before the corrector).
        var x0 = sample - sigma * modelOutput; // [B, C, F, H, W]

        // 2. UniC corrector of the previous predictor, from the previous corrected sample.
        var corrected = k > 0 ? Correct(x0, _lastPredictorOrder, k) : sample.alias();

        // 3. History and stored sample (tensors outlive this scope).
        _x0History.Add(x0.DetachFromDisposeScope());
        if (_x0History.Count > SolverOrder)
        {
            _x0History[0].Dispose();
            _x0History.RemoveAt(0);
        }

        _lastCorrectedSample?.Dispose();
        _lastCorrectedSample = corrected.DetachFromDisposeScope();

        // 4. Predictor order: lower_order_final gives order 1 on the last step, warm-up gives 1 on the first.
        int order = Math.Min(Math.Min(SolverOrder, _timesteps.Length - k), k + 1);
        _lastPredictorOrder = order;

        // 5. UniP predictor.
        var next = Predict(_lastCorrectedSample, order, k);
        StepIndex = k + 1;
        return next.MoveToOuterDisposeScope();
    }

    /// <summary>UniP (bh2) from the corrected sample of step k to sigma_{k+1}.</summary>
    private Tensor Predict(Tensor x, int order, int k)
    {
        double sigmaS = _sigmas[k], sigmaT = _sigmas[k + 1];
        double alphaT = 1 - sigmaT;
        double lambdaS = SigmaShift.Lambda(sigmaS), lambdaT = SigmaShift.Lambda(sigmaT);
        double h = lambdaT - lambdaS;
        double phi1 = SigmaShift.Expm1(-h); // bh2: B(h) = expm1(-h) as well

        var m0 = _x0History[^1];
        // At sigma_{k+1} = 0, lambda = +inf and phi1 = -1: x_{k+1} = 0 * x + m0, IEEE arithmetic does it.
        var result = sigmaT / sigmaS * x - alphaT * phi1 * m0; // [B, C, F, H, W]
        if (order == 2)
        {
            double r = (SigmaShift.Lambda(_sigmas[k - 1]) - lambdaS) / h;
            var d1 = (_x0History[^2] - m0) / r;
            // The reference's order-2 predictor coefficient is the constant 0.5 (not solved).
            result = result - alphaT * phi1 * 0.5 * d1;
        }

        return result;
    }

    /// <summary>UniC (bh2) at step k: re-derives x_k from the previous corrected sample with the new x0.</summary>
    private Tensor Correct(Tensor x0New, int order, int k)
    {
        double sigmaS = _sigmas[k - 1], sigmaT = _sigmas[k];
        double alphaT = 1 - sigmaT;
        double lambdaS = SigmaShift.Lambda(sigmaS), lambdaT = SigmaShift.Lambda(sigmaT);
        double h = lambdaT - lambdaS;
        double hh = -h;
        double phi1 = SigmaShift.Expm1(hh);
        double bh = phi1;

        var m0 = _x0History[^1];
        var x = _lastCorrectedSample!;
        var dT = x0New - m0; // [B, C, F, H, W]
        var result = sigmaT / sigmaS * x - alphaT * phi1 * m0;
        if (order == 1)
        {
            // Order 1: the reference uses the fixed coefficient 0.5.
            return result - alphaT * bh * 0.5 * dT;
        }

        // Order 2: solve [[1, 1], [r, 1]] rho = [b1, b2] with the bh2 b-vector.
        double r = (SigmaShift.Lambda(_sigmas[k - 2]) - lambdaS) / h;
        double a1 = phi1 / hh - 1;
        double b1 = a1 / bh;
        double a2 = a1 / hh - 0.5;
        double b2 = a2 * 2 / bh;
        double rho0 = (b1 - b2) / (1 - r);
        double rho1 = b1 - rho0;
        var d1 = (_x0History[^2] - m0) / r;
        return result - alphaT * bh * (rho0 * d1 + rho1 * dT);
    }

    public void Dispose()
    {
        foreach (var tensor in _x0History)
        {
            tensor.Dispose();
        }

        _x0History.Clear();
        _lastCorrectedSample?.Dispose();
        _lastCorrectedSample = null;
    }
}
