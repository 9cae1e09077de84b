using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using ValueLedger.Api.Features.Webhooks;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Audit;

namespace ValueLedger.Api.Tests.Webhooks;

/// <summary>
/// One receiver that never answers and one that does, both subscribed: a burst to the hanging one does not hold up the
/// other. Each attempt may wait the full timeout (10 s), so the hanging receiver's burst would hold a shared queue for
/// minutes; deliveries are partitioned by subscription, and a subscription that timed out sends its other deliveries
/// to the retry schedule instead of each waiting out the timeout.
/// </summary>
public sealed class when_one_webhook_receiver_hangs(AppFixture app) : IntegrationContext(app), IAsyncLifetime
{
    private const int Burst = 60;
    private WebhookReceiver _slow = null!;
    private WebhookReceiver _fast = null!;
    private HttpClient Admin => App.ClientFor(Roles.Admin, "ada.admin");

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _slow = await WebhookReceiver.StartAsync();
        _slow.Hangs = true;
        _fast = await WebhookReceiver.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        await _slow.DisposeAsync();
        await _fast.DisposeAsync();
    }

    private async Task<Guid> SubscribeAsync(WebhookReceiver receiver, string events)
    {
        var response = await Admin.PostAsync("/api/webhooks", JsonContent.Create(new { url = receiver.Url, events = new[] { events } }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (Guid)(await ReadAsync(response))["webhook"]!["id"]!;
    }

    private async Task<JsonArray> DeliveriesAsync(Guid webhookId) =>
        (await ReadAsync(await Admin.GetAsync($"/api/webhooks/{webhookId}/deliveries?pageSize=200")))["items"]!.AsArray();

    [Fact]
    public async Task the_other_receiver_still_gets_its_delivery_while_the_hanging_one_has_a_burst_waiting()
    {
        var slowId = await SubscribeAsync(_slow, WebhookEventTypes.All);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        for (var i = 1; i < Burst; i++)
        {
            var correction = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections",
                new { value = 90 + i / 100m, reason = $"Recount {i}" });
            Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        }
        await Eventually.Async(() => Task.FromResult(_slow.Received.Count > 0), TimeSpan.FromSeconds(30), "the hanging receiver to be called");

        await SubscribeAsync(_fast, WebhookEventTypes.MeasurementRecorded);
        var later = await RecordAsync(accountId, commitmentId, AMonth(2, 88));

        // A shared queue of 16 would hold the fast delivery behind at least three rounds of 10 s timeouts (60 deliveries
        // ahead of it); here it waits for at most one timeout (when the two subscriptions hash to the same lane).
        await Eventually.Async(() => Task.FromResult(_fast.Answered.Any()), TimeSpan.FromSeconds(20), "the fast receiver's delivery");
        var received = Assert.Single(_fast.Answered);
        Assert.Equal(later, (Guid)JsonNode.Parse(received.Body)!["data"]!["measurementId"]!);

        // The hanging receiver was really tried, timed out, and its other deliveries went to their retry schedule
        // rather than each waiting out the timeout.
        await Eventually.Async(async () => (await DeliveriesAsync(slowId)).Any(d => ((string?)d!["lastError"])?.StartsWith("No answer within") == true),
            TimeSpan.FromSeconds(30), "a timed-out attempt in the hanging receiver's log");
        await Eventually.Async(async () => (await DeliveriesAsync(slowId)).Any(d => ((string?)d!["lastError"])?.StartsWith("Not sent") == true),
            TimeSpan.FromSeconds(30), "deliveries held back from the hanging receiver");
        Assert.DoesNotContain(await DeliveriesAsync(slowId), d => (string)d!["status"]! == "delivered");
    }
}
