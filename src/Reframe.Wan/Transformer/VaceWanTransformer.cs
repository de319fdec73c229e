using Reframe.Wan.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// One expert of Wan2.2-VACE-Fun-A14B (VideoX-Fun's <c>VaceWanTransformer3DModel</c>). Field names are the
/// checkpoint's keys, so <c>state_dict()</c> names equal the file's 1331 tensor names one to one.
/// </summary>
/// <remarks>
/// Forward, in the order of the sections below: (1) patch-embed the latent and the VACE context, tokens in
/// frame, row, column order; (2) time: float64 sinusoid, <c>time_embedding</c> -> e, <c>time_projection</c> ->
/// e0 [B, 6, C]; (3) text: each context zero-padded to <c>text_len</c> and embedded, the padding kept unmasked;
/// (4) RoPE tables for the grid; (5) the VACE stream, all of it before the main blocks, giving one hint per VACE
/// block; (6) main blocks, adding <c>hint_j * scale</c> after block <c>vace_layers[j]</c>; (7) head and
/// unpatchify (per token (pt, ph, pw, C), C fastest). The reference runs a CFG batch as two batch-1 forwards
/// (<c>cfg_skip</c>); a batched forward is the same computation.
/// </remarks>
public sealed class VaceWanTransformer : nn.Module
{
    private readonly WanTransformerConfig _config;
    private readonly Dictionary<int, int> _hintIndexByLayer;

    // RoPE tables per token grid and device: every step of a window asks for the same grid, and building them (float64
    // angles on the CPU, then a copy to the device) is per-call work that does not depend on the step.
    private readonly Dictionary<(int F, int H, int W, string Device), (Tensor Cos, Tensor Sin)> _ropeTables = [];

    // Field names = checkpoint key segments.
    private readonly Conv3d patch_embedding;
    private readonly Sequential text_embedding;
    private readonly Sequential time_embedding;
    private readonly Sequential time_projection;
    private readonly ModuleList<WanAttentionBlock> blocks;
    private readonly WanHead head;
    private readonly ModuleList<VaceWanAttentionBlock> vace_blocks;
    private readonly Conv3d vace_patch_embedding;

    /// <param name="config">The expert's configuration.</param>
    /// <param name="init">Where and in which dtype to allocate the parameters (float32 for parity, bf16 for production;
    /// <see cref="ModuleInit.Meta"/> builds the skeleton without memory).</param>
    public VaceWanTransformer(WanTransformerConfig config, ModuleInit init)
        : base(nameof(VaceWanTransformer))
    {
        config.Validate();
        _config = config;
        _hintIndexByLayer = config.VaceLayers.Select((layer, index) => (layer, index)).ToDictionary(p => p.layer, p => p.index);
        int dim = config.Dim;
        (long, long, long) patchSize = (config.PatchSize[0], config.PatchSize[1], config.PatchSize[2]);

        patch_embedding = init.Conv3d(config.InDim, dim, patchSize, patchSize);
        text_embedding = nn.Sequential(("0", init.Linear(config.TextDim, dim)), ("1", new GeluTanh()), ("2", init.Linear(dim, dim)));
        time_embedding = nn.Sequential(("0", init.Linear(config.FreqDim, dim)), ("1", nn.SiLU()), ("2", init.Linear(dim, dim)));
        time_projection = nn.Sequential(("0", nn.SiLU()), ("1", init.Linear(dim, 6 * dim)));
        blocks = new ModuleList<WanAttentionBlock>(
            Enumerable.Range(0, config.NumLayers).Select(_ => new WanAttentionBlock(config, init)).ToArray());
        head = new WanHead(config, init);
        vace_blocks = new ModuleList<VaceWanAttentionBlock>(
            Enumerable.Range(0, config.VaceLayers.Length).Select(j => new VaceWanAttentionBlock(config, j, init)).ToArray());
        vace_patch_embedding = init.Conv3d(config.VaceInDim, dim, patchSize, patchSize);
        register_module(nameof(patch_embedding), patch_embedding);
        register_module(nameof(text_embedding), text_embedding);
        register_module(nameof(time_embedding), time_embedding);
        register_module(nameof(time_projection), time_projection);
        register_module(nameof(blocks), blocks);
        register_module(nameof(head), head);
        register_module(nameof(vace_blocks), vace_blocks);
        register_module(nameof(vace_patch_embedding), vace_patch_embedding);
        this.OwnWeights(); // an expert may be built inside the denoising loop's dispose scope
    }

    public WanTransformerConfig Config => _config;

