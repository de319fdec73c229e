namespace Reframe.Client;

/// <summary>One Server-Sent Event as framed on the wire (<c>event:</c>, <c>id:</c>, joined <c>data:</c> lines).</summary>
public sealed record ServerSentEvent(string EventType, string Data, string? Id);
