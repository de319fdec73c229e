using Reframe.Cli.Commands;
using Reframe.Client;

namespace Reframe.Cli.Remote;

/// <summary>A source given on the command line: an http(s) URL or data: URI is sent as is; a local file is sent inline.</summary>
public static class InputReference
{
    public static async Task<string?> ResolveAsync(string? value, string flag, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DataUri.IsDataUri(value)
            || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }
        if (!File.Exists(value))
        {
            throw new CliException(ExitCodes.Usage, $"{flag}: '{value}' is neither an existing file nor an http(s) URL.");
        }
        return await DataUri.FromFileAsync(value, cancellationToken).ConfigureAwait(false);
    }
}
