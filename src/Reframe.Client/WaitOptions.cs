namespace Reframe.Client;

/// <summary>How <see cref="ReframeClient.WaitAsync"/> follows a task.</summary>
/// <param name="PollInterval">Delay between two reads when polling.</param>
/// <param name="UseEvents">Follow the Server-Sent Events stream when the server has one (Reframe does; the
/// hosted API does not, and the client then polls).</param>
public sealed record WaitOptions(TimeSpan PollInterval, bool UseEvents = true)
{
    public static WaitOptions Default { get; } = new(TimeSpan.FromSeconds(2));
}
