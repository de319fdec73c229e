using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Reframe.TestSupport;

/// <summary>One invalid <c>POST /v2/video/generations</c> request.</summary>
/// <param name="Name">Unique, stable description (e.g. <c>num_frames-above-max</c>).</param>
/// <param name="Category">types, ranges, enums, missing, urls, oversized, not-an-object, non-json, deep-nesting, content-type.</param>
/// <param name="Body">The exact bytes to send.</param>
/// <param name="ContentType">The Content-Type header to send, or null to send none.</param>
/// <param name="Field">
/// The field the 400's <c>details</c> must name; <c>"body"</c> when the JSON is not an object; null when the body is
/// not JSON at all or has the wrong content type (any 400 will do; naming <c>body</c> is fine).
/// </param>
public sealed record BadRequest(string Name, string Category, byte[] Body, string? ContentType, string? Field)
{
    /// <summary>The body as text (for logs; invalid UTF-8 shows as U+FFFD).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => Name;
}

/// <summary>
/// Issue 6 point 3: invalid request bodies built from ../shared/spec/API.md, each of which must answer 400 naming
/// <see cref="BadRequest.Field"/> and never a 5xx. Most are a valid body with one field broken, so exactly one
/// field is wrong. Bodies stay far below any sane size limit (the largest is about 1 MB), so 413 is not expected.
/// </summary>
public static class BadRequests
{
    public const string Model = "alibaba/wan2.2-vace-fun-a14b-reframe";
    public const string ValidBody = $$"""{"model":"{{Model}}","video_url":"https://example.com/clip.mp4"}""";
    public const string Json = "application/json";

    /// <summary>
    /// String limits the spec leaves open, proposed here: prompts up to this many characters (the text encoder reads
    /// 512 tokens; 20,000 characters is far beyond any real prompt).
    /// </summary>
    public const int MaxPromptChars = 20_000;

    /// <summary>Longest http(s) URL (same as the fetcher's <c>FetchSettings.MaxUrlLength</c>); data URIs are bounded by the body limit.</summary>
    public const int MaxHttpUrlChars = 8 * 1024;

    private static readonly (string Field, string Kind)[] Fields =
    [
        ("model", "model"), ("video_url", "url"), ("image_url", "url"), ("first_frame_url", "url"), ("last_frame_url", "url"),
        ("prompt", "string"), ("negative_prompt", "string"),
        ("match_input_num_frames", "bool"), ("match_input_frames_per_second", "bool"), ("trim_borders", "bool"),
        ("enable_safety_checker", "bool"), ("enable_prompt_expansion", "bool"), ("preprocess", "bool"),
        ("enable_auto_downsample", "bool"), ("sync_mode", "bool"),
        ("num_frames", "int"), ("frames_per_second", "int"), ("num_inference_steps", "int"), ("num_interpolated_frames", "int"),
        ("temporal_downsample_factor", "int"), ("seed", "seed"),
        ("zoom_factor", "number"), ("guidance_scale", "number"), ("shift", "number"), ("auto_downsample_min_fps", "number"),
        ("resolution", "enum"), ("aspect_ratio", "enum"), ("sampler", "enum"), ("acceleration", "enum"),
        ("video_quality", "enum"), ("video_write_mode", "enum"), ("interpolator_model", "enum"),
        ("webhook_url", "webhook"),
    ];

    /// <summary>JSON values of the wrong type for each kind of field.</summary>
    private static readonly Dictionary<string, string[]> WrongTypes = new(StringComparer.Ordinal)
    {
        ["model"] = ["42", "true", "[]", "{}"],
        ["url"] = ["123", "true", "[\"https://example.com/a.mp4\"]", "{\"url\":\"https://example.com/a.mp4\"}"],
        ["webhook"] = ["1", "[]"],
        ["string"] = ["5", "false", "[\"a\"]", "{}"],
        ["bool"] = ["\"true\"", "1", "0", "\"yes\"", "[]", "{}"],
        ["int"] = ["\"20\"", "20.5", "true", "[20]", "{}"],
        ["seed"] = ["1.5", "\"7\"", "true", "[7]", "1e20", "-9223372036854775809"],
        ["number"] = ["\"5\"", "true", "[5]", "{}"],
        ["enum"] = ["1", "true", "[\"auto\"]", "{}"],
    };

    /// <summary>Out-of-range numbers per field: just outside each bound, far outside, and non-finite.</summary>
    private static readonly (string Field, string[] Values)[] OutOfRange =
    [
        ("num_frames", ["16", "242", "0", "-81", "2147483648", "1e3"]),
        ("frames_per_second", ["4", "31", "-16", "1e309"]),
        ("num_inference_steps", ["1", "51", "0", "1000000"]),
        ("num_interpolated_frames", ["-1", "6"]),
        ("temporal_downsample_factor", ["-1", "6"]),
        ("zoom_factor", ["-0.1", "0.91", "1", "-1e-9", "1e309"]),
        ("guidance_scale", ["0.99", "10.01", "-5", "1e309", "-1e309"]),
        ("shift", ["0.9", "15.1", "0"]),
        ("auto_downsample_min_fps", ["0.99", "60.5", "0", "-15"]),
    ];

