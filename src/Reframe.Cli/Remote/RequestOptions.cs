using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Reframe.Cli.Commands;
using Reframe.Client;
using Reframe.Core.Requests;

namespace Reframe.Cli.Remote;

/// <summary>
/// The request-body flags of <c>submit</c>: the same <see cref="GenerationFlags"/> as <c>run</c> (so names, ranges
/// and choices cannot drift), plus the fields only a server has (<c>--webhook-url</c>, <c>--sync-mode</c>), all made from
/// the field table. Only flags the user actually typed go into the request: the rest is left to the server's defaults,
/// which matters against a server whose tunable defaults differ (or the hosted API).
/// </summary>
public sealed class RequestOptions
{
    private readonly GenerationFlags _flags = new(FieldRole.Setting, FieldRole.Delivery);

    public Option<string?> FirstFrame { get; } = new("--first-frame", "--image") { Description = "An image (file or URL) pinned as the first frame (API: first_frame_url / image_url)." };
    public Option<string?> LastFrame { get; } = new("--last-frame") { Description = "An image (file or URL) pinned as the last frame (API: last_frame_url)." };

    public void AddTo(Command command)
    {
        foreach (var option in _flags.All.Concat([FirstFrame, LastFrame]))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The typed request for a source that is already an http(s) URL or data: URI.</summary>
    public async Task<GenerationRequest> BuildAsync(ParseResult parse, string videoUrl, CancellationToken cancellationToken)
    {
        // Written as the wire form and read by the client's own type, so the flags reach it through the wire names alone.
        // Model too: the source-generated reader sets every init-only property, so an absent one would be null, not its initialiser.
        var body = new JsonObject { [RequestFields.Model.WireName] = RequestFields.Model.Value, [RequestFields.VideoUrl.WireName] = videoUrl };
        AddInput(body, RequestFields.FirstFrameUrl, await InputReference.ResolveAsync(parse.GetValue(FirstFrame), "--first-frame", cancellationToken).ConfigureAwait(false));
        AddInput(body, RequestFields.LastFrameUrl, await InputReference.ResolveAsync(parse.GetValue(LastFrame), "--last-frame", cancellationToken).ConfigureAwait(false));
        foreach (var flag in _flags.Flags)
        {
            if (flag.TypedJson(parse) is { } value)
            {
                body[flag.Field.WireName] = value;
            }
        }
        return body.Deserialize(CliJson.Default.GenerationRequest)!;
    }

    private static void AddInput(JsonObject body, UrlField field, string? url)
    {
        if (url is not null)
        {
            body[field.WireName] = url;
        }
    }
}

[JsonSerializable(typeof(GenerationRequest))]
[JsonSerializable(typeof(Generation))]
internal sealed partial class CliJson : JsonSerializerContext;
