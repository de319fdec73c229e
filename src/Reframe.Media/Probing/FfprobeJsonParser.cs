using System.Globalization;
using System.Text.Json;

namespace Reframe.Media.Probing;

/// <summary>
/// Turns <c>ffprobe -show_format -show_streams -of json</c> output into <see cref="MediaInfo"/>. Pure and
/// separate from the process so it is tested on recorded output. Throws <see cref="InvalidDataException"/>
/// when the JSON does not describe a usable file.
/// </summary>
public static class FfprobeJsonParser
{
    /// <summary>avg and r_frame_rate further apart than this (relative) mean a variable frame rate.</summary>
    private const double VariableRateTolerance = 0.01;

    public static MediaInfo Parse(ReadOnlySpan<byte> json)
    {
        using var document = ParseDocument(json);
        var root = document.RootElement;
        var formatName = root.TryGetProperty("format", out var format) ? GetString(format, "format_name") ?? "" : "";
        var formatDuration = format.ValueKind == JsonValueKind.Object ? GetDouble(format, "duration") : null;

        JsonElement? video = null;
        if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
        {
            foreach (var stream in streams.EnumerateArray())
            {
                if (GetString(stream, "codec_type") == "video" && !IsAttachedPicture(stream))
                {
                    video = stream;
                    break;
                }
            }
        }
        if (video is not { } v)
        {
            return new MediaInfo(formatName, false, 0, 0, 0, new Rational(0, 1), false, 0, formatDuration ?? 0, "");
        }

        var codedWidth = GetInt(v, "width") ?? 0;
        var codedHeight = GetInt(v, "height") ?? 0;
        var rotation = ReadRotation(v);
        var (width, height) = rotation is 90 or 270 ? (codedHeight, codedWidth) : (codedWidth, codedHeight);

        var average = Rational.TryParse(GetString(v, "avg_frame_rate"));
        var real = Rational.TryParse(GetString(v, "r_frame_rate"));
        var rate = average ?? real ?? new Rational(0, 1);
        var variable = average is { } a && real is { } r && Math.Abs(a.Value - r.Value) > VariableRateTolerance * r.Value;

        var duration = GetDouble(v, "duration") ?? formatDuration ?? 0;
        var frames = GetInt(v, "nb_frames") ?? GetInt(v, "nb_read_frames") ?? 0;
        if (frames <= 0 || variable)
        {
            // Containers such as Matroska carry no count; for a variable rate the container count is of irregular
            // frames, while the pipeline resamples to the average rate, so count at that rate.
            frames = rate.Numerator > 0 && duration > 0 ? (int)Math.Max(1, Math.Round(duration * rate.Value)) : Math.Max(frames, 0);
        }
        return new MediaInfo(formatName, true, width, height, rotation, rate, variable, frames, duration, GetString(v, "codec_name") ?? "");
    }

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("ffprobe did not return JSON", e);
        }
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.ValueKind == JsonValueKind.Object && GetInt(d, "attached_pic") == 1;

    /// <summary>Clockwise degrees to turn the coded picture for display.</summary>
    private static int ReadRotation(JsonElement stream)
    {
        double? degrees = null;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (GetDouble(item, "rotation") is { } displayMatrix)
                {
                    // The display matrix states a counter-clockwise angle (-90 = turn clockwise by 90).
                    degrees = -displayMatrix;
                    break;
                }
            }
        }
        if (degrees is null && stream.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object)
        {
            degrees = GetDouble(tags, "rotate");
        }
        var normalized = (int)Math.Round(degrees ?? 0);
        normalized = ((normalized % 360) + 360) % 360;
        // Only right angles are meaningful for video; anything else is treated as its nearest right angle.
        return (int)(Math.Round(normalized / 90.0) * 90) % 360;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                _ => null,
            }
            : null;

    private static double? GetDouble(JsonElement element, string name) =>
        GetString(element, name) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : null;

    private static int? GetInt(JsonElement element, string name) =>
        GetString(element, name) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l is >= int.MinValue and <= int.MaxValue
            ? (int)l
            : null;
}
