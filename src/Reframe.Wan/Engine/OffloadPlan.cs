using System.Globalization;
using System.Text;

namespace Reframe.Wan.Engine;

/// <summary>One part of the model, its size in the runtime dtype, and where it lives.</summary>
/// <param name="Name">e.g. <c>high_noise_model</c>.</param>
/// <param name="Bytes">Its weights in the dtype it runs in.</param>
/// <param name="Placement">Where it lives between uses: <c>device</c>, <c>host</c>, <c>host, on the device while encoding</c>...</param>
public sealed record ComponentPlacement(string Name, long Bytes, string Placement);

/// <summary>
/// The residency plan printed at start-up: which mode, how many bytes each component takes, and where each one
/// lives. <see cref="Choose"/> picks the mode from the device's memory when the operator did not; the rule keeps
/// <see cref="ActivationHeadroomBytes"/> free for activations (the 480p-81-frame forward needs about 7 GB with a
/// fused attention kernel, ../shared/wan/ARCHITECTURE.md 8.6; 720p about 2.3x that; the VAE decoder's peak is of the
/// same order).
/// </summary>
public sealed record OffloadPlan(OffloadMode Mode, string Device, long? DeviceBytes, IReadOnlyList<ComponentPlacement> Components)
{
    public const long ActivationHeadroomBytes = 16L * 1000 * 1000 * 1000;

    /// <summary>Parameters of one real expert (../shared/parity/manifests/wan22_vace_fun_a14b_transformer.json).</summary>
    public const long RealExpertParameters = 17_337_592_896;

    /// <summary>Parameters of the real UMT5-XXL encoder (manifests/t5_umt5_xxl.json).</summary>
    public const long RealTextEncoderParameters = 5_680_910_336;

    /// <summary>Parameters of the real Wan2.1 VAE (manifests/wan21_vae.json).</summary>
    public const long RealVaeParameters = 126_892_531;

    /// <summary>
    /// The mode for these component sizes on a device of <paramref name="deviceBytes"/> (null: the host itself,
    /// where everything already lives): everything if it fits with headroom, else one expert at a time, else blocks.
    /// </summary>
    public static OffloadMode Choose(long expertBytes, long textBytes, long vaeBytes, long? deviceBytes)
    {
        if (deviceBytes is not { } memory)
        {
            return OffloadMode.None;
        }

        if (2 * expertBytes + textBytes + vaeBytes + ActivationHeadroomBytes <= memory)
        {
            return OffloadMode.None;
        }

        return Math.Max(expertBytes, textBytes) + vaeBytes + ActivationHeadroomBytes <= memory
            ? OffloadMode.Model
            : OffloadMode.Sequential;
    }

    /// <summary>The plan for given component sizes (experts high and low, text encoder, VAE).</summary>
    public static OffloadPlan For(OffloadMode mode, string device, long? deviceBytes, long highBytes, long lowBytes, long textBytes, long vaeBytes)
    {
        bool onHost = deviceBytes is null;
        string expertWhere = onHost ? "host (the execution device)" : mode switch
        {
            OffloadMode.None => "device",
            OffloadMode.Model => "host; on the device for its steps (swapped at the boundary)",
            _ => "host; each block on the device while it runs",
        };
        string textWhere = onHost ? "host (the execution device)" : mode == OffloadMode.None ? "device" : "host; on the device while encoding";
        string vaeWhere = onHost ? "host (the execution device)" : "device";
        return new OffloadPlan(mode, device, deviceBytes,
        [
            new ComponentPlacement("high_noise_model", highBytes, expertWhere),
            new ComponentPlacement("low_noise_model", lowBytes, expertWhere),
            new ComponentPlacement("umt5_xxl_encoder", textBytes, textWhere),
            new ComponentPlacement("wan21_vae", vaeBytes, vaeWhere),
        ]);
    }

    /// <summary>What the plan would be for the real weights in bf16 on a CUDA device of that size.</summary>
    public static OffloadPlan ForRealWeights(long deviceBytes)
    {
        long expert = RealExpertParameters * 2, text = RealTextEncoderParameters * 2, vae = RealVaeParameters * 2;
        return For(Choose(expert, text, vae, deviceBytes), "cuda", deviceBytes, expert, expert, text, vae);
    }

    /// <summary>Bytes that sit on the device at the busiest moment, activations aside.</summary>
    public long PeakDeviceWeightBytes
    {
        get
        {
            long Bytes(string name) => Components.First(c => c.Name == name).Bytes;
            long experts = Bytes("high_noise_model") + Bytes("low_noise_model");
            long text = Bytes("umt5_xxl_encoder"), vae = Bytes("wan21_vae");
            return Mode switch
            {
                OffloadMode.None => experts + text + vae,
                OffloadMode.Model => Math.Max(Math.Max(Bytes("high_noise_model"), Bytes("low_noise_model")), text) + vae,
                _ => text + vae, // the largest single visitor is the text encoder (a block is far smaller)
            };
        }
    }

    /// <summary>Several lines for the start-up log.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        string memory = DeviceBytes is { } bytes ? $"{Gib(bytes)} GiB" : "host memory";
        text.Append(CultureInfo.InvariantCulture, $"offload {Mode.ToString().ToLowerInvariant()} on {Device} ({memory}); weights on the device at the peak {Gib(PeakDeviceWeightBytes)} GiB + activations");
        foreach (var component in Components)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {component.Name,-18} {Gib(component.Bytes),8} GiB  {component.Placement}");
        }

        return text.ToString();
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture);
}
