namespace Reframe.Server.Tests.Validation;

/// <summary>
/// Every rule of the request body in ../shared/spec/API.md as a table: a JSON fragment merged into a valid body,
/// and the field the 400 must name. Used by the pure validator tests and again over HTTP.
/// </summary>
public static class ValidationCases
{
    public const string ValidBody = """{"model":"alibaba/wan2.2-vace-fun-a14b-reframe","video_url":"https://example.com/a.mp4"}""";

    /// <summary>Builds a body: the valid one, with <paramref name="fragment"/>'s fields added or replacing.</summary>
    public static string With(string fragment)
    {
        var baseNode = System.Text.Json.Nodes.JsonNode.Parse(ValidBody)!.AsObject();
        var extra = System.Text.Json.Nodes.JsonNode.Parse(fragment)!.AsObject();
        foreach (var (key, value) in extra.ToList())
        {
            extra.Remove(key);
            if (value is System.Text.Json.Nodes.JsonValue v && v.ToJsonString() == "\"<remove>\"")
            {
                baseNode.Remove(key);
            }
            else
            {
                baseNode[key] = value;
            }
        }
        return baseNode.ToJsonString();
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{"model":"<remove>"}""", "model" },
        { """{"model":null}""", "model" },
        { """{"model":"alibaba/wan2.1"}""", "model" },
        { """{"model":42}""", "model" },
        { """{"video_url":"<remove>"}""", "video_url" },
        { """{"video_url":"ftp://example.com/a.mp4"}""", "video_url" },
        { """{"video_url":"not a url"}""", "video_url" },
        { """{"video_url":"data:video/mp4;base64"}""", "video_url" },
        { """{"video_url":123}""", "video_url" },
        { """{"image_url":"file:///etc/passwd"}""", "image_url" },
        { """{"first_frame_url":"javascript:alert(1)"}""", "first_frame_url" },
        { """{"last_frame_url":false}""", "last_frame_url" },
        { """{"prompt":5}""", "prompt" },
        { """{"negative_prompt":["a"]}""", "negative_prompt" },
        { """{"match_input_num_frames":"yes"}""", "match_input_num_frames" },
        { """{"num_frames":16}""", "num_frames" },
        { """{"num_frames":242}""", "num_frames" },
        { """{"num_frames":81.5}""", "num_frames" },
        { """{"num_frames":"81"}""", "num_frames" },
        { """{"match_input_frames_per_second":1}""", "match_input_frames_per_second" },
        { """{"frames_per_second":4}""", "frames_per_second" },
        { """{"frames_per_second":31}""", "frames_per_second" },
        { """{"resolution":"1080p"}""", "resolution" },
        { """{"resolution":"480P"}""", "resolution" },
        { """{"aspect_ratio":"4:3"}""", "aspect_ratio" },
        { """{"zoom_factor":-0.1}""", "zoom_factor" },
        { """{"zoom_factor":0.91}""", "zoom_factor" },
        { """{"trim_borders":"true"}""", "trim_borders" },
        { """{"num_inference_steps":1}""", "num_inference_steps" },
        { """{"num_inference_steps":51}""", "num_inference_steps" },
        { """{"guidance_scale":0.5}""", "guidance_scale" },
        { """{"guidance_scale":10.5}""", "guidance_scale" },
        { """{"shift":0.9}""", "shift" },
        { """{"shift":15.1}""", "shift" },
        { """{"sampler":"ddim"}""", "sampler" },
        { """{"seed":1.5}""", "seed" },
        { """{"seed":"7"}""", "seed" },
        { """{"seed":1e30}""", "seed" },
        { """{"acceleration":"high"}""", "acceleration" },
        { """{"enable_safety_checker":"no"}""", "enable_safety_checker" },
        { """{"enable_prompt_expansion":0}""", "enable_prompt_expansion" },
        { """{"preprocess":[]}""", "preprocess" },
        { """{"video_quality":"ultra"}""", "video_quality" },
        { """{"video_write_mode":"slow"}""", "video_write_mode" },
        { """{"num_interpolated_frames":-1}""", "num_interpolated_frames" },
        { """{"num_interpolated_frames":6}""", "num_interpolated_frames" },
        { """{"interpolator_model":"dain"}""", "interpolator_model" },
        { """{"temporal_downsample_factor":6}""", "temporal_downsample_factor" },
        { """{"temporal_downsample_factor":-1}""", "temporal_downsample_factor" },
        { """{"enable_auto_downsample":"false"}""", "enable_auto_downsample" },
        { """{"auto_downsample_min_fps":0.5}""", "auto_downsample_min_fps" },
        { """{"auto_downsample_min_fps":61}""", "auto_downsample_min_fps" },
        { """{"sync_mode":"true"}""", "sync_mode" },
        { """{"webhook_url":"data:text/plain,hi"}""", "webhook_url" },
        { """{"webhook_url":"gopher://example.com"}""", "webhook_url" },
    };

    /// <summary>Edges that are valid: bounds included, nulls as absent, unknown fields ignored.</summary>
    public static TheoryData<string> Valid => new()
    {
        """{"num_frames":17}""",
        """{"num_frames":241}""",
        """{"num_frames":81.0}""",
        """{"frames_per_second":5}""",
        """{"frames_per_second":30}""",
        """{"zoom_factor":0}""",
        """{"zoom_factor":0.9}""",
        """{"num_inference_steps":2}""",
        """{"num_inference_steps":50}""",
        """{"guidance_scale":1}""",
        """{"guidance_scale":10}""",
        """{"shift":1}""",
        """{"shift":15}""",
        """{"num_interpolated_frames":5}""",
        """{"temporal_downsample_factor":5}""",
        """{"auto_downsample_min_fps":1}""",
        """{"auto_downsample_min_fps":60}""",
        """{"resolution":"auto"}""",
        """{"resolution":"720p","aspect_ratio":"9:16"}""",
        """{"sampler":"dpm++","acceleration":"none"}""",
        """{"seed":-5}""",
        """{"seed":9007199254740993}""",
        """{"seed":1234.0}""",
        """{"seed":1.234e3}""",
        """{"image_url":null,"prompt":null,"seed":null}""",
        """{"video_url":"data:video/mp4;base64,AAAA"}""",
        """{"video_url":"http://example.com/a.mp4"}""",
        """{"unknown_field":{"deep":[1,2,3]},"another":"x"}""",
        """{"webhook_url":"https://hooks.example.com/x"}""",
    };
}
