using System.Text.Json;

namespace Reframe.Wan.Vae;

/// <summary>
/// Constructor arguments of the reference <c>WanVAE_</c>. <see cref="Wan21"/> is the real Wan2.1 VAE used by
/// Wan2.2-A14B; the parity kit's tiny VAE differs only in <see cref="Dim"/> (4 instead of 96).
/// </summary>
public sealed record WanVaeConfig
{
    public int Dim { get; init; } = 96;

    public int ZDim { get; init; } = 16;

    public IReadOnlyList<int> DimMult { get; init; } = [1, 2, 4, 4];

    public int NumResBlocks { get; init; } = 2;

    /// <summary>Spatial scales (1, 0.5, ...) that get an attention block after each residual block; empty in Wan2.1.</summary>
    public IReadOnlyList<double> AttnScales { get; init; } = [];

    /// <summary>Per encoder stage: temporal (3d) or spatial-only (2d) downsampling. The decoder uses it reversed.</summary>
    public IReadOnlyList<bool> TemporalDownsample { get; init; } = [false, true, true];

    public static WanVaeConfig Wan21 { get; } = new();

    /// <summary>Reads the reference's config keys (<c>dim, z_dim, dim_mult, num_res_blocks, attn_scales,
    /// temperal_downsample</c>, the last with the reference's spelling); absent keys keep the Wan2.1 values.</summary>
    public static WanVaeConfig FromJson(JsonElement json)
    {
        var config = new WanVaeConfig();
        if (json.TryGetProperty("dim", out var dim))
        {
            config = config with { Dim = dim.GetInt32() };
        }

        if (json.TryGetProperty("z_dim", out var zDim))
        {
            config = config with { ZDim = zDim.GetInt32() };
        }

        if (json.TryGetProperty("dim_mult", out var mult))
        {
            config = config with { DimMult = mult.EnumerateArray().Select(e => e.GetInt32()).ToList() };
        }

        if (json.TryGetProperty("num_res_blocks", out var blocks))
        {
            config = config with { NumResBlocks = blocks.GetInt32() };
        }

        if (json.TryGetProperty("attn_scales", out var scales))
        {
            config = config with { AttnScales = scales.EnumerateArray().Select(e => e.GetDouble()).ToList() };
        }

        if (json.TryGetProperty("temperal_downsample", out var temporal))
        {
            config = config with { TemporalDownsample = temporal.EnumerateArray().Select(e => e.GetBoolean()).ToList() };
        }

        return config.Validate();
    }

    public WanVaeConfig Validate()
    {
        if (Dim < 1 || ZDim < 1 || NumResBlocks < 1 || DimMult.Count < 2 || DimMult.Any(m => m < 1)
            || TemporalDownsample.Count != DimMult.Count - 1)
        {
            throw new ArgumentException($"invalid VAE configuration: {this}");
        }

        return this;
    }
}
