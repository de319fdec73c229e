using static TorchSharp.torch;

namespace Reframe.Wan.Schedulers;

/// <summary>
/// diffusers' <c>FlowMatchEulerDiscreteScheduler</c> as the reference builds it for <c>euler</c> (its sampler
/// <c>Flow</c>): static shift given to the constructor, no dynamic shifting, float timesteps.
/// </summary>
/// <remarks>
/// Reference quirk, reproduced on purpose: the constructor already shifts its training sigmas, so
/// <c>sigma_min</c> is <c>S_s(0.001)</c>; <c>set_timesteps</c> spaces the schedule between 1 and that shifted
/// minimum and then shifts it AGAIN. The last non-zero sigma is therefore much larger than the other samplers'
/// (0.126 for 4 steps at shift 12). In the reference pipeline the request's <c>shift</c> never reaches this
/// sampler (the yaml's constructor shift, 12, does); <see cref="FlowSchedulers"/> decides which value to pass.
/// </remarks>
public sealed class FlowMatchEulerScheduler : IFlowScheduler
{
    private const int TrainTimesteps = 1000;

    private readonly double[] _timesteps;
    private readonly float[] _sigmas;

    public FlowMatchEulerScheduler(int steps, double shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shift);

        // Constructor: sigmas = shift(t / 1000) for t = 1000..1, computed on float32 tensors.
        float sigmaMax = ShiftFloat32(shift, 1f);
        float sigmaMin = ShiftFloat32(shift, 1f / TrainTimesteps);

        // set_timesteps: linspace(1000 sigma_max, 1000 sigma_min, N) / 1000 in float64, shifted again, stored
        // as float32; timesteps = float32 sigmas * 1000 (float32, not rounded).
        var grid = SigmaShift.Linspace((double)sigmaMax * TrainTimesteps, (double)sigmaMin * TrainTimesteps, steps);
        _timesteps = new double[steps];
        _sigmas = new float[steps + 1];
        for (int k = 0; k < steps; k++)
        {
            float sigma = (float)SigmaShift.Apply(shift, grid[k] / TrainTimesteps);
            _sigmas[k] = sigma;
            _timesteps[k] = sigma * (float)TrainTimesteps;
        }

        _sigmas[steps] = 0f;
    }

    public string Name => "euler";
    public IReadOnlyList<double> Timesteps => _timesteps;
    public IReadOnlyList<float> Sigmas => _sigmas;
    public int StepIndex { get; private set; }

    public Tensor Step(Tensor modelOutput, Tensor sample)
    {
        int k = StepIndex;
        if (k >= _timesteps.Length)
        {
            throw new InvalidOperationException($"All {_timesteps.Length} Euler steps have been taken.");
        }

        // dt is a float32 difference in the reference (sigmas are a float32 tensor).
        float dt = _sigmas[k + 1] - _sigmas[k];
        using var scope = NewDisposeScope();
        var next = sample.to_type(ScalarType.Float32) + dt * modelOutput; // [B, C, F, H, W]
        StepIndex = k + 1;
        return next.to_type(modelOutput.dtype).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        // Euler keeps no tensors between steps.
    }

    /// <summary>The constructor's shift on a float32 tensor: every operation rounds to float32.</summary>
    private static float ShiftFloat32(double shift, float sigma)
    {
        float numerator = (float)shift * sigma;
        float denominator = 1f + (float)(shift - 1) * sigma;
        return numerator / denominator;
    }
}
