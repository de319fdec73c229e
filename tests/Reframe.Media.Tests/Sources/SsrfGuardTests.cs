using System.Net;
using Reframe.Core.Engines;
using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// Issue 6, point 1: every way to reach this machine or a private/metadata address is refused while the guard is
/// on, and the real canary server on loopback is never contacted (its accepted-connection count does not move).
/// The same URLs are fetched from the canary when AllowPrivateUrls is on, which shows the counting can fail.
/// </summary>
public sealed class SsrfGuardTests(CanaryFixture servers) : IClassFixture<CanaryFixture>
{
    private static readonly FetchSettings Guarded = new() { DownloadTimeout = TimeSpan.FromSeconds(20), ConnectTimeout = TimeSpan.FromSeconds(3) };
    private static readonly FetchSettings Unguarded = Guarded with { AllowPrivateUrls = true };

    public static TheoryData<string> AllRefused =>
        SsrfCases.Data(SsrfCases.ReachLoopbackCanary, SsrfCases.RefusedElsewhere, SsrfCases.NotHttp);

    public static TheoryData<string> Reachable => SsrfCases.Data(SsrfCases.ReachLoopbackCanary);

    public static TheoryData<string> RedirectTargets => SsrfCases.Data(SsrfCases.RedirectTargets);

    [Fact]
    public void Suite_HasAtLeastTwentyWays_ToReachPrivateAddresses() =>
        Assert.True(AllRefused.Count + RedirectTargets.Count >= 20 + 20, $"only {AllRefused.Count} direct cases");

    [Theory]
    [MemberData(nameof(AllRefused))]
    public async Task FetchAsync_RefusesWithoutContactingCanary_WhenUrlDenotesPrivateAddress(string template)
    {
        var url = SsrfCases.WithPort(template, servers.Canary.Port);
        await AssertRefusedAsync(new InputFetcher(Guarded, TimeProvider.System), url);
    }

    [Fact]
    public async Task FetchAsync_RefusesWithoutContactingCanary_WhenHostsFileNameResolvesToLoopback()
    {
        // Names only /etc/hosts knows (e.g. the machine's own name): not on any list, refused after resolution.
        foreach (var name in SsrfCases.HostsFileLoopbackNames())
        {
            await AssertRefusedAsync(new InputFetcher(Guarded, TimeProvider.System), $"http://{name}:{servers.Canary.Port}/");
        }
    }

    [Theory]
    [MemberData(nameof(Reachable))]
    public async Task FetchAsync_ReachesCanary_WhenAllowPrivateUrlsIsOn(string template)
    {
        var url = SsrfCases.WithPort(template, servers.Canary.Port);
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Unguarded, TimeProvider.System);
        var before = servers.Canary.Connections;

        try
        {
            var fetched = await fetcher.FetchAsync(url, directory.File("in.mp4"), CancellationToken.None);
            Assert.Equal(CanaryFixture.CanaryBody, await File.ReadAllTextAsync(fetched.Path));
        }
        catch (ReframeFailure failure) when (failure.Message.Contains("answered HTTP 400", StringComparison.Ordinal))
        {
            // Kestrel refuses some Host spellings (e.g. "[::]"); the connection, which is what SSRF is about, was made.
        }

        Assert.True(servers.Canary.Connections > before, $"{url} did not reach the canary");
    }

    [Fact]
    public async Task FetchAsync_ReachesCanary_WhenAllowPrivateUrlsIsOnAndHostsFileNameIsUsed()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Unguarded, TimeProvider.System);
        foreach (var name in SsrfCases.HostsFileLoopbackNames())
        {
            var fetched = await fetcher.FetchAsync($"http://{name}:{servers.Canary.Port}/", directory.File(name), CancellationToken.None);
            Assert.Equal(CanaryFixture.CanaryBody, await File.ReadAllTextAsync(fetched.Path));
        }
    }

    [Fact]
    public async Task FetchAsync_FetchesTrustedServer_WhenItsExactEndpointIsAllowListed()
    {
        // Control for the redirect tests: the trusted front is reachable, so a refusal after it is the redirect's.
        using var directory = new TempDirectory();
        using var fetcher = TrustingFront();

        var fetched = await fetcher.FetchAsync(servers.Front.Url("/ok"), directory.File("in.mp4"), CancellationToken.None);

        Assert.Equal("front", await File.ReadAllTextAsync(fetched.Path));
        Assert.Equal("video/mp4", fetched.ContentType);
    }

    [Theory]
    [MemberData(nameof(RedirectTargets))]
    public async Task FetchAsync_RefusesRedirect_WhenAllowedServerRedirectsToPrivateAddress(string template)
    {
        var target = SsrfCases.WithPort(template, servers.Canary.Port);
        foreach (var status in new[] { 301, 302, 303, 307, 308 })
        {
            var url = servers.Front.Url($"/redirect?status={status}&to={Uri.EscapeDataString(target)}");
            var frontBefore = servers.Front.Requests;

            await AssertRefusedAsync(TrustingFront(), url);

            Assert.Equal(frontBefore + 1, servers.Front.Requests); // the first hop was made, the second refused
        }
    }

    [Fact]
    public async Task FetchAsync_FollowsRedirectToCanary_WhenAllowPrivateUrlsIsOn()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Unguarded, TimeProvider.System);
        var before = servers.Canary.Requests;
        var url = servers.Front.Url($"/redirect?to={Uri.EscapeDataString($"http://[::1]:{servers.Canary.Port}/")}");

        var fetched = await fetcher.FetchAsync(url, directory.File("in.mp4"), CancellationToken.None);

        Assert.Equal(CanaryFixture.CanaryBody, await File.ReadAllTextAsync(fetched.Path));
        Assert.Equal(before + 1, servers.Canary.Requests);
    }

    [Fact]
    public async Task GuardedClient_RefusesWebhookToLoopback_WhenPolicyIsPublicOnly()
    {
        using var client = GuardedHttp.CreateClient(NetworkAddressPolicy.PublicOnly, TimeSpan.FromSeconds(3));
        var before = servers.Canary.Connections;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync($"http://localhost:{servers.Canary.Port}/hook", new StringContent("{}")));

        Assert.NotNull(AddressRefusedException.FindIn(error));
        Assert.Equal(before, servers.Canary.Connections);
    }

    private InputFetcher TrustingFront() =>
        new(Guarded, new NetworkAddressPolicy(trustedEndpoints: [servers.FrontEndpoint]), TimeProvider.System);

    private async Task AssertRefusedAsync(InputFetcher fetcher, string url)
    {
        using var directory = new TempDirectory();
        using (fetcher)
        {
            var connectionsBefore = servers.Canary.Connections;
            var requestsBefore = servers.Canary.Requests;

            var failure = await Assert.ThrowsAsync<ReframeFailure>(() =>
                fetcher.FetchAsync(url, directory.File("in.mp4"), CancellationToken.None));

            Assert.Contains(failure.Name, new[] { TaskErrorNames.InvalidInput, TaskErrorNames.FileDownloadError });
            // The refusal must come from the guard, not from a failed connection that happened to miss.
            Assert.True(IsGuardRefusal(failure.Message), $"{url}: not a guard refusal: {failure.Message}");
            Assert.Equal(connectionsBefore, servers.Canary.Connections);
            Assert.Equal(requestsBefore, servers.Canary.Requests);
            Assert.Empty(directory.Entries());
        }
    }

    private static bool IsGuardRefusal(string message) =>
        new[] { "Refused to fetch", "are not fetched", "are not accepted", "neither a valid http(s) URL" }
            .Any(marker => message.Contains(marker, StringComparison.Ordinal));
}
