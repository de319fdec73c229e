using System.Text.Json;
using Reframe.Core.Requests;

namespace Reframe.Server.Validation;

/// <summary>
/// The request body of ../shared/spec/API.md as a pure function: JSON in, options or every bad field out.
/// Unknown fields are ignored; a known field with the wrong type or out of range is an error, never clamped.
/// The same function reads the canonical form a task is stored in (<see cref="CanonicalRequest"/>).
/// </summary>
public static class GenerationRequestValidator
{
    public static ValidationResult Validate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ValidationResult(null, [new FieldError("body", "a JSON object", FieldReader.Describe(body))]);
        }
        var f = new FieldReader(body);
        var model = f.String("model", required: true);
        if (model is not null && !string.Equals(model, GenerationOptions.ModelId, StringComparison.Ordinal))
        {
            f.Fail("model", $"\"{GenerationOptions.ModelId}\"", body.GetProperty("model"));
        }
        var videoUrl = f.Url("video_url", required: true);
        var d = new GenerationOptions { VideoUrl = "" }; // the defaults, in one place (Core)
        var options = new GenerationOptions
        {
            VideoUrl = videoUrl ?? "",
            ImageUrl = f.Url("image_url"),
            FirstFrameUrl = f.Url("first_frame_url"),
            LastFrameUrl = f.Url("last_frame_url"),
            Prompt = f.String("prompt") ?? d.Prompt,
            NegativePrompt = f.String("negative_prompt") ?? d.NegativePrompt,
            MatchInputNumFrames = f.Bool("match_input_num_frames", d.MatchInputNumFrames),
            NumFrames = f.Int("num_frames", d.NumFrames, 17, 241),
            MatchInputFramesPerSecond = f.Bool("match_input_frames_per_second", d.MatchInputFramesPerSecond),
            FramesPerSecond = f.Int("frames_per_second", d.FramesPerSecond, 5, 30),
            Resolution = f.Enum("resolution", d.Resolution, WireNames.Resolutions),
            AspectRatio = f.Enum("aspect_ratio", d.AspectRatio, WireNames.AspectRatios),
            ZoomFactor = f.Number("zoom_factor", d.ZoomFactor, 0, 0.9),
            TrimBorders = f.Bool("trim_borders", d.TrimBorders),
            NumInferenceSteps = f.Int("num_inference_steps", d.NumInferenceSteps, 2, 50),
            GuidanceScale = f.Number("guidance_scale", d.GuidanceScale, 1, 10),
            Shift = f.Number("shift", d.Shift, 1, 15),
            Sampler = f.Enum("sampler", d.Sampler, WireNames.Samplers),
            Seed = f.Long("seed"),
            Acceleration = f.Enum("acceleration", d.Acceleration, WireNames.Accelerations),
            EnableSafetyChecker = f.Bool("enable_safety_checker", d.EnableSafetyChecker),
            EnablePromptExpansion = f.Bool("enable_prompt_expansion", d.EnablePromptExpansion),
            Preprocess = f.Bool("preprocess", d.Preprocess),
            VideoQuality = f.Enum("video_quality", d.VideoQuality, WireNames.VideoQualities),
            VideoWriteMode = f.Enum("video_write_mode", d.VideoWriteMode, WireNames.VideoWriteModes),
            NumInterpolatedFrames = f.Int("num_interpolated_frames", d.NumInterpolatedFrames, 0, 5),
            InterpolatorModel = f.Enum("interpolator_model", d.InterpolatorModel, WireNames.InterpolatorModels),
            TemporalDownsampleFactor = f.Int("temporal_downsample_factor", d.TemporalDownsampleFactor, 0, 5),
            EnableAutoDownsample = f.Bool("enable_auto_downsample", d.EnableAutoDownsample),
            AutoDownsampleMinFps = f.Number("auto_downsample_min_fps", d.AutoDownsampleMinFps, 1, 60),
            SyncMode = f.Bool("sync_mode", d.SyncMode),
            WebhookUrl = f.Url("webhook_url", allowDataUri: false),
        };
        if (options.ImageUrl is not null && options.FirstFrameUrl is not null)
        {
            // Both name the first frame (the contract says image_url is first_frame_url): with two, one would be dropped silently.
            // One detail per field, so a client that highlights fields highlights both.
            f.Fail("image_url", "absent when first_frame_url is given (both set the first frame: send one of them)", body.GetProperty("image_url"));
            f.Fail("first_frame_url", "absent when image_url is given (both set the first frame: send one of them)", body.GetProperty("first_frame_url"));
        }
        return f.Errors.Count == 0 ? new ValidationResult(options, []) : new ValidationResult(null, f.Errors);
    }
}
