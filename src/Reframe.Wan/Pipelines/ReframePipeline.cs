using Reframe.Wan.Schedulers;
using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Wan2.2-VACE-Fun reframe (video-to-video with a mask), unrolled so that it reads top to bottom like the
/// reference's <c>Wan2_2VaceFunPipeline.__call__</c>: prompts (<see cref="EncodePrompts"/>, once per task), then per
/// window (<see cref="GenerateWindow"/>) VACE context, seeded noise, the two-expert CFG loop and decode. The kept
/// source is pasted back by the engine, once, after windows are blended. Device, dtype and which expert is resident
/// are decided by the caller (the <see cref="IExpertSource"/>); the loop only asks for the expert a timestep needs.
/// </summary>
/// <remarks>
/// Latents, guidance and sampler arithmetic stay in float32 even when the experts run in bf16 (the reference
/// keeps them in the model dtype); each expert call casts its inputs to its own dtype.
/// </remarks>
public sealed class ReframePipeline(IExpertSource experts, IWanVae vae)
{
    /// <summary>Latent channels of the Wan2.1 VAE.</summary>
    public const int LatentChannels = 16;

    /// <summary>
    /// Both prompts through the text encoder: <c>[Lp, text_dim]</c> and <c>[Ln, text_dim]</c> (once per task, shared
    /// by every window). The tensors belong to the caller's dispose scope.
    /// </summary>
    public static PromptEmbeddings EncodePrompts(IPromptEncoder encoder, string prompt, string negativePrompt, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        using var noGrad = no_grad();
        return new PromptEmbeddings(encoder.Encode(prompt, maxSequenceLength), encoder.Encode(negativePrompt, maxSequenceLength));
    }

