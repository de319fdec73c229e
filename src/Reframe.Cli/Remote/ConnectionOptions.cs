using Reframe.Cli.Commands;
using System.CommandLine;
using Reframe.Client;

namespace Reframe.Cli.Remote;

/// <summary><c>--server</c> and <c>--key</c>, shared by the commands that talk to a running service.</summary>
public sealed class ConnectionOptions
{
    public const string ServerVariable = "REFRAME_URL";
    public const string KeyVariable = "REFRAME_API_KEY";
    public const string DefaultServer = "http://127.0.0.1:8080/v2";

    public Option<string> Server { get; } = new("--server", "-s")
    {
        Description = $"API root, e.g. {DefaultServer} or https://api.aimlapi.com/v2 (env {ServerVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } v ? v : DefaultServer,
    };

    public Option<string?> Key { get; } = new("--key", "-k")
    {
        Description = $"API key (env {KeyVariable}; create one with 'reframe keys create')",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(KeyVariable),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Key);
    }

    /// <summary>A client for the parsed options, or a message saying what to fix.</summary>
    public ReframeClient CreateClient(ParseResult parse)
    {
        var server = parse.GetValue(Server)!;
        var key = parse.GetValue(Key);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliException(ExitCodes.Auth,
                $"No API key: pass --key or set {KeyVariable}. On this machine's service, 'reframe keys create' makes one.");
        }
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"--server '{server}' is not an http(s) URL such as {DefaultServer}.");
        }
        return new ReframeClient(uri, key);
    }
}
