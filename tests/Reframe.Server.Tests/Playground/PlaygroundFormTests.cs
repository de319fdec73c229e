using System.Globalization;
using System.Text.RegularExpressions;
using Reframe.Core.Requests;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Playground;

/// <summary>
/// The playground is static HTML (no build step), so its form cannot be generated from the field table; this holds every
/// named control to the table instead: a field of that name, of a matching kind, with the table's default, bounds and choices.
/// </summary>
public sealed partial class PlaygroundFormTests
{
    private static readonly string Html = File.ReadAllText(
        Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Reframe.Server", "Playground", "wwwroot", "index.html"));

    [GeneratedRegex("""<(?<tag>input|select|textarea)\b(?<attrs>[^>]*\bname="(?<name>[^"]+)"[^>]*)>""")]
    private static partial Regex Control();

    [GeneratedRegex("""(?<key>[\w-]+)="(?<value>[^"]*)"|\b(?<flag>checked)\b""")]
    private static partial Regex Attribute();

    [GeneratedRegex("<option>(?<name>[^<]*)</option>")]
    private static partial Regex Option();

    [Fact]
    public void EveryNamedControl_AgreesWithItsFieldInTheTable()
    {
        var controls = Control().Matches(Html);
        Assert.True(controls.Count > 20, $"found only {controls.Count} controls: the pattern no longer matches the page");
        foreach (Match control in controls)
        {
            var name = control.Groups["name"].Value;
            var field = RequestFields.Find(name);
            Assert.True(field is not null, $"the playground sends {name}, which the request does not have");
            var attrs = Attribute().Matches(control.Groups["attrs"].Value)
                .Where(m => m.Groups["key"].Success)
                .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            var tag = control.Groups["tag"].Value;
            switch (field)
            {
                case IntField number:
                    Assert.Equal(("int", Invariant(number.Min), Invariant(number.Max), Invariant(number.Default)),
                        (attrs["data-type"], attrs["min"], attrs["max"], attrs["data-default"]));
                    break;
                case NumberField number:
                    Assert.Equal(("number", Invariant(number.Min), Invariant(number.Max), Invariant(number.Default)),
                        (attrs["data-type"], attrs["min"], attrs["max"], attrs["data-default"]));
                    break;
                case IntegerField:
                    Assert.Equal(("int", ""), (attrs["data-type"], attrs["data-default"]));
                    break;
                case FlagField flag:
                    Assert.Equal(("checkbox", flag.Default ? "true" : "false"), (attrs["type"], attrs["data-default"]));
                    Assert.Equal(flag.Default, Attribute().Matches(control.Groups["attrs"].Value).Any(m => m.Groups["flag"].Success));
                    break;
                case ChoiceField choice:
                    Assert.Equal("select", tag);
                    Assert.Equal(choice.Default, attrs["data-default"]);
                    Assert.Equal(choice.Names.Order(StringComparer.Ordinal),
                        Option().Matches(SelectBody(control)).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));
                    break;
                case TextField text:
                    Assert.Equal("textarea", tag);
                    Assert.Equal(text.Default, attrs.TryGetValue("data-default-from", out var template) ? TemplateText(template) : attrs["data-default"]);
                    break;
                case UrlField:
                    Assert.Equal("url", attrs["type"]);
                    break;
                default:
                    Assert.Fail($"{name}: the playground has no control for a {field!.GetType().Name}");
                    break;
            }
        }
    }

    // A select's options run from its opening tag to its closing one.
    private static string SelectBody(Match control)
    {
        var start = control.Index + control.Length;
        return Html[start..Html.IndexOf("</select>", start, StringComparison.Ordinal)];
    }

    private static string TemplateText(string id)
    {
        var match = Regex.Match(Html, $"""<template id="{Regex.Escape(id)}">(?<text>[^<]*)</template>""");
        Assert.True(match.Success, $"no template {id}");
        return match.Groups["text"].Value.Trim();
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
