using Reframe.Media.Sources;

namespace Reframe.Workers.Webhooks;

/// <summary>
/// The HttpClient webhooks are sent with: the inputs' SSRF guard (<see cref="GuardedHttp"/>, judged at connect
/// time, no redirects followed, no proxy), so a webhook URL cannot make the service call its own network unless
/// the operator allowed private URLs (REFRAME_ALLOW_PRIVATE_URLS) for inputs too.
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    public WebhookHttpClient(NetworkAddressPolicy policy, TimeSpan connectTimeout)
    {
        Client = GuardedHttp.CreateClient(policy, connectTimeout);
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