    /// <summary>Values outside each enum (case, whitespace, near misses, the hosted API's neighbours).</summary>
    private static readonly (string Field, string[] Values)[] BadEnums =
    [
        ("resolution", ["1080p", "480P", " 480p", "480", "", "4k"]),
        ("aspect_ratio", ["4:3", "16/9", "AUTO", "16:9 ", "21:9"]),
        ("sampler", ["ddim", "UNIPC", "dpm", "dpmpp"]),
        ("acceleration", ["high", "None", "fast"]),
        ("video_quality", ["ultra", "HIGH", "best"]),
        ("video_write_mode", ["slow", "Fast", "veryfast"]),
        ("interpolator_model", ["dain", "RIFE", "none"]),
        ("model", ["alibaba/wan2.1", Model + " ", Model.ToUpperInvariant(), "", "alibaba/wan2.2-vace-fun-a14b"]),
    ];

    private static readonly (string Field, string Value)[] BadUrls =
    [
        ("video_url", "ftp://example.com/a.mp4"), ("video_url", "file:///etc/passwd"), ("video_url", "gopher://example.com/_x"),
        ("video_url", "not a url"), ("video_url", "/relative/clip.mp4"), ("video_url", "//example.com/a.mp4"),
        ("video_url", "http://"), ("video_url", ""), ("video_url", " "), ("video_url", "data:video/mp4;base64"),
        ("video_url", "javascript:alert(1)"), ("image_url", "file:///etc/passwd"), ("image_url", "data:image/png;base64"),
        ("first_frame_url", "javascript:alert(1)"), ("last_frame_url", "ssh://example.com/x.png"),
        ("webhook_url", "data:application/json,{}"), ("webhook_url", "file:///tmp/hook"), ("webhook_url", "not a url"),
    ];

    /// <summary>Every case (built once; deterministic order).</summary>
    public static IReadOnlyList<BadRequest> All { get; } = Build();

