using System.Net;
using Reframe.Core.Engines;
using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// DNS rebinding: a name whose answer changes between lookups. The guard resolves once per connection and dials the
/// address it judged, so a second answer pointing inside is refused at its own connection, and no answer is ever
/// used unjudged. The resolver is scripted (tests cannot serve DNS); the connections and the canary are real.
/// 127.0.0.1 on the canary's port stands in for "the public address" through the exact-endpoint allow-list.
/// </summary>
public sealed class DnsRebindingTests(CanaryFixture servers) : IClassFixture<CanaryFixture>
{
    private static readonly FetchSettings Guarded = new() { ConnectTimeout = TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task FetchAsync_RefusesSecondAnswer_WhenNameRebindsToLoopbackAfterFirstFetch()
    {
        var answers = new ScriptedResolver(IPAddress.Loopback, IPAddress.IPv6Loopback);
        var url = $"http://rebind.example:{servers.Canary.Port}/clip.mp4";
        using var directory = new TempDirectory();

        var first = await FetchWith(answers, url, directory.File("first"));
        var connectionsAfterFirst = servers.Canary.Connections;
        var failure = await Assert.ThrowsAsync<ReframeFailure>(() => FetchWith(answers, url, directory.File("second")));

        Assert.Equal(CanaryFixture.CanaryBody, await File.ReadAllTextAsync(first.Path));
        Assert.Equal(TaskErrorNames.FileDownloadError, failure.Name);
        Assert.Contains("resolves to ::1, a loopback address", failure.Message, StringComparison.Ordinal);
        Assert.Equal(connectionsAfterFirst, servers.Canary.Connections);
        Assert.Equal(2, answers.Lookups); // one lookup per connection: the judged answer is the dialled one
    }

    [Fact]
    public async Task FetchAsync_RefusesWholeName_WhenAnyOfItsAddressesIsRefused()
    {
        var answers = new ScriptedResolver([IPAddress.Loopback, IPAddress.IPv6Loopback]);
        var before = servers.Canary.Connections;
        using var directory = new TempDirectory();

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() =>
            FetchWith(answers, $"http://mixed.example:{servers.Canary.Port}/", directory.File("in")));

        Assert.Contains("Refused to fetch", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, servers.Canary.Connections);
    }

    private async Task<Reframe.Core.Inputs.FetchedInput> FetchWith(ScriptedResolver answers, string url, string destination)
    {
        // A fresh fetcher per fetch: a pooled connection would be reused without a new lookup (safely: it goes to
        // the address judged when it opened), and this test is about the next lookup.
        var policy = new NetworkAddressPolicy(trustedEndpoints: [new IPEndPoint(IPAddress.Loopback, servers.Canary.Port)]);
        using var fetcher = new InputFetcher(Guarded, policy, TimeProvider.System, answers.ResolveAsync);
        return await fetcher.FetchAsync(url, destination, CancellationToken.None);
    }

    /// <summary>Answers each lookup with the next scripted answer (the last one repeats).</summary>
    private sealed class ScriptedResolver(params IPAddress[][] script)
    {
        private int _lookups;

        public ScriptedResolver(IPAddress first, IPAddress then) : this([first], [then])
        {
        }

        public int Lookups => _lookups;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref _lookups) - 1;
            return Task.FromResult(script[Math.Min(index, script.Length - 1)]);
        }
    }
}
