using Reframe.Cli.Commands;
using System.Net;
using System.Net.Sockets;
using Reframe.Client;

namespace Reframe.Cli.Remote;

/// <summary>Turns what can go wrong talking to a server into a message with a next step, and an exit code.</summary>
public static class RemoteErrors
{
    public static CliException Explain(Exception exception, Uri server) => exception switch
    {
        ReframeApiException api => api.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(ExitCodes.Auth,
                $"The server refused the key ({(int)api.StatusCode}). Check --key / {ConnectionOptions.KeyVariable}; keys are made with 'reframe keys create'."),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.Usage, $"The server rejected the request: {api.Message}"),
            HttpStatusCode.RequestEntityTooLarge => new CliException(ExitCodes.Usage,
                "The request is larger than the server accepts. Send a shorter or smaller clip, or pass an http(s) URL instead of a file."),
            HttpStatusCode.NotFound => new CliException(ExitCodes.Refused,
                $"Not found at {server}: the id is unknown, expired or belongs to another key (or --server lacks the /v2 root). {api.Message}"),
            HttpStatusCode.Conflict => new CliException(ExitCodes.Refused, $"The task has already ended. {api.Message}"),
            HttpStatusCode.TooManyRequests => new CliException(ExitCodes.Refused, $"Too many requests for this key; wait and retry. {api.Message}"),
            >= HttpStatusCode.InternalServerError => new CliException(ExitCodes.Unavailable, $"The server failed: {api.Message}"),
            _ => new CliException(ExitCodes.Refused, api.Message),
        },
        HttpRequestException { InnerException: SocketException } or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
            new CliException(ExitCodes.Unavailable,
                $"Cannot reach {server}. Is the service running (scripts/serve.sh)? Use --server or {ConnectionOptions.ServerVariable} for another address."),
        HttpRequestException http => new CliException(ExitCodes.Unavailable, $"Talking to {server} failed: {http.Message}"),
        _ => new CliException(ExitCodes.Unavailable, exception.Message),
    };
}