    /// <summary>Brings each block to the device around its forward (sequential offload); null when blocks stay put.</summary>
    public IBlockResidency? BlockResidency { get; set; }

    /// <summary>Moves everything but the blocks (embeddings, time and text MLPs, head) to <paramref name="device"/>.</summary>
    public void MoveEmbeddingsAndHeadTo(Device device)
    {
        foreach (var module in new nn.Module[] { patch_embedding, text_embedding, time_embedding, time_projection, head, vace_patch_embedding })
        {
            Modules.ModuleResidency.MoveTo(module, device);
        }
    }

    /// <summary>
    /// Predicts the flow velocity.
    /// </summary>
    /// <param name="x">[B, in_dim, f, h, w] noisy latents.</param>
    /// <param name="timesteps">[B] timesteps on the 0..1000 scale (float64 or float32 values).</param>
    /// <param name="vaceContext">[B, vace_in_dim, f, h, w].</param>
    /// <param name="contexts">B text embeddings, each [L_i, text_dim] with L_i &lt;= text_len (un-padded).</param>
    /// <param name="vaceContextScale">Weight of the VACE hints.</param>
    /// <param name="probe">Receives named intermediates (for parity tests); tensors are only valid during the call.</param>
    /// <param name="cache">Step caching (TeaCache) for this call and its CFG branch; null runs every block.</param>
    /// <returns>[B, out_dim, f, h, w].</returns>
    public Tensor Forward(
        Tensor x,
        Tensor timesteps,
        Tensor vaceContext,
        IReadOnlyList<Tensor> contexts,
        double vaceContextScale,
        Action<string, Tensor>? probe = null,
        StepCacheCall? cache = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var dtype = patch_embedding.weight!.dtype;
        var device = patch_embedding.weight!.device;
        long batch = x.shape[0];
        if (contexts.Count != batch || vaceContext.shape[0] != batch || timesteps.shape[0] != batch)
        {
            throw new ArgumentException("x, timesteps, vaceContext and contexts must have the same batch size.");
        }

        // 1. Patch embeddings.
        var tokens = PatchEmbed(patch_embedding, x.to(dtype, device));                          // [B, C, f, h/2, w/2]
        int gridF = (int)tokens.shape[2], gridH = (int)tokens.shape[3], gridW = (int)tokens.shape[4];
        tokens = tokens.flatten(2).transpose(1, 2);                                         // [B, L, C]
        var control = PatchEmbed(vace_patch_embedding, vaceContext.to(dtype, device)).flatten(2).transpose(1, 2); // [B, L, C]
        probe?.Invoke("patch_embedding_out", tokens);
        probe?.Invoke("vace_patch_embedding_out", control);

        // 2. Time embedding (e feeds the head) and projection (e0 feeds every block).
        var sinusoid = SinusoidalTimestep.Embed(timesteps, _config.FreqDim).to(dtype, device); // [B, 256]
        var e = time_embedding.forward(sinusoid);                                           // [B, C]
        var e0 = time_projection.forward(e).unflatten(1, [6, _config.Dim]);                 // [B, 6, C]
        probe?.Invoke("time_sinusoid", sinusoid);
        probe?.Invoke("time_embedding_e", e);
        probe?.Invoke("time_projection_e0", e0);

        // 3. Text: zero-pad every context to text_len BEFORE the MLP; the padded rows become text_embedding(0) and
        //    are NOT masked later (reference behaviour).
        var context = text_embedding.forward(PadContexts(contexts, device, dtype));        // [B, text_len, C]
        probe?.Invoke("context_embedding", context);

        // 4. RoPE for this grid.
        var rope = RopeFor(gridF, gridH, gridW, device);                                    // 2 x [L, d/2]
        probe?.Invoke("rope_cos", rope.Cos);
        probe?.Invoke("rope_sin", rope.Sin);

        // 5-6. The blocks, unless the step cache says this call reuses its branch's residual.
        bool compute = cache is null || cache.Cache.Decide(e0, cache.Cond);
        Tensor hidden;
        if (compute)
        {
            hidden = Blocks(tokens, control, e0, context, rope, vaceContextScale, probe);                  // [B, L, C]
            cache?.Cache.Store(cache.Cond, hidden - tokens);
        }
        else
        {
            // The reference still computes the VACE hints here and drops them; skipping them changes nothing.
            hidden = tokens + cache!.Cache.Residual(cache.Cond).to(tokens.dtype, tokens.device);
        }

        // 7. Head and unpatchify.
        var headOut = head.Forward(hidden, e);                                              // [B, L, pt*ph*pw*out]
        probe?.Invoke("head_out", headOut);
        cache?.Cache.EndCall(cache.Cond);
        return Unpatchify(headOut, gridF, gridH, gridW).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (5) The VACE stream, all of it before the main blocks, giving one hint per VACE block; (6) the main blocks,
    /// adding <c>hint_j * scale</c> after block <c>vace_layers[j]</c>. Returns the hidden state after the last block.
    /// </summary>
    private Tensor Blocks(Tensor tokens, Tensor control, Tensor e0, Tensor context, (Tensor Cos, Tensor Sin) rope,
        double vaceContextScale, Action<string, Tensor>? probe)
    {
        var hints = new Tensor[vace_blocks.Count];
        BlockResidency?.Enter(vace_blocks[0]);                                              // before_proj lives in block 0
        var stream = vace_blocks[0].Enter(control, tokens);                                 // [B, L, C]
        for (int j = 0; j < vace_blocks.Count; j++)
        {
            if (j > 0)
            {
                BlockResidency?.Enter(vace_blocks[j]);
            }

            (stream, hints[j]) = vace_blocks[j].ForwardVace(stream, e0, context, rope);     // [B, L, C] each
            BlockResidency?.Exit(vace_blocks[j]);
        }

        if (probe is not null)
        {
            probe("hints", stack(hints));                                                   // [n_vace, B, L, C]
        }

        var hidden = tokens;
        for (int i = 0; i < blocks.Count; i++)
        {
            BlockResidency?.Enter(blocks[i]);
            hidden = blocks[i].Forward(hidden, e0, context, rope);                          // [B, L, C]
            BlockResidency?.Exit(blocks[i]);
            if (_hintIndexByLayer.TryGetValue(i, out int hintIndex))
            {
                hidden = hidden + hints[hintIndex] * vaceContextScale;
            }

            probe?.Invoke($"block_output.{i}", hidden);
        }

        return hidden;
    }

    /// <summary>The RoPE tables for a grid, built once per grid and device and kept with the module (a few MB at most).</summary>
    private (Tensor Cos, Tensor Sin) RopeFor(int frames, int rows, int columns, Device device)
    {
        var key = (frames, rows, columns, device.ToString());
        lock (_ropeTables)
        {
            if (!_ropeTables.TryGetValue(key, out var tables))
            {
                var (cos, sin) = RopeFrequencies.ForGrid(_config.HeadDim, frames, rows, columns, device);
                tables = (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
                _ropeTables[key] = tables;
            }

            return tables;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (cos, sin) in _ropeTables.Values)
            {
                cos.Dispose();
                sin.Dispose();
            }

            _ropeTables.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>A patch embedding through the one convolution entry point (guarded kernels on the CPU).</summary>
    private Tensor PatchEmbed(Conv3d embedding, Tensor input)
    {
        long[] patch = [_config.PatchSize[0], _config.PatchSize[1], _config.PatchSize[2]];
        return Convolutions.Conv3d(input, embedding.weight!, embedding.bias, patch, [0, 0, 0]);
    }

    /// <summary>
    /// Token n = (f, h, w) holds a (pt, ph, pw, C) block, C fastest (the reference's
    /// <c>einsum('fhwpqrc->cfphqwr')</c>), unlike the patch embedding's channel-major input order.
    /// </summary>
    private Tensor Unpatchify(Tensor headOut, int gridF, int gridH, int gridW)
    {
        long b = headOut.shape[0];
        int pt = _config.PatchSize[0], ph = _config.PatchSize[1], pw = _config.PatchSize[2], c = _config.OutDim;
        return headOut.view(b, gridF, gridH, gridW, pt, ph, pw, c)     // [B, f, h, w, pt, ph, pw, C]
            .permute(0, 7, 1, 4, 2, 5, 3, 6)                            // [B, C, f, pt, h, ph, w, pw]
            .reshape(b, c, gridF * pt, gridH * ph, gridW * pw);         // [B, C, F, H, W]
    }

    private Tensor PadContexts(IReadOnlyList<Tensor> contexts, Device device, ScalarType dtype)
    {
        var padded = zeros([contexts.Count, _config.TextLen, _config.TextDim], dtype: dtype, device: device); // [B, text_len, text_dim]
        for (int i = 0; i < contexts.Count; i++)
        {
            long length = contexts[i].shape[0];
            if (length > _config.TextLen || contexts[i].shape[1] != _config.TextDim)
            {
                throw new ArgumentException($"context {i} is [{length}, {contexts[i].shape[1]}]; expected at most [{_config.TextLen}, {_config.TextDim}].");
            }

            padded[i, ..(int)length] = contexts[i].to(dtype, device);
        }

        return padded;
    }
}
