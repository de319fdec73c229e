using System.Globalization;
using Microsoft.Extensions.Logging;
using Reframe.Core.Requests;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Planning;

namespace Reframe.Media.Interpolation;

/// <summary>
/// What restores the rate after generation: nothing, an ffmpeg filter inside the encoder (the classical
/// motion-compensated interpolation), or an interpolation network in front of the encoder.
/// </summary>
/// <param name="Name">For <c>meta.interpolator</c>; null when no interpolation runs.</param>
/// <param name="EncoderFilter">The filter the encoder applies, or null.</param>
/// <param name="Network">The network, or null.</param>
/// <param name="WeightsPath">The network's weights.</param>
public sealed record InterpolationStep(string? Name, string? EncoderFilter, INetworkInterpolator? Network, string? WeightsPath)
{
    public const string MinterpolateName = "minterpolate_mci";
    public const string FramerateBlendName = "framerate_blend";

    public static InterpolationStep None { get; } = new(null, null, null, null);

    /// <summary>Why this step is not the requested network (for <c>meta.interpolator_reason</c>); null when it is, or when nothing runs.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Picks the requested network when its weights are configured and an implementation is registered;
    /// otherwise minterpolate in MCI mode (or frame blending where this ffmpeg lacks minterpolate), with the reason.
    /// </summary>
    public static InterpolationStep Choose(FramePlan frames, InterpolatorModel requested, MediaSettings settings,
        IReadOnlyList<INetworkInterpolator> networks, FfmpegCapabilities capabilities, ILogger logger)
    {
        if (!frames.NeedsInterpolation)
        {
            return None;
        }
        var wanted = WireNames.Of(requested);
        string reason;
        if (settings.InterpolatorWeights.TryGetValue(requested, out var weights))
        {
            var network = networks.FirstOrDefault(n => n.Model == requested);
            if (network is not null && File.Exists(weights))
            {
                return new InterpolationStep(network.Name, null, network, weights);
            }
            reason = network is null
                ? $"a {wanted} model is configured but no implementation of it is registered"
                : $"the {wanted} model file is missing";
            logger.LogWarning("Interpolator {Model} has weights configured ({Weights}) but {Reason}; using classical interpolation",
                wanted, weights, network is null ? "no implementation is registered" : "the file does not exist");
        }
        else
        {
            reason = $"no {wanted} model is installed on this server";
        }
        return capabilities.HasMinterpolate
            ? new InterpolationStep(MinterpolateName, MinterpolateFilter(frames, settings.MinterpolateOptions), null, null)
            {
                Reason = reason + "; ffmpeg's motion-compensated minterpolate ran instead",
            }
            : new InterpolationStep(FramerateBlendName, string.Create(CultureInfo.InvariantCulture, $"framerate=fps={frames.OutputRate}"), null, null)
            {
                Reason = reason + "; this ffmpeg has no minterpolate, so frames were blended (framerate filter)",
            };
    }

    /// <summary>
    /// minterpolate to the output rate. The input is padded by a few clones of its last frame first so the filter
    /// emits the frames up to the very last one before it flushes; the encoder's <c>-frames:v</c> cuts the rest.
    /// </summary>
    public static string MinterpolateFilter(FramePlan frames, string options) => string.Create(CultureInfo.InvariantCulture,
        $"tpad=stop_mode=clone:stop={frames.InterpolationFactor + 1},minterpolate=fps={frames.OutputRate}:{options}");
}
