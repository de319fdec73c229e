using Reframe.Core.Tasks;
using Reframe.Core.Webhooks;
using Reframe.Storage.Postgres;
using Reframe.Storage.Tests.Contracts;

namespace Reframe.Storage.Tests.Postgres;

/// <summary>The outbox contract on PostgreSQL; "another node" is a second backend with its own pool.</summary>
public sealed class PostgresWebhookOutboxTests : WebhookOutboxContract
{
    private readonly List<PostgresBackend> _nodes = [];
    private string _url = null!;

    protected override async Task<(IWebhookOutbox Outbox, Func<ValueTask> Close)> OpenAsync()
    {
        _url = await PostgresFixture.NewDatabaseUrlAsync("outbox");
        return (await OpenAnotherNodeAsync(), async () =>
        {
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }
        });
    }

    protected override async Task<IWebhookOutbox> OpenAnotherNodeAsync()
    {
        var node = await PostgresBackend.OpenAsync(_url, new TaskQueueOptions(), Time, null, CancellationToken.None);
        _nodes.Add(node);
        return node.Outbox;
    }
}
