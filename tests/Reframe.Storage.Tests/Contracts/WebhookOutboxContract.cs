using Microsoft.Extensions.Time.Testing;
using Reframe.Core.Webhooks;

namespace Reframe.Storage.Tests.Contracts;

/// <summary>What every webhook outbox must do (SQLite, PostgreSQL): track once, promote once, claim without sharing, record attempts, purge.</summary>
public abstract class WebhookOutboxContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private IWebhookOutbox _outbox = null!;
    private Func<ValueTask> _close = () => ValueTask.CompletedTask;

    /// <summary>A fresh, empty outbox on <see cref="Time"/>, and how to close it.</summary>
    protected abstract Task<(IWebhookOutbox Outbox, Func<ValueTask> Close)> OpenAsync();

    /// <summary>A second handle on the same outbox, as another node would have (the same one where there is no such thing).</summary>
    protected abstract Task<IWebhookOutbox> OpenAnotherNodeAsync();

    public async Task InitializeAsync() => (_outbox, _close) = await OpenAsync();

    public async Task DisposeAsync() => await _close();

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TrackAsync_RecordsOneDeliveryPerTask_WaitingForItsEnd()
    {
        var task = Guid.NewGuid();
        await _outbox.TrackAsync(task, "owner", "https://example.com/hook", "http://api", None);
        await _outbox.TrackAsync(task, "owner", "https://example.com/other", "http://api", None);
        var waiting = await _outbox.WaitingAsync(None);
        var delivery = Assert.Single(waiting);
        Assert.Equal((task, "owner", "https://example.com/hook", "http://api", WebhookDeliveryState.WaitingForTaskEnd, 0),
            (delivery.TaskId, delivery.OwnerId, delivery.Url, delivery.PublicBaseUrl, delivery.State, delivery.Attempts));
        Assert.Empty(await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 10, None));
    }

    [Fact]
    public async Task MarkReadyAsync_FixesTheBodyOnce_AndMakesItDue()
    {
        var task = Guid.NewGuid();
        await _outbox.TrackAsync(task, "owner", "https://example.com/hook", "http://api", None);
        var id = (await _outbox.WaitingAsync(None))[0].DeliveryId;
        await _outbox.MarkReadyAsync(id, "{\"first\":1}", None);
        await _outbox.MarkReadyAsync(id, "{\"second\":2}", None); // a second promoter (another node) changes nothing
        var due = Assert.Single(await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 10, None));
        Assert.Equal(("{\"first\":1}", WebhookDeliveryState.Pending), (due.Body, due.State));
        Assert.Empty(await _outbox.WaitingAsync(None));
    }

    [Fact]
    public async Task ClaimDueAsync_HandsEachDeliveryToOneDispatcher_UntilTheClaimLapses()
    {
        var other = await OpenAnotherNodeAsync();
        for (var i = 0; i < 20; i++)
        {
            var task = Guid.NewGuid();
            await _outbox.TrackAsync(task, "owner", "https://example.com/hook", "http://api", None);
        }
        foreach (var w in await _outbox.WaitingAsync(None))
        {
            await _outbox.MarkReadyAsync(w.DeliveryId, "{}", None);
        }
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _outbox : other).ClaimDueAsync(TimeSpan.FromMinutes(1), 3, None))));
        var claimed = claims.SelectMany(c => c).Select(d => d.DeliveryId).ToList();
        Assert.Equal(20, claimed.Count);
        Assert.Equal(20, claimed.Distinct().Count());
        Assert.Empty(await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 100, None));
        Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)); // a dispatcher died mid-attempt
        Assert.Equal(20, (await other.ClaimDueAsync(TimeSpan.FromMinutes(1), 100, None)).Count);
    }

    [Fact]
    public async Task ReleaseClaimAsync_MakesTheDeliveryDueAtOnce_UnlessAnAttemptWasRecorded()
    {
        var other = await OpenAnotherNodeAsync();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await _outbox.TrackAsync(Guid.NewGuid(), "owner", "https://example.com/hook", "http://api", None);
        }
        foreach (var w in await _outbox.WaitingAsync(None))
        {
            await _outbox.MarkReadyAsync(w.DeliveryId, "{}", None);
        }
        var claimed = await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(10), 10, None);
        Assert.Equal(2, claimed.Count);
        Assert.Empty(await other.ClaimDueAsync(TimeSpan.FromMinutes(10), 10, None));

        // The first was attempted before a stale release arrives; the second never was.
        await _outbox.MarkFailedAttemptAsync(claimed[0], "HTTP 500", Time.GetUtcNow().AddMinutes(5), None);
        await _outbox.ReleaseClaimAsync(claimed[0], None);
        await _outbox.ReleaseClaimAsync(claimed[1], None);

        var again = Assert.Single(await other.ClaimDueAsync(TimeSpan.FromMinutes(10), 10, None));
        Assert.Equal((claimed[1].DeliveryId, 0), (again.DeliveryId, again.Attempts));

        // A release that comes after the claim lapsed and another node took it again gives away nothing.
        Time.Advance(TimeSpan.FromMinutes(11));
        await _outbox.ReleaseClaimAsync(again, None);
        var retaken = await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(10), 10, None);
        Assert.Contains(retaken, d => d.DeliveryId == claimed[1].DeliveryId);
        await _outbox.ReleaseClaimAsync(again, None); // stale: the claim is now the retaker's
        Assert.Empty(await other.ClaimDueAsync(TimeSpan.FromMinutes(10), 10, None));
    }

    [Fact]
    public async Task Attempts_AreRecorded_AndFinishedRecordsArePurged()
    {
        var delivered = Guid.NewGuid();
        var failing = Guid.NewGuid();
        var vanished = Guid.NewGuid();
        foreach (var t in new[] { delivered, failing, vanished })
        {
            await _outbox.TrackAsync(t, "owner", "https://example.com/hook", "http://api", None);
        }
        foreach (var w in await _outbox.WaitingAsync(None))
        {
            if (w.TaskId == vanished)
            {
                await _outbox.MarkAbandonedAsync(w.DeliveryId, "the task no longer exists", None);
            }
            else
            {
                await _outbox.MarkReadyAsync(w.DeliveryId, "{}", None);
            }
        }
        foreach (var d in await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 10, None))
        {
            if (d.TaskId == delivered)
            {
                await _outbox.MarkDeliveredAsync(d, None);
            }
            else
            {
                await _outbox.MarkFailedAttemptAsync(d, "HTTP 500", Time.GetUtcNow() + TimeSpan.FromSeconds(5), None);
            }
        }
        Assert.Equal((WebhookDeliveryState.Delivered, 1), State(await _outbox.FindByTaskAsync(delivered, None)));
        var retry = (await _outbox.FindByTaskAsync(failing, None))!;
        Assert.Equal((WebhookDeliveryState.Pending, 1, "HTTP 500"), (retry.State, retry.Attempts, retry.LastError));
        Assert.Empty(await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 10, None)); // not due for 5 s
        Time.Advance(TimeSpan.FromSeconds(6));
        var again = Assert.Single(await _outbox.ClaimDueAsync(TimeSpan.FromMinutes(1), 10, None));
        await _outbox.MarkFailedAttemptAsync(again, "HTTP 500", null, None); // given up
        Assert.Equal((WebhookDeliveryState.GaveUp, 2), State(await _outbox.FindByTaskAsync(failing, None)));
        Assert.Equal(WebhookDeliveryState.GaveUp, (await _outbox.FindByTaskAsync(vanished, None))!.State);

        Assert.Equal(0, await _outbox.PurgeAsync(TimeSpan.FromHours(1), None));
        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(3, await _outbox.PurgeAsync(TimeSpan.FromHours(1), None));
        Assert.Null(await _outbox.FindByTaskAsync(delivered, None));
    }

    private static (WebhookDeliveryState, int) State(WebhookDelivery? d) => (d!.State, d.Attempts);
}
