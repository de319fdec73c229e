using System.Text.Json;
using Reframe.Core.Requests;
using Reframe.Server.Validation;

namespace Reframe.Server.Tests.Validation;

public sealed class GenerationRequestValidatorTests
{
    private static ValidationResult Validate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return GenerationRequestValidator.Validate(doc.RootElement.Clone());
    }

    [Theory]
    [MemberData(nameof(ValidationCases.Invalid), MemberType = typeof(ValidationCases))]
    public void Validate_NamesTheBadField_WhenARuleIsBroken(string fragment, string field)
    {
        var result = Validate(ValidationCases.With(fragment));
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrEmpty(error.Expected));
        Assert.False(string.IsNullOrEmpty(error.Received));
    }

    [Theory]
    [MemberData(nameof(ValidationCases.Valid), MemberType = typeof(ValidationCases))]
    public void Validate_Accepts_WhenValuesAreAtTheEdgesOrUnknown(string fragment)
    {
        var result = Validate(ValidationCases.With(fragment));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("1234.0", 1234L)]
    [InlineData("1.234e3", 1234L)]
    [InlineData("-7.00", -7L)]
    [InlineData("9007199254740993", 9007199254740993L)]
    public void Validate_ReadsTheSeed_WhenItIsAWholeNumberInAnySpelling(string json, long seed)
    {
        Assert.Equal(seed, Validate(ValidationCases.With($$"""{"seed":{{json}}}""")).Options!.Seed);
    }

    [Fact]
    public void Validate_NamesBothFields_WhenImageUrlAndFirstFrameUrlAreBothSent()
    {
        var result = Validate(ValidationCases.With("""{"image_url":"https://e.com/a.jpg","first_frame_url":"https://e.com/b.jpg"}"""));
        Assert.Equal(["image_url", "first_frame_url"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Contains(e.Field == "image_url" ? "first_frame_url" : "image_url", e.Expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AppliesTheContractDefaults_WhenOnlyRequiredFieldsAreSent()
    {
        var o = Validate(ValidationCases.ValidBody).Options!;
        Assert.Equal("https://example.com/a.mp4", o.VideoUrl);
        Assert.Equal("", o.Prompt);
        Assert.Equal(GenerationOptions.DefaultNegativePrompt, o.NegativePrompt);
        Assert.True(o.MatchInputNumFrames);
        Assert.Equal(81, o.NumFrames);
        Assert.True(o.MatchInputFramesPerSecond);
        Assert.Equal(16, o.FramesPerSecond);
        Assert.Equal(Resolution.P480, o.Resolution);
        Assert.Equal(AspectRatio.Auto, o.AspectRatio);
        Assert.Equal(0, o.ZoomFactor);
        Assert.True(o.TrimBorders);
        Assert.Equal(30, o.NumInferenceSteps);
        Assert.Equal(5, o.GuidanceScale);
        Assert.Equal(5, o.Shift);
        Assert.Equal(Sampler.UniPC, o.Sampler);
        Assert.Null(o.Seed);
        Assert.Equal(Acceleration.Regular, o.Acceleration);
        Assert.False(o.EnableSafetyChecker || o.EnablePromptExpansion || o.Preprocess || o.EnableAutoDownsample || o.SyncMode);
        Assert.Equal(VideoQuality.High, o.VideoQuality);
        Assert.Equal(VideoWriteMode.Balanced, o.VideoWriteMode);
        Assert.Equal(0, o.NumInterpolatedFrames);
        Assert.Equal(InterpolatorModel.Film, o.InterpolatorModel);
        Assert.Equal(0, o.TemporalDownsampleFactor);
        Assert.Equal(15, o.AutoDownsampleMinFps);
        Assert.Null(o.WebhookUrl);
    }

    [Fact]
    public void Validate_ListsEveryBadField_WhenSeveralAreBad()
    {
        var result = Validate(ValidationCases.With("""{"model":"x","num_frames":1,"sampler":"?","video_url":"<remove>"}"""));
        Assert.Equal(["model", "video_url", "num_frames", "sampler"], result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Validate_RejectsTheBody_WhenItIsNotAnObject(string json)
    {
        Assert.Equal("body", Assert.Single(Validate(json).Errors).Field);
    }

    [Fact]
    public void Validate_AbridgesTheReceivedValue_WhenItIsHuge()
    {
        var huge = new string('A', 100_000);
        var result = Validate(ValidationCases.With($$"""{"video_url":"ftp://{{huge}}"}"""));
        Assert.True(Assert.Single(result.Errors).Received.Length < 100);
    }

    [Fact]
    public void StoredRequest_RoundTripsEveryField()
    {
        var body = ValidationCases.With("""
            {"first_frame_url":"data:image/png;base64,AA","last_frame_url":"https://e.com/l.png",
             "prompt":"sea","negative_prompt":"none","match_input_num_frames":false,"num_frames":33,"match_input_frames_per_second":false,
             "frames_per_second":24,"resolution":"720p","aspect_ratio":"1:1","zoom_factor":0.25,"trim_borders":false,
             "num_inference_steps":8,"guidance_scale":3.5,"shift":7,"sampler":"dpm++","seed":123456789012,"acceleration":"low",
             "enable_safety_checker":true,"enable_prompt_expansion":true,"preprocess":true,"video_quality":"maximum",
             "video_write_mode":"small","num_interpolated_frames":2,"interpolator_model":"rife","temporal_downsample_factor":1,
             "enable_auto_downsample":true,"auto_downsample_min_fps":12.5,"sync_mode":true,"webhook_url":"https://e.com/hook"}
            """);
        var original = Validate(body).Options!;
        var stored = StoredRequest.Write(original);
        Assert.Equal(original, StoredRequest.Read(stored));
        Assert.Equal(original, Validate(ValidationCases.ValidBody).Options! with
        {
            FirstFrameUrl = "data:image/png;base64,AA", LastFrameUrl = "https://e.com/l.png",
            Prompt = "sea", NegativePrompt = "none", MatchInputNumFrames = false, NumFrames = 33, MatchInputFramesPerSecond = false,
            FramesPerSecond = 24, Resolution = Resolution.P720, AspectRatio = AspectRatio.Square1x1, ZoomFactor = 0.25, TrimBorders = false,
            NumInferenceSteps = 8, GuidanceScale = 3.5, Shift = 7, Sampler = Sampler.DpmPlusPlus, Seed = 123456789012, Acceleration = Acceleration.Low,
            EnableSafetyChecker = true, EnablePromptExpansion = true, Preprocess = true, VideoQuality = VideoQuality.Maximum,
            VideoWriteMode = VideoWriteMode.Small, NumInterpolatedFrames = 2, InterpolatorModel = InterpolatorModel.Rife,
            TemporalDownsampleFactor = 1, EnableAutoDownsample = true, AutoDownsampleMinFps = 12.5, SyncMode = true, WebhookUrl = "https://e.com/hook",
        });
        // image_url, the other spelling of the first frame (never sent together with first_frame_url).
        var withImage = Validate(ValidationCases.With("""{"image_url":"https://e.com/i.png"}""")).Options!;
        Assert.Equal("https://e.com/i.png", StoredRequest.Read(StoredRequest.Write(withImage)).ImageUrl);
    }
}
