using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// One server without workers (tasks stay queued), for the HTTP contract: validation, auth, ids, limits, cancel.
/// A small body limit makes the 413 cheap to reach.
/// </summary>
public sealed class ContractServerFixture : IAsyncLifetime
{
    public const int MaxRequestBytes = 64 * 1024;

    public InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync(
            new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0", ["REFRAME_MAX_REQUEST_BYTES"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services =>
            {
                // No worker runs here; these only satisfy the composition.
                services.AddSingleton<IReframeRunner, GatedRunner>();
                services.AddSingleton<IInputFetcher, DataUriOnlyFetcher>();
            });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