    /// <summary>
    /// One window, the reference's <c>__call__</c> after the text encoder: VACE context, seeded noise, the two-expert
    /// CFG loop, decode. No paste-back: the caller blends windows and pastes the kept source once, at the end.
    /// </summary>
    /// <param name="video">[1, 3, F, H, W] canvas video in [0, 1] (F = 4k + 1, H and W multiples of 16).</param>
    /// <param name="mask">[1, 1, F, H, W], 1 = generate, 0 = keep.</param>
    /// <param name="text">The encoded prompts.</param>
    /// <param name="seed">Noise seed.</param>
    /// <param name="settings">Sampling settings.</param>
    /// <param name="progress">Reports each finished denoising step.</param>
    /// <param name="cancellationToken">Checked between denoising steps.</param>
    /// <param name="timings">Receives <c>vae_encode</c>, <c>denoise</c> and <c>vae_decode</c> seconds.</param>
    /// <param name="reactiveLatents">The latent of the all-grey reactive video for this shape, if the caller keeps
    /// it (it depends on the shape only); null encodes it.</param>
    /// <param name="stats">Receives the loop's step-cache decisions.</param>
    /// <returns>[1, 3, F, H, W] float32 in [0, 1]: the decoded result everywhere, the kept area included.</returns>
    public Tensor GenerateWindow(
        Tensor video,
        Tensor mask,
        PromptEmbeddings text,
        long seed,
        SamplingSettings settings,
        IProgress<DenoiseProgress>? progress,
        CancellationToken cancellationToken,
        StageTimings? timings = null,
        Tensor? reactiveLatents = null,
        DenoiseStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        timings ??= new StageTimings();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        // 1. VACE context from the canvas video and the mask.
        var vaceContext = timings.Measure("vae_encode",
            () => VaceConditioning.Build(video, mask, vae, reactiveLatents: reactiveLatents));   // [96, f, h, w]

        // 2. Seeded noise, drawn on the latents' device.
        var latents = Noise(seed, vaceContext);                                                  // [1, 16, f, h, w]

        // 3. The denoising loop.
        latents = timings.Measure("denoise",
            () => Denoise(latents, vaceContext, text.Prompt, text.Negative, settings, progress, cancellationToken, stats: stats));

        // 4. Decode to [0, 1].
        var frames = timings.Measure("vae_decode", () =>
        {
            var decoded = vae.Decode(latents).to_type(ScalarType.Float32);                     // [1, 3, F, H, W] in [-1, 1]
            return (decoded / 2 + 0.5).clamp(0, 1);
        });
        return frames.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The denoising loop alone: CFG over [negative, positive], the expert chosen per timestep at the 0.875
    /// boundary, one scheduler step per timestep.
    /// </summary>
    /// <param name="latents">[1, 16, f, h, w] initial noise.</param>
    /// <param name="vaceContext">[96, f, h, w], shared by both CFG halves.</param>
    /// <param name="promptEmbeds">[Lp, text_dim].</param>
    /// <param name="negativeEmbeds">[Ln, text_dim].</param>
    /// <param name="settings">Sampling settings.</param>
    /// <param name="progress">Reports each finished step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="probe">Receives (name, step, tensor) for parity tests: <c>latents_before_step</c>,
    /// <c>noise_pred_uncond</c>, <c>noise_pred_cond</c>, <c>noise_pred_guided</c>, <c>latents</c>.</param>
    /// <param name="stats">Receives the step-cache decisions and CFG skips.</param>
    /// <returns>[1, 16, f, h, w] float32 final latents.</returns>
    public Tensor Denoise(
        Tensor latents,
        Tensor vaceContext,
        Tensor promptEmbeds,
        Tensor negativeEmbeds,
        SamplingSettings settings,
        IProgress<DenoiseProgress>? progress,
        CancellationToken cancellationToken,
        Action<string, int, Tensor>? probe = null,
        DenoiseStats? stats = null)
    {
        using var noGrad = no_grad();
        using var scheduler = FlowSchedulers.Create(settings.Sampler, settings.Steps, settings.Shift);
        // One step cache for this loop (a window), shared by both experts, as the reference's share_teacache.
        using var cache = settings.TeaCache is { } teaCache ? new Transformer.TeaCache(teaCache, settings.Steps) : null;
        using var context = vaceContext.unsqueeze(0);                                  // [1, 96, f, h, w]
        var current = latents.dtype == ScalarType.Float32 ? latents.alias() : latents.to_type(ScalarType.Float32); // [1, 16, f, h, w], disposed as the loop advances
        var timesteps = scheduler.Timesteps;

        for (int step = 0; step < timesteps.Count; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            double t = timesteps[step];
            var kind = ExpertSwitch.ForTimestep(t);
            var expert = experts.Get(kind);
            var timestep = tensor(new[] { t }, dtype: ScalarType.Float64);             // [1]
            probe?.Invoke("latents_before_step", step, current);

            // Conditional first, then unconditional, each a batch-1 call (the reference's cfg_skip order; it also
            // halves the activation peak compared with a batch of two). The cond call takes the step cache's decision.
            int decisions = cache?.Calls.Count ?? 0;
            var cond = expert.Forward(current, timestep, context, [promptEmbeds], settings.VaceContextScale,
                cache: cache is null ? null : new Transformer.StepCacheCall(cache, Cond: true)).to_type(ScalarType.Float32); // [1, 16, f, h, w]
            stats?.AddStep(cache is null || cache.Calls[decisions].Computed);
            var guided = cond;
            // cfg_skip as the reference runs it: only the low-noise expert's step counter moves, so only it skips.
            bool skipUncond = settings.CfgSkipRatio > 0 && kind == ExpertKind.LowNoise && step >= settings.Steps * (1 - settings.CfgSkipRatio);
            if (settings.UsesGuidance && skipUncond)
            {
                stats?.CfgSkippedSteps.Add(step);
                probe?.Invoke("noise_pred_uncond", step, cond);                        // the reference returns cat([out, out])
            }
            else if (settings.UsesGuidance)
            {
                var uncond = expert.Forward(current, timestep, context, [negativeEmbeds], settings.VaceContextScale,
                    cache: cache is null ? null : new Transformer.StepCacheCall(cache, Cond: false)).to_type(ScalarType.Float32); // [1, 16, f, h, w]
                guided = uncond + settings.GuidanceScale * (cond - uncond);
                probe?.Invoke("noise_pred_uncond", step, uncond);
            }

            probe?.Invoke("noise_pred_cond", step, cond);
            probe?.Invoke("noise_pred_guided", step, guided);

            var next = scheduler.Step(guided, current);                                // [1, 16, f, h, w]
            probe?.Invoke("latents", step, next);
            current.Dispose();
            current = next.MoveToOuterDisposeScope();
            progress?.Report(new DenoiseProgress(step + 1, timesteps.Count, t, kind));
        }

        if (cache is not null)
        {
            stats?.AddCalls(cache.Calls);
        }

        return current;
    }

    /// <summary>Standard normal latents [1, 16, f, h, w] from a generator seeded with <paramref name="seed"/>.</summary>
    public static Tensor Noise(long seed, Tensor vaceContext)
    {
        var device = vaceContext.device;
        using var generator = new Generator((ulong)seed, device);
        long f = vaceContext.shape[1], h = vaceContext.shape[2], w = vaceContext.shape[3];
        return randn([1, LatentChannels, f, h, w], generator: generator, dtype: ScalarType.Float32, device: device);
    }
}
