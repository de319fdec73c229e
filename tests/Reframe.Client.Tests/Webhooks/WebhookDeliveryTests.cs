using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reframe.Core.Webhooks;
using Reframe.Workers.Webhooks;
using Reframe.Client.Tests.Support;
using Reframe.TestSupport;

namespace Reframe.Client.Tests.Webhooks;

/// <summary>Webhooks from the real service to a real receiver on loopback.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly Dictionary<string, string> FastRetries = new()
    {
        ["REFRAME_ALLOW_PRIVATE_URLS"] = "true", // the receiver is on loopback
        ["REFRAME_WEBHOOK_BACKOFF_MS"] = "100",
        // Capped so that a slow shutdown on a loaded machine (more failed attempts, each doubling the delay) cannot
        // push the next attempt past the tests' 30-second wait.
        ["REFRAME_WEBHOOK_MAX_BACKOFF_SECONDS"] = "1",
    };

    [Fact]
    public async Task Webhook_IsSignedAndRetriedWithStableDeliveryId_WhenReceiverFailsTwice()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var service = await ReframeService.StartAsync(FastRetries);
        using var client = service.CreateClient();

        var final = await client.RunAsync(new GenerationRequest
        {
            VideoUrl = await DataUri.FromFileAsync(SmallClips.Small4x3),
            AspectRatio = ReframeAspectRatio.Landscape16x9,
            WebhookUrl = receiver.Url.AbsoluteUri,
        });
        await receiver.WaitForAsync(3, TimeSpan.FromSeconds(30));

        var deliveries = receiver.Received;
        Assert.Single(deliveries.Select(d => d.Header(WebhookSignature.DeliveryHeader)).Distinct());
        Assert.Equal(["1", "2", "3"], deliveries.Select(d => d.Header(WebhookSignature.AttemptHeader)));
        var secret = Encoding.UTF8.GetBytes(TestSecrets.Webhook);
        Assert.All(deliveries, d => Assert.True(WebhookSignature.Verify(secret, d.Body, d.Header(WebhookSignature.SignatureHeader))));
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].Body, d.Body));
        Assert.All(deliveries, d => Assert.True(long.Parse(d.Header(WebhookSignature.TimestampHeader), System.Globalization.CultureInfo.InvariantCulture) > 1_700_000_000));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("another-secret-0123456789"), deliveries[0].Body, deliveries[0].Header(WebhookSignature.SignatureHeader)));

        var posted = JsonSerializer.Deserialize(deliveries[0].Body, ReframeJsonContext.Default.Generation)!;
        Assert.Equal(final.Id, posted.Id);
        Assert.Equal(GenerationStatus.Completed, posted.Status);
        Assert.Equal(final.Video!.Url, posted.Video!.Url);

        var record = await WaitForStateAsync(service, final.Id, WebhookDeliveryState.Delivered);
        Assert.Equal(3, record.Attempts);
        await Task.Delay(500);
        Assert.Equal(3, receiver.Received.Count); // delivered means no more attempts
    }

    [Fact]
    public async Task Webhook_IsDeliveredByNextProcess_WhenReceiverWasDownBeforeRestart()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: int.MaxValue);
        var dataDirectory = TempPaths.NewDirectory("reframe-restart");
        var key = "restart-key-0123456789";
        var settings = new Dictionary<string, string>(FastRetries) { ["REFRAME_WORKERS"] = "0" };
        string id;
        await using (var first = await ReframeService.StartAsync(settings, dataDirectory, key))
        {
            using var client = first.CreateClient();
            id = (await client.SubmitAsync(new GenerationRequest { VideoUrl = "https://example.com/a.mp4", WebhookUrl = receiver.Url.AbsoluteUri })).Id;
            await client.CancelAsync(id); // the task ends (cancelled): its webhook is due
            await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        }
        var failedAttempts = receiver.Received.Count;
        receiver.FailFirst = failedAttempts; // the receiver is back

        await using (var second = await ReframeService.StartAsync(settings, dataDirectory, key))
        {
            var record = await WaitForStateAsync(second, id, WebhookDeliveryState.Delivered);
            // An attempt cut off by the first process's shutdown may be seen by the receiver but not counted.
            Assert.InRange(record.Attempts, Math.Max(2, failedAttempts), failedAttempts + 1);
        }

        Assert.Equal(failedAttempts + 1, receiver.Received.Count); // exactly one more: the successful one

        Assert.Single(receiver.Received.Select(d => d.Header(WebhookSignature.DeliveryHeader)).Distinct());
        var posted = JsonSerializer.Deserialize(receiver.Received[^1].Body, ReframeJsonContext.Default.Generation)!;
        Assert.Equal("cancelled", posted.Error!.Name);
        TempPaths.TryDelete(dataDirectory);
    }

    [Fact]
    public async Task Webhook_IsNotSent_WhenUrlIsOnPrivateNetworkAndPrivateUrlsAreNotAllowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string>
        {
            ["REFRAME_WORKERS"] = "0",
            ["REFRAME_WEBHOOK_BACKOFF_MS"] = "100",
        });
        using var client = service.CreateClient();
        var id = (await client.SubmitAsync(new GenerationRequest { VideoUrl = "https://example.com/a.mp4", WebhookUrl = receiver.Url.AbsoluteUri })).Id;
        await client.CancelAsync(id);

        var record = await WaitForStateAsync(service, id, WebhookDeliveryState.GaveUp);

        Assert.Empty(receiver.Received);
        Assert.Equal(1, record.Attempts); // refused addresses are final, not retried
        Assert.Contains("127.0.0.1", record.LastError, StringComparison.Ordinal);
    }

    private static async Task<WebhookDelivery> WaitForStateAsync(ReframeService service, string id, WebhookDeliveryState state)
    {
        var outbox = service.Services.GetRequiredService<IWebhookOutbox>();
        var taskId = Guid.Parse(id.AsSpan(0, 36));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var record = await outbox.FindByTaskAsync(taskId, CancellationToken.None);
            if (record?.State == state)
            {
                return record;
            }
            Assert.True(DateTime.UtcNow < deadline, $"delivery of {id} is {record?.State} ({record?.LastError}), expected {state}");
            await Task.Delay(100);
        }
    }
}
