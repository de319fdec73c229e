using System.CommandLine;
using System.Text.RegularExpressions;
using Reframe.Core.Requests;

namespace Reframe.Cli.Commands;

/// <summary>
/// The request fields of some roles as flags, one <see cref="GenerationFlag"/> per field of the table
/// (<see cref="RequestFields"/>): <c>run</c> takes the <see cref="FieldRole.Setting"/>s, <c>submit</c> those and the
/// <see cref="FieldRole.Delivery"/> fields. The inputs are the commands' own (a file or a URL), so they are not here.
/// </summary>
public sealed class GenerationFlags
{
    private readonly IReadOnlyList<GenerationFlag> _flags;

    public GenerationFlags(params FieldRole[] roles)
    {
        var wanted = roles.Length == 0 ? [FieldRole.Setting] : roles;
        _flags = [.. RequestFields.All.Where(f => wanted.Contains(f.Role)).Select(f => GenerationFlag.For(f, Describe))];
    }

    public IReadOnlyList<GenerationFlag> Flags => _flags;

    public IEnumerable<Option> All => _flags.Select(f => f.Option);

    /// <summary>The request these flags describe, on top of the inputs the command resolved.</summary>
    public GenerationOptions ToOptions(ParseResult result, string videoUrl, string? firstFrameUrl, string? lastFrameUrl)
    {
        var options = new GenerationOptions { VideoUrl = videoUrl, FirstFrameUrl = firstFrameUrl, LastFrameUrl = lastFrameUrl };
        foreach (var flag in _flags)
        {
            options = flag.Apply(result, options);
        }
        return options;
    }

    /// <summary>
    /// A field's description with the other fields it names (<c>num_frames</c>) given as flags. Only names with an
    /// underscore: plain words such as "prompt" or "seed" are also just words.
    /// </summary>
    private static string Describe(string text)
    {
        foreach (var field in RequestFields.All.Where(f => f.Role is FieldRole.Setting or FieldRole.Delivery && f.WireName.Contains('_', StringComparison.Ordinal)))
        {
            text = Regex.Replace(text, $@"\b{field.WireName}\b", GenerationFlag.NameOf(field.WireName));
        }
        return text;
    }
}
