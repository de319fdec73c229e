using System.Text.Json;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// The bad-request corpus is data for the server's tests; these checks keep it honest until it is wired there:
/// enough cases, each field case valid JSON broken in exactly the field it names, each non-JSON case really unparseable.
/// </summary>
public sealed class BadRequestsCorpusTests
{
    private static readonly string[] KnownFields =
    [
        "model", "video_url", "image_url", "first_frame_url", "last_frame_url", "prompt", "negative_prompt",
        "match_input_num_frames", "num_frames", "match_input_frames_per_second", "frames_per_second", "resolution",
        "aspect_ratio", "zoom_factor", "trim_borders", "num_inference_steps", "guidance_scale", "shift", "sampler", "seed",
        "acceleration", "enable_safety_checker", "enable_prompt_expansion", "preprocess", "video_quality",
        "video_write_mode", "num_interpolated_frames", "interpolator_model", "temporal_downsample_factor",
        "enable_auto_downsample", "auto_downsample_min_fps", "sync_mode", "webhook_url", "body",
    ];

    [Fact]
    public void All_HasAtLeast100UniqueCases_CoveringEveryCategory()
    {
        Assert.True(BadRequests.All.Count >= 100, BadRequests.Summary());
        Assert.Equal(BadRequests.All.Count, BadRequests.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(
            ["content-type", "deep-nesting", "enums", "missing", "non-json", "not-an-object", "oversized", "ranges", "types", "urls"],
            BadRequests.All.Select(c => c.Category).Distinct().Order());
        // Every known field of the spec is broken by at least one case.
        Assert.Empty(KnownFields.Except(BadRequests.All.Select(c => c.Field ?? "")));
    }

    [Fact]
    public void FieldCases_AreJsonObjects_WhoseOtherFieldsMatchTheValidBody()
    {
        using var valid = JsonDocument.Parse(BadRequests.ValidBody);
        foreach (var bad in BadRequests.All.Where(c => c.Field is not null && c.Field != "body"))
        {
            using var document = JsonDocument.Parse(bad.Body);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.Equal(BadRequests.Json, bad.ContentType);
            foreach (var property in valid.RootElement.EnumerateObject().Where(p => p.Name != bad.Field))
            {
                // Cases about a missing field may drop both required fields; none may alter them otherwise.
                if (document.RootElement.TryGetProperty(property.Name, out var value))
                {
                    Assert.True(value.GetRawText() == property.Value.GetRawText(), $"{bad.Name} alters {property.Name}");
                }
            }
        }
    }

    [Fact]
    public void NonJsonCases_CannotBeParsed_WithDefaultOptions()
    {
        foreach (var bad in BadRequests.All.Where(c => c.Category is "non-json" or "deep-nesting" && c.Field is null))
        {
            var parsed = Record.Exception(() => JsonDocument.Parse(bad.Body).Dispose());
            Assert.True(parsed is JsonException, $"{bad.Name} parses");
        }
    }

    [Fact]
    public void InvalidUtf8Case_ParsesButCannotBeRead_SoValidatorsMustCatchIt()
    {
        var bad = BadRequests.All.Single(c => c.Name == "prompt-invalid-utf8");
        using var document = JsonDocument.Parse(bad.Body);

        Assert.Throws<InvalidOperationException>(() => document.RootElement.GetProperty("prompt").GetString());
    }

    [Fact]
    public void ContentTypeCases_CarryAValidBodyOrForm_UnderAnotherType()
    {
        foreach (var bad in BadRequests.All.Where(c => c.Category == "content-type"))
        {
            Assert.NotEqual(BadRequests.Json, bad.ContentType);
            Assert.Null(bad.Field);
        }
    }
}
