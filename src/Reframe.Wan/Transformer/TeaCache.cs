using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// TeaCache settings: the reference's <c>enable_teacache(coefficients, steps, threshold, num_skip_start_steps)</c>.
/// </summary>
/// <param name="Threshold">A step reuses the cache while the accumulated rescaled distance stays below this.</param>
/// <param name="SkipStartSteps">The first steps always compute.</param>
/// <param name="Coefficients">The rescaling polynomial, highest power first (numpy <c>poly1d</c>).</param>
public sealed record TeaCacheSettings(double Threshold, int SkipStartSteps, IReadOnlyList<double> Coefficients)
{
    /// <summary><c>get_teacache_coefficients("Wan2.2-VACE-Fun")</c> in the reference.</summary>
    public static IReadOnlyList<double> Wan22VaceFunCoefficients { get; } = [8107.05460, 2133.93892, -372.934672, 16.6203073, -0.0417769401];

    /// <summary>The reference script's <c>regular</c> setting: threshold 0.10, five uncached first steps.</summary>
    public static TeaCacheSettings Regular { get; } = new(0.10, 5, Wan22VaceFunCoefficients);

    /// <summary>The polynomial at <paramref name="x"/> (Horner, highest power first).</summary>
    public double Rescale(double x) => Coefficients.Aggregate(0.0, (acc, c) => acc * x + c);
}

/// <summary>One expert call's cache decision, for tests and the task's report.</summary>
/// <param name="Step">The step (the cache's counter when the call was made).</param>
/// <param name="Cond">The cond call (which takes the decision) or the uncond call (which follows it).</param>
/// <param name="Computed">Whether the blocks ran (false: the branch's cached residual was added).</param>
/// <param name="RelL1">The cond call's relative L1 distance of e0 to the previous step's, when measured.</param>
/// <param name="Rescaled">That distance through the polynomial.</param>
/// <param name="AccumulatedBefore">The accumulated distance before this step.</param>
public sealed record TeaCacheCall(int Step, bool Cond, bool Computed, double? RelL1, double? Rescaled, double? AccumulatedBefore);

/// <summary>Which cache an expert call uses, and on which CFG branch.</summary>
public sealed record StepCacheCall(TeaCache Cache, bool Cond);

/// <summary>
/// The reference's TeaCache state (VideoX-Fun <c>cache_utils.TeaCache</c> as <c>wan_transformer3d_vace</c> drives
/// it), ONE instance shared by both experts of a window (<c>share_teacache</c>): the step counter, the accumulated
/// distance, the previous modulated input and the per-branch residuals carry across the expert switch.
/// <list type="bullet">
/// <item>The cond call decides, from e0 (the time projection, [1, 6, dim]); the uncond call follows it.</item>
/// <item>Steps before <see cref="TeaCacheSettings.SkipStartSteps"/> compute and zero the accumulator; later ones add
/// <c>poly(mean|e0 - prev| / mean|prev|)</c> and reuse while the sum stays below the threshold, else compute and
/// zero it. The previous e0 is updated on every cond call.</item>
/// <item>Computing stores <c>x_after_blocks - x_before_blocks</c> for its branch; reusing adds it.</item>
/// <item>The counter advances after each cond call; at <c>num_steps</c> everything resets, so the last step's uncond
/// call always computes.</item>
/// </list>
/// </summary>
public sealed class TeaCache(TeaCacheSettings settings, int steps) : IDisposable
{
    private readonly List<TeaCacheCall> _calls = [];
    private int _counter;
    private int _lastCondStep;
    private double _accumulated;
    private bool _shouldCompute = true;
    private Tensor? _previousModulated;
    private Tensor? _residualCond;
    private Tensor? _residualUncond;

    public TeaCacheSettings Settings { get; } = settings;

    public int Steps { get; } = steps;

    /// <summary>Every call's decision, in order.</summary>
    public IReadOnlyList<TeaCacheCall> Calls => _calls;

    /// <summary>Whether this call runs the blocks. A cond call takes the decision from <paramref name="e0"/>.</summary>
    public bool Decide(Tensor e0, bool cond)
    {
        ArgumentNullException.ThrowIfNull(e0);
        if (!cond)
        {
            // The uncond call belongs to the step of the cond call just made (the counter has moved on, or reset).
            bool follow = _shouldCompute || _residualUncond is null;
            _calls.Add(new TeaCacheCall(_lastCondStep, false, follow, null, null, null));
            return follow;
        }

        int step = _counter;
        _lastCondStep = step;
        double? relL1 = null, rescaled = null, before = null;
        bool compute;
        if (_counter < Settings.SkipStartSteps || _previousModulated is null)
        {
            compute = true;
            _accumulated = 0;
        }
        else
        {
            using var scope = NewDisposeScope();
            var current = e0.to_type(ScalarType.Float32);
            var previous = _previousModulated.to_type(ScalarType.Float32);
            relL1 = (current - previous).abs().mean().item<float>() / (double)previous.abs().mean().item<float>();
            rescaled = Settings.Rescale(relL1.Value);
            before = _accumulated;
            _accumulated += rescaled.Value;
            compute = _accumulated >= Settings.Threshold || _residualCond is null;
            if (compute)
            {
                _accumulated = 0;
            }
        }

        _previousModulated?.Dispose();
        _previousModulated = e0.detach().clone().DetachFromDisposeScope();
        _shouldCompute = compute;
        _calls.Add(new TeaCacheCall(step, true, compute, relL1, rescaled, before));
        return compute;
    }

    /// <summary>Keeps <paramref name="residual"/> (blocks' output minus input) for its branch.</summary>
    public void Store(bool cond, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        var copy = residual.detach().clone().DetachFromDisposeScope();
        if (cond)
        {
            _residualCond?.Dispose();
            _residualCond = copy;
        }
        else
        {
            _residualUncond?.Dispose();
            _residualUncond = copy;
        }
    }

    /// <summary>The branch's cached residual.</summary>
    public Tensor Residual(bool cond) =>
        (cond ? _residualCond : _residualUncond) ?? throw new InvalidOperationException("no cached residual for this branch");

    /// <summary>Ends a call: a cond call advances the step counter, and the last one resets the whole state.</summary>
    public void EndCall(bool cond)
    {
        if (!cond)
        {
            return;
        }

        _counter++;
        if (_counter == Steps)
        {
            Reset();
        }
    }

    private void Reset()
    {
        _counter = 0;
        _accumulated = 0;
        _shouldCompute = true;
        _previousModulated?.Dispose();
        _residualCond?.Dispose();
        _residualUncond?.Dispose();
        _previousModulated = _residualCond = _residualUncond = null;
    }

    public void Dispose() => Reset();
}
