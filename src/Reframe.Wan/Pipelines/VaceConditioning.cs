using static TorchSharp.torch;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// The VACE context of video-to-video with a mask (reframe = outpainting), as <c>Wan2_2VaceFunPipeline</c> builds
/// it: 16 channels of the kept video's latent, 16 of the (all-grey) generated area's latent, and 64 channels of the
/// mask folded 8x8 into channels and resampled in time to the latent frame count.
/// </summary>
public static class VaceConditioning
{
    /// <summary>The mask binarised at 0.5 (1 = generate) and tiled to 3 channels. [B, 1, F, H, W] to [B, 3, F, H, W].</summary>
    public static Tensor MaskCondition(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var binary = mask.ge(0.5).to_type(mask.dtype);                // [B, 1, F, H, W]
        return binary.expand(-1, 3, -1, -1, -1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The video mapped to [-1, 1] and zeroed (mid grey) where the mask says generate. Video in [0, 1].</summary>
    public static Tensor InputVideo(Tensor video, Tensor maskCondition)
    {
        using var scope = NewDisposeScope();
        var normalised = video * 2 - 1;                                               // [B, 3, F, H, W]
        return (normalised * maskCondition.lt(0.5).to_type(video.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mask latents: channel <c>8 py + px</c> of latent pixel (y, x) is mask pixel (8y + py, 8x + px) of the first
    /// mask channel, and latent frame j reads pixel frame <c>floor((j + 0.5) F / f)</c> (PyTorch 'nearest-exact':
    /// frames 1, 4, 7 for F = 9, not frame 0). [3, F, H, W] (one sample) to [64, f, H/8, W/8].
    /// </summary>
    public static Tensor MaskLatents(Tensor maskCondition, int latentFrames)
    {
        using var scope = NewDisposeScope();
        long frames = maskCondition.shape[1], height = maskCondition.shape[2], width = maskCondition.shape[3];
        if (height % 8 != 0 || width % 8 != 0)
        {
            throw new ArgumentException($"mask size {width}x{height} must be a multiple of 8");
        }

        long h = height / 8, w = width / 8;
        var folded = maskCondition[0].view(frames, h, 8, w, 8)   // [F, h, py, w, px]
            .permute(2, 4, 0, 1, 3)                              // [py, px, F, h, w]
            .reshape(64, frames, h, w);                          // [64, F, h, w]
        var sources = Enumerable.Range(0, latentFrames)
            .Select(j => Math.Min(frames - 1, (long)Math.Floor((j + 0.5) * frames / latentFrames))).ToArray();
        var picked = folded.index_select(1, tensor(sources, device: maskCondition.device)); // [64, f, h, w]
        return picked.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reactive video of this pipeline: <c>input_video * mask</c> is zero everywhere (input_video is zeroed where
    /// the mask is 1), so its latent depends only on the clip's shape and a caller may encode it once per shape.
    /// [1, 3, F, H, W] zeros on the video's device and dtype.
    /// </summary>
    public static Tensor ReactiveVideo(Tensor video) => zeros_like(video);

    /// <summary>
    /// The whole context for one sample. <paramref name="video"/> [1, 3, F, H, W] in [0, 1], <paramref name="mask"/>
    /// [1, 1, F, H, W] (1 = generate). Returns [96, f, h, w] (inactive latent, reactive latent, mask latents).
    /// </summary>
    /// <param name="probe">Receives named intermediates (parity tests).</param>
    /// <param name="reactiveLatents">The reactive latent when the caller already has it for this shape (see
    /// <see cref="ReactiveVideo"/>); null encodes it.</param>
    public static Tensor Build(Tensor video, Tensor mask, IWanVae vae, Action<string, Tensor>? probe = null, Tensor? reactiveLatents = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var maskCondition = MaskCondition(mask);                                      // [1, 3, F, H, W]
        var inputVideo = InputVideo(video, maskCondition);                            // [1, 3, F, H, W]
        probe?.Invoke("mask_condition", maskCondition);
        probe?.Invoke("input_video", inputVideo);

        // The reference re-binarises with > 0.5 here. Reactive = video * m is all zeros for this pipeline, yet its
        // latent is not zero (the normalised latent of a grey clip); both encodes are needed.
        var m = maskCondition.gt(0.5).to_type(video.dtype);
        var inactive = vae.Encode(inputVideo * (1 - m))[0];                           // [16, f, h, w]
        var reactive = reactiveLatents?.to(inactive.dtype, inactive.device) ?? vae.Encode(inputVideo * m)[0]; // [16, f, h, w]
        probe?.Invoke("vace_inactive_latents", inactive);
        probe?.Invoke("vace_reactive_latents", reactive);

        var maskLatents = MaskLatents(maskCondition[0], (int)inactive.shape[1]);     // [64, f, h, w]
        probe?.Invoke("mask_latents", maskLatents);
        return cat([inactive, reactive, maskLatents.to_type(inactive.dtype)], dim: 0).MoveToOuterDisposeScope(); // [96, f, h, w]
    }
}
