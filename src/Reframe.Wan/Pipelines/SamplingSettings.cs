using Reframe.Core.Requests;

namespace Reframe.Wan.Pipelines;

/// <summary>The sampling settings of one generation (request values; defaults as the hosted API).</summary>
/// <param name="Steps">num_inference_steps.</param>
/// <param name="GuidanceScale">Classifier-free guidance; guidance is off at 1 or below, as in the reference.</param>
/// <param name="Shift">Flow shift for UniPC and DPM++ (Euler uses its constructor shift, see FlowSchedulers).</param>
/// <param name="Sampler">Which flow sampler.</param>
/// <param name="VaceContextScale">Weight of the VACE hints.</param>
/// <param name="MaxSequenceLength">Tokenizer length (the experts' <c>text_len</c>, 512 for the real model).</param>
public sealed record SamplingSettings(int Steps, double GuidanceScale, double Shift, Sampler Sampler, double VaceContextScale = 1.0, int MaxSequenceLength = 512)
{
    public bool UsesGuidance => GuidanceScale > 1;

    /// <summary>Step caching (the request's <c>acceleration</c>); null computes every block of every call.</summary>
    public Transformer.TeaCacheSettings? TeaCache { get; init; }

    /// <summary>
    /// The reference's <c>cfg_skip_ratio</c>: low-noise steps from <c>Steps * (1 - ratio)</c> on make only the cond
    /// call and use it as the guided prediction. 0 (the reference script's default) never skips.
    /// </summary>
    public double CfgSkipRatio { get; init; }
}

/// <summary>What the loop did, for the task's report: step-cache decisions and CFG skips, summed over windows.</summary>
public sealed class DenoiseStats
{
    private readonly List<Transformer.TeaCacheCall> _calls = [];

    /// <summary>Every expert call's cache decision, in order (empty without step caching).</summary>
    public IReadOnlyList<Transformer.TeaCacheCall> CacheCalls => _calls;

    /// <summary>Steps whose cond call ran every block.</summary>
    public int StepsComputed { get; private set; }

    /// <summary>Steps whose cond call reused the cached residual.</summary>
    public int StepsReused { get; private set; }

    /// <summary>Steps (over all windows) that made only the cond call.</summary>
    public IList<int> CfgSkippedSteps { get; } = [];

    internal void AddStep(bool computed)
    {
        if (computed)
        {
            StepsComputed++;
        }
        else
        {
            StepsReused++;
        }
    }

    internal void AddCalls(IEnumerable<Transformer.TeaCacheCall> calls) => _calls.AddRange(calls);
}

/// <summary>One finished denoising step, for progress reporting.</summary>
public sealed record DenoiseProgress(int Step, int TotalSteps, double Timestep, ExpertKind Expert);

/// <summary>The encoded prompt and negative prompt (<c>[L, text_dim]</c> each), computed once per task.</summary>
public sealed record PromptEmbeddings(TorchSharp.torch.Tensor Prompt, TorchSharp.torch.Tensor Negative);
