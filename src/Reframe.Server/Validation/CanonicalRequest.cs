using System.Text.Json;
using Reframe.Core.Requests;

namespace Reframe.Server.Validation;

/// <summary>
/// The form a task's request is stored in: the contract's own JSON with every field written out (defaults
/// applied, wire names for enums). A worker reads it back through <see cref="GenerationRequestValidator"/>, so
/// there is one mapping between JSON and <see cref="GenerationOptions"/>, and a stored task always means what
/// the client was answered.
/// </summary>
public static class CanonicalRequest
{
    public static string Write(GenerationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", GenerationOptions.ModelId);
            w.WriteString("video_url", o.VideoUrl);
            WriteOptional(w, "image_url", o.ImageUrl);
            WriteOptional(w, "first_frame_url", o.FirstFrameUrl);
            WriteOptional(w, "last_frame_url", o.LastFrameUrl);
            w.WriteString("prompt", o.Prompt);
            w.WriteString("negative_prompt", o.NegativePrompt);
            w.WriteBoolean("match_input_num_frames", o.MatchInputNumFrames);
            w.WriteNumber("num_frames", o.NumFrames);
            w.WriteBoolean("match_input_frames_per_second", o.MatchInputFramesPerSecond);
            w.WriteNumber("frames_per_second", o.FramesPerSecond);
            w.WriteString("resolution", WireNames.Of(o.Resolution));
            w.WriteString("aspect_ratio", WireNames.Of(o.AspectRatio));
            w.WriteNumber("zoom_factor", o.ZoomFactor);
            w.WriteBoolean("trim_borders", o.TrimBorders);
            w.WriteNumber("num_inference_steps", o.NumInferenceSteps);
            w.WriteNumber("guidance_scale", o.GuidanceScale);
            w.WriteNumber("shift", o.Shift);
            w.WriteString("sampler", WireNames.Of(o.Sampler));
            if (o.Seed is { } seed)
            {
                w.WriteNumber("seed", seed);
            }
            w.WriteString("acceleration", WireNames.Of(o.Acceleration));
            w.WriteBoolean("enable_safety_checker", o.EnableSafetyChecker);
            w.WriteBoolean("enable_prompt_expansion", o.EnablePromptExpansion);
            w.WriteBoolean("preprocess", o.Preprocess);
            w.WriteString("video_quality", WireNames.Of(o.VideoQuality));
            w.WriteString("video_write_mode", WireNames.Of(o.VideoWriteMode));
            w.WriteNumber("num_interpolated_frames", o.NumInterpolatedFrames);
            w.WriteString("interpolator_model", WireNames.Of(o.InterpolatorModel));
            w.WriteNumber("temporal_downsample_factor", o.TemporalDownsampleFactor);
            w.WriteBoolean("enable_auto_downsample", o.EnableAutoDownsample);
            w.WriteNumber("auto_downsample_min_fps", o.AutoDownsampleMinFps);
            w.WriteBoolean("sync_mode", o.SyncMode);
            WriteOptional(w, "webhook_url", o.WebhookUrl);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a stored request back; a stored request that no longer validates is a server fault.</summary>
    public static GenerationOptions Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = GenerationRequestValidator.Validate(doc.RootElement);
        return result.Options ?? throw new InvalidOperationException(
            "A stored request no longer validates: " + string.Join("; ", result.Errors.Select(e => e.Field)));
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
