using Reframe.Core.Requests;

namespace Reframe.Wan.Pipelines;

/// <summary>The sampling settings of one generation (request values; defaults as the hosted API).</summary>
/// <param name="Steps">num_inference_steps.</param>
/// <param name="GuidanceScale">Classifier-free guidance; guidance is off at 1 or below, as in the reference.</param>
/// <param name="Shift">Flow shift for UniPC and DPM++ (Euler uses its constructor shift, see FlowSchedulers).</param>
/// <param name="Sampler">Which flow sampler.</param>
/// <param name="VaceContextScale">Weight of the VACE hints.</param>
/// <param name="MaxSequenceLength">Tokenizer length (the experts' <c>text_len</c>, 512 for the real model).</param>
public sealed record ReframeSettings(int Steps, double GuidanceScale, double Shift, Sampler Sampler, double VaceContextScale = 1.0, int MaxSequenceLength = 512)
{
    public bool UsesGuidance => GuidanceScale > 1;
}

/// <summary>One finished denoising step, for progress reporting.</summary>
public sealed record DenoiseProgress(int Step, int TotalSteps, double Timestep, ExpertKind Expert);

/// <summary>The encoded prompt and negative prompt (<c>[L, text_dim]</c> each), computed once per task.</summary>
public sealed record PromptEmbeddings(TorchSharp.torch.Tensor Prompt, TorchSharp.torch.Tensor Negative);
