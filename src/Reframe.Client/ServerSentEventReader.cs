using System.Runtime.CompilerServices;
using System.Text;

namespace Reframe.Client;

/// <summary>
/// A minimal reader of the <c>text/event-stream</c> format (WHATWG HTML, "Server-sent events"): fields
/// <c>event</c>, <c>data</c> (multi-line joined by \n) and <c>id</c>; comment lines (heartbeats) skipped;
/// a blank line dispatches. Kept in the client so it has no package dependency.
/// </summary>
public static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        string eventType = "message";
        string? id = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new ServerSentEvent(eventType, data.ToString(), id);
                }
                eventType = "message";
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "event":
                    eventType = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    hasData = true;
                    break;
                case "id":
                    id = value;
                    break;
                default:
                    break; // "retry" and unknown fields do not matter to a one-shot reader
            }
        }
    }
}