    private static List<BadRequest> Build()
    {
        var cases = new List<BadRequest>();
        void Add(string name, string category, string body, string? field, string? contentType = Json) =>
            cases.Add(new BadRequest(name, category, Encoding.UTF8.GetBytes(body), contentType, field));

        // Missing or null required fields.
        Add("model-missing", "missing", With("model", null, remove: true), "model");
        Add("model-null", "missing", With("model", "null"), "model");
        Add("video_url-missing", "missing", With("video_url", null, remove: true), "video_url");
        Add("video_url-null", "missing", With("video_url", "null"), "video_url");
        Add("empty-object", "missing", "{}", "model");
        Add("only-unknown-fields", "missing", """{"foo":1,"bar":"baz"}""", "video_url");
        Add("prompt-only", "missing", """{"prompt":"a beach"}""", "model");
        Add("model-misspelled-key", "missing", ValidBody.Replace("\"model\"", "\"Model\"", StringComparison.Ordinal), "model");

        foreach (var (field, kind) in Fields)
        {
            foreach (var (value, i) in WrongTypes[kind].Select((v, i) => (v, i)))
            {
                Add($"{field}-wrong-type-{i}", "types", With(field, value), field);
            }
        }
        foreach (var (field, values) in OutOfRange)
        {
            foreach (var value in values)
            {
                Add($"{field}-out-of-range-{value}", "ranges", With(field, value), field);
            }
        }
        foreach (var (field, values) in BadEnums)
        {
            foreach (var (value, i) in values.Select((v, i) => (v, i)))
            {
                Add($"{field}-bad-enum-{i}", "enums", With(field, JsonValue.Create(value)!.ToJsonString()), field);
            }
        }
        foreach (var ((field, value), i) in BadUrls.Select((c, i) => (c, i)))
        {
            Add($"{field}-bad-url-{i}", "urls", With(field, JsonValue.Create(value)!.ToJsonString()), field);
        }

        // Oversized strings (limits proposed above; the body stays around 1 MB at most).
        var longUrl = "https://example.com/" + new string('a', MaxHttpUrlChars);
        Add("prompt-oversized", "oversized", With("prompt", Quote(new string('p', MaxPromptChars + 1))), "prompt");
        Add("negative_prompt-oversized", "oversized", With("negative_prompt", Quote(new string('n', MaxPromptChars + 1))), "negative_prompt");
        Add("prompt-1mb", "oversized", With("prompt", Quote(new string('x', 1_000_000))), "prompt");
        Add("model-oversized", "oversized", With("model", Quote(new string('m', 100_000))), "model");
        Add("video_url-http-oversized", "oversized", With("video_url", Quote(longUrl)), "video_url");
        Add("image_url-http-oversized", "oversized", With("image_url", Quote(longUrl)), "image_url");
        Add("webhook_url-oversized", "oversized", With("webhook_url", Quote(longUrl)), "webhook_url");

        // Valid JSON that is not an object.
        foreach (var (body, i) in new[] { "[]", "[" + ValidBody + "]", "\"text\"", "42", "true", "null" }.Select((b, i) => (b, i)))
        {
            Add($"not-an-object-{i}", "not-an-object", body, "body");
        }

        // Not JSON at all.
        string[] notJson =
        [
            "", " ", "not json", "{", "}", "{\"model\":}", ValidBody[..^1], ValidBody + ",", ValidBody + "}",
            ValidBody.Replace('"', '\''), "{\"model\":\"" + Model + "\",\"video_url\":\"https://example.com/a.mp4\",}",
            "{\"num_frames\":NaN," + ValidBody[1..], "{/*comment*/" + ValidBody[1..], "model=" + Model,
            "<request><model>x</model></request>", "{\"model\":\"x\",\"video_url\":\"https://example.com/\u0001a.mp4\"}", // raw control character
        ];
        foreach (var (body, i) in notJson.Select((b, i) => (b, i)))
        {
            Add($"non-json-{i}", "non-json", body, null);
        }
        // JsonDocument parses this; only reading the string (GetString) throws, so a validator that does not catch
        // it answers 500. The field is named like any other unreadable value.
        cases.Add(new BadRequest("prompt-invalid-utf8", "types",
            [.. Encoding.UTF8.GetBytes(ValidBody[..^1] + ",\"prompt\":\""), 0xC3, 0x28, 0xFF, .. "\"}"u8], Json, "prompt"));
        cases.Add(new BadRequest("non-json-utf16", "non-json", Encoding.Unicode.GetBytes(ValidBody), Json, null));

        // Deep nesting: inside a known field within the parser's depth limit names the field; beyond it, the body
        // is unparseable (System.Text.Json stops at depth 64) and no field is named.
        Add("deep-nesting-prompt-10", "deep-nesting", With("prompt", Nest(10)), "prompt");
        Add("deep-nesting-seed-30", "deep-nesting", With("seed", Nest(30)), "seed");
        Add("deep-nesting-video_url-1000", "deep-nesting", With("video_url", Nest(1000)), null);
        Add("deep-nesting-unknown-100000", "deep-nesting", ValidBody[..^1] + ",\"x\":" + Nest(100_000) + "}", null);
        Add("deep-nesting-objects-5000", "deep-nesting",
            ValidBody[..^1] + ",\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "}", null);

        // A valid body with the wrong (or no) content type.
        var form = $"model={Uri.EscapeDataString(Model)}&video_url={Uri.EscapeDataString("https://example.com/a.mp4")}";
        Add("content-type-missing", "content-type", ValidBody, null, contentType: null);
        Add("content-type-text-plain", "content-type", ValidBody, null, "text/plain");
        Add("content-type-form", "content-type", form, null, "application/x-www-form-urlencoded");
        Add("content-type-multipart", "content-type",
            "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + Model + "\r\n--b--\r\n", null, "multipart/form-data; boundary=b");
        Add("content-type-xml", "content-type", ValidBody, null, "application/xml");
        Add("content-type-octet-stream", "content-type", ValidBody, null, "application/octet-stream");
        Add("content-type-garbage", "content-type", ValidBody, null, "json");

        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? cases : throw new InvalidOperationException($"Duplicate bad request {duplicate.Key}.");
    }

    /// <summary>The valid body with <paramref name="field"/> set to the raw JSON <paramref name="json"/> (or removed).</summary>
    public static string With(string field, string? json, bool remove = false)
    {
        var body = JsonNode.Parse(ValidBody)!.AsObject();
        if (remove)
        {
            body.Remove(field);
            return body.ToJsonString();
        }
        // Spliced as text: JsonNode would reject what the deep-nesting cases exist to send.
        body.Remove(field);
        var rest = body.ToJsonString();
        var separator = rest == "{}" ? "" : ",";
        return $"{{\"{field}\":{json}{separator}{rest[1..]}";
    }

    private static string Quote(string text) => JsonValue.Create(text)!.ToJsonString();

    private static string Nest(int depth) => new string('[', depth) + "1" + new string(']', depth);

    /// <summary>Case counts per category, for reports.</summary>
    public static string Summary() =>
        string.Join(", ", All.GroupBy(c => c.Category).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}")));
}
