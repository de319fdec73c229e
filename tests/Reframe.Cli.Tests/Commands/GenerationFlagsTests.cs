using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reframe.Cli.Commands;
using Reframe.Cli.Remote;
using Reframe.Client;
using Reframe.Core.Requests;
using Reframe.TestSupport;

namespace Reframe.Cli.Tests.Commands;

/// <summary>The CLI's flags against the field table: every field reachable, with the table's defaults, bounds and choices.</summary>
public sealed class GenerationFlagsTests
{
    // The inputs are files or URLs in the CLI, so they are the commands' own options; the table says which field each fills.
    private static readonly Dictionary<string, string> SubmitInputs = new(StringComparer.Ordinal)
    {
        ["video_url"] = "video", ["image_url"] = "--image", ["first_frame_url"] = "--first-frame", ["last_frame_url"] = "--last-frame",
    };

    private static readonly Dictionary<string, string> RunInputs = new(StringComparer.Ordinal)
    {
        ["video_url"] = "--input", ["image_url"] = "--image", ["first_frame_url"] = "--first-frame", ["last_frame_url"] = "--last-frame",
    };

    private static HashSet<string> NamesOf(Command command) =>
    [
        .. command.Options.SelectMany(o => o.Aliases.Append(o.Name)),
        .. command.Arguments.Select(a => a.Name),
    ];

    [Fact]
    public void Submit_HasAFlagOrArgumentForEveryFieldButTheModel()
    {
        var names = NamesOf(SubmitCommand.Create());
        foreach (var field in RequestFields.All.Where(f => f.Role != FieldRole.Model))
        {
            var expected = field.Role == FieldRole.Input ? SubmitInputs[field.WireName] : GenerationFlag.NameOf(field.WireName);
            Assert.True(names.Contains(expected), $"{field.WireName}: no {expected}");
        }
    }

    [Fact]
    public void Run_HasAFlagForEveryInputAndSetting()
    {
        var names = NamesOf(RunCommand.Create());
        foreach (var field in RequestFields.All.Where(f => f.Role is FieldRole.Input or FieldRole.Setting))
        {
            var expected = field.Role == FieldRole.Input ? RunInputs[field.WireName] : GenerationFlag.NameOf(field.WireName);
            Assert.True(names.Contains(expected), $"{field.WireName}: no {expected}");
        }
    }

    [Fact]
    public void RunFlags_GiveTheTablesDefaults_WhenNothingIsTyped()
    {
        var flags = new GenerationFlags();
        var options = flags.ToOptions(Parse(flags), "in.mp4", null, null);
        Assert.Equal(new GenerationOptions { VideoUrl = "in.mp4" }, options);
    }

    [Fact]
    public void RunFlags_SetEverySetting_WhenEachIsTyped()
    {
        var flags = new GenerationFlags();
        var args = flags.Flags.SelectMany(f => new[] { f.Option.Name, Arg(RequestSamples.Json(f.Field)) }).ToArray();
        var options = flags.ToOptions(Parse(flags, args), "in.mp4", null, null);
        var sampled = RequestSamples.EveryFieldOptions();
        Assert.Equal(RequestFields.All.Count(f => f.Role == FieldRole.Setting), flags.Flags.Count);
        foreach (var flag in flags.Flags)
        {
            Assert.Equal(flag.Field.JsonValueOf(sampled), flag.Field.JsonValueOf(options));
        }
    }

    [Fact]
    public async Task SubmitRequest_CarriesEveryTypedFlag_AndNothingUntyped()
    {
        var request = new RequestOptions();
        var command = new Command("submit");
        request.AddTo(command);
        var fields = RequestFields.All.Where(f => f.Role is FieldRole.Setting or FieldRole.Delivery).ToList();
        var args = fields.SelectMany(f => new[] { GenerationFlag.NameOf(f.WireName), Arg(RequestSamples.Json(f)) }).ToArray();

        var typed = await WireFormAsync(request, command.Parse(args));
        var untyped = await WireFormAsync(request, command.Parse([]));

        foreach (var field in fields)
        {
            Assert.True(JsonNode.DeepEquals(RequestSamples.Json(field), typed[field.WireName]), $"{field.WireName}: {typed[field.WireName]?.ToJsonString()}");
        }
        Assert.Equal(["model", "video_url"], untyped.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Flags_RefuseValuesJustOutsideTheTablesBoundsAndChoices()
    {
        var flags = new GenerationFlags(FieldRole.Setting, FieldRole.Delivery);
        foreach (var flag in flags.Flags)
        {
            var (ok, bad) = flag.Field switch
            {
                IntField n => (new[] { Invariant(n.Min), Invariant(n.Max) }, new[] { Invariant(n.Min - 1), Invariant(n.Max + 1) }),
                NumberField n => ([Invariant(n.Min), Invariant(n.Max)], [Invariant(n.Min - 0.01), Invariant(n.Max + 0.01)]),
                ChoiceField c => ([.. c.Names], ["not-a-choice"]),
                _ => (Array.Empty<string>(), Array.Empty<string>()),
            };
            foreach (var value in ok)
            {
                Assert.Empty(Parse(flags, flag.Option.Name, value).Errors);
            }
            foreach (var value in bad)
            {
                Assert.NotEmpty(Parse(flags, flag.Option.Name, value).Errors);
            }
        }
    }

    private static ParseResult Parse(GenerationFlags flags, params string[] args)
    {
        var command = new Command("test");
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }
        return command.Parse(args);
    }

    private static async Task<JsonObject> WireFormAsync(RequestOptions request, ParseResult parse)
    {
        Assert.Empty(parse.Errors);
        var body = await request.BuildAsync(parse, "https://e.com/a.mp4", CancellationToken.None);
        return JsonNode.Parse(JsonSerializer.Serialize(body, ReframeJsonContext.Default.GenerationRequest))!.AsObject();
    }

    private static string Arg(JsonNode value) => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
