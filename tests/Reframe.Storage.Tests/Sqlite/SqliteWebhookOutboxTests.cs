using Reframe.Core.Webhooks;
using Reframe.Storage.Sqlite;
using Reframe.Storage.Tests.Contracts;
using Reframe.TestSupport;

namespace Reframe.Storage.Tests.Sqlite;

/// <summary>The outbox contract on <c>webhooks.db</c> (one node: "another node" is the same outbox).</summary>
public sealed class SqliteWebhookOutboxTests : WebhookOutboxContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private SqliteWebhookOutbox _outbox = null!;

    protected override Task<(IWebhookOutbox Outbox, Func<ValueTask> Close)> OpenAsync()
    {
        _outbox = new SqliteWebhookOutbox(_dir.Path, Time);
        return Task.FromResult<(IWebhookOutbox, Func<ValueTask>)>((_outbox, () =>
        {
            _outbox.Dispose();
            return ValueTask.CompletedTask;
        }));
    }

    protected override Task<IWebhookOutbox> OpenAnotherNodeAsync() => Task.FromResult<IWebhookOutbox>(_outbox);

    public void Dispose() => _dir.Dispose();
}
