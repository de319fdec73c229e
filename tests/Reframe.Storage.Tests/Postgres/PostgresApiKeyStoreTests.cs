using Reframe.Core.Auth;
using Reframe.Storage.Postgres;
using Reframe.Storage.Tests.Contracts;

namespace Reframe.Storage.Tests.Postgres;

/// <summary>The key store contract on PostgreSQL; "another" is the CLI's own connection (<see cref="PostgresApiKeyStore.Open"/>).</summary>
public sealed class PostgresApiKeyStoreTests : ApiKeyStoreContract
{
    private readonly List<IAsyncDisposable> _opened = [];
    private string _url = null!;

    protected override async Task<(IApiKeyStore Store, Func<ValueTask> Close)> OpenAsync()
    {
        _url = await PostgresFixture.NewDatabaseUrlAsync("keys");
        var node = await PostgresBackend.OpenAsync(_url, new Core.Tasks.TaskQueueOptions(), TimeProvider.System, null, CancellationToken.None);
        _opened.Add(node);
        return (node.ApiKeys, async () =>
        {
            foreach (var o in _opened)
            {
                await o.DisposeAsync();
            }
        });
    }

    protected override Task<IApiKeyStore> OpenAnotherAsync()
    {
        var cli = PostgresApiKeyStore.Open(_url);
        _opened.Add(cli);
        return Task.FromResult<IApiKeyStore>(cli);
    }
}
