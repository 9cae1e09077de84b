using System.Net;
using System.Text.Json.Nodes;
using StandardWebhooks;
using ValueLedger.Api.Features.Webhooks;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Audit;

namespace ValueLedger.Api.Tests.Webhooks;

/// <summary>Webhooks against a real HTTP receiver on loopback (the test host runs in local mode, which allows it).</summary>
public sealed class when_the_ledger_announces_changes_to_webhooks(AppFixture app) : IntegrationContext(app), IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private HttpClient Admin => App.ClientFor(Roles.Admin, "ada.admin");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public new async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<(Guid Id, string Secret)> SubscribeAsync(params string[] events)
    {
        var response = await Admin.PostAsync("/api/webhooks", JsonBody(new { url = _receiver.Url, events, description = "CRM sync" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadAsync(response);
        return ((Guid)body["webhook"]!["id"]!, (string)body["secret"]!);
    }

    private static StringContent JsonBody(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, JsonOptions), System.Text.Encoding.UTF8, "application/json");

    private async Task<JsonArray> DeliveriesAsync(Guid webhookId) =>
        (await ReadAsync(await Admin.GetAsync($"/api/webhooks/{webhookId}/deliveries")))["items"]!.AsArray();

    private Task UntilReceivedAsync(int count, string what) =>
        Eventually.Async(() => Task.FromResult(_receiver.Received.Count(r => r.AnsweredWith < 300) >= count), Patience, what);

    /// <summary>
    /// As the Standard Webhooks spec has receivers check: one of the space-separated <c>v1,</c> signatures is the
    /// HMAC of "{webhook-id}.{webhook-timestamp}.{body}" with the secret, and the timestamp is recent.
    /// </summary>
    private static void AssertSigned(ReceivedWebhook received, string secret)
    {
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Headers["webhook-timestamp"].ToString()));
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains(new StandardWebhook(secret).Sign(received.Id, sentAt, received.Body), received.Headers["webhook-signature"].ToString().Split(' '));
    }

    [Fact]
    public async Task a_recorded_measurement_arrives_as_a_cloud_event_signed_with_the_subscriptions_secret()
    {
        var (webhookId, secret) = await SubscribeAsync(WebhookEventTypes.MeasurementRecorded);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        await UntilReceivedAsync(1, "the measurement's CloudEvent");
        var received = Assert.Single(_receiver.Received);
        AssertSigned(received, secret);
        new StandardWebhook(secret).Verify(received.Body, received.Headers); // and as the package's verifier sees it
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(
            () => new StandardWebhook(WebhookSubscription.NewSecret()).Verify(received.Body, received.Headers));
        Assert.Equal("application/cloudevents+json", received.Headers.ContentType.ToString().Split(';')[0]);
        var cloudEvent = JsonNode.Parse(received.Body)!;
        Assert.Equal("1.0", (string)cloudEvent["specversion"]!);
        Assert.Equal(WebhookEventTypes.MeasurementRecorded, (string)cloudEvent["type"]!);
        Assert.Equal($"/valueledger/accounts/{accountId}", (string)cloudEvent["source"]!);
        Assert.Equal($"commitments/{commitmentId}/measurements/{measurementId}", (string)cloudEvent["subject"]!);
        Assert.Equal(accountId, (Guid)cloudEvent["data"]!["accountId"]!);
        Assert.Equal(measurementId, (Guid)cloudEvent["data"]!["measurementId"]!);
        Assert.Equal(90m, (decimal)cloudEvent["data"]!["value"]!);

        await Eventually.Async(async () => (string)(await DeliveriesAsync(webhookId))[0]!["status"]! == "delivered", Patience, "the log to say delivered");
        var logged = (await DeliveriesAsync(webhookId)).Single()!;
        Assert.Equal(received.Id, (string)logged["id"]!);
        Assert.Equal(1, (int)logged["attempts"]!);
        Assert.Equal(204, (int)logged["lastStatusCode"]!);
        Assert.NotNull(logged["lastLatencyMs"]);

        // Types the subscription did not ask for are not sent: a correction is not a recording.
        var correction = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections",
            new { value = 91, reason = "Late ERP line" });
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        var second = await RecordAsync(accountId, commitmentId, AMonth(2, 88));
        await UntilReceivedAsync(2, "the second recording");
        Assert.Equal([measurementId, second], _receiver.Received.Select(r => (Guid)JsonNode.Parse(r.Body)!["data"]!["measurementId"]!));
    }

    [Fact]
    public async Task with_the_receiver_down_the_delivery_arrives_once_it_is_back_once_per_webhook_id()
    {
        var (webhookId, secret) = await SubscribeAsync(WebhookEventTypes.All);
        await _receiver.StopAsync();
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        await Eventually.Async(async () => (await DeliveriesAsync(webhookId)) is [{ } d] && (string)d["status"]! == "retrying",
            Patience, "a failed attempt in the log");
        var failed = (await DeliveriesAsync(webhookId)).Single()!;
        Assert.Null(failed["lastStatusCode"]);
        Assert.False(string.IsNullOrEmpty((string?)failed["lastError"]));

        await _receiver.StartAgainAsync();
        await UntilReceivedAsync(1, "the delivery after the receiver came back");
        await Eventually.Async(async () => (string)(await DeliveriesAsync(webhookId))[0]!["status"]! == "delivered", Patience, "the log to say delivered");
        var received = Assert.Single(_receiver.Received);
        AssertSigned(received, secret);
        Assert.Equal((string)failed["id"]!, received.Id);
        Assert.True((int)(await DeliveriesAsync(webhookId))[0]!["attempts"]! >= 2);
    }

    [Fact]
    public async Task a_dead_lettered_delivery_is_visible_and_replays_with_the_same_webhook_id()
    {
        _receiver.Answer = 500;
        var (webhookId, secret) = await SubscribeAsync(WebhookEventTypes.MeasurementRecorded);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        await Eventually.Async(async () => (string)((await DeliveriesAsync(webhookId)).SingleOrDefault()?["status"] ?? "") == "deadLettered",
            TimeSpan.FromSeconds(90), "the delivery to be dead-lettered after its retries");
        var dead = (await DeliveriesAsync(webhookId)).Single()!;
        Assert.Equal(AppFixture.WebhookRetryDelays.Length + 1, (int)dead["attempts"]!);
        Assert.Equal(500, (int)dead["lastStatusCode"]!);
        Assert.Equal(AppFixture.WebhookRetryDelays.Length + 1, _receiver.Received.Count);

        _receiver.Answer = 200;
        var replay = await Admin.PostAsync($"/api/webhooks/{webhookId}/deliveries/{(string)dead["id"]!}/replay", JsonBody(new { }));
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await UntilReceivedAsync(1, "the replayed delivery");
        await Eventually.Async(async () => (string)(await DeliveriesAsync(webhookId))[0]!["status"]! == "delivered", Patience, "the log to say delivered");
        var delivered = _receiver.Received.Single(r => r.AnsweredWith == 200);
        AssertSigned(delivered, secret);
        Assert.Equal((string)dead["id"]!, delivered.Id);
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
        Assert.Equal(1, (int)(await DeliveriesAsync(webhookId))[0]!["replays"]!);

        var again = await Admin.PostAsync($"/api/webhooks/{webhookId}/deliveries/{(string)dead["id"]!}/replay", JsonBody(new { }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task a_paused_subscription_holds_its_deliveries_until_resumed_and_a_rotated_secret_signs_beside_the_old_one()
    {
        var (webhookId, oldSecret) = await SubscribeAsync(WebhookEventTypes.MeasurementRecorded);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/api/webhooks/{webhookId}/pause", JsonBody(new { }))).StatusCode);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        await Eventually.Async(async () => (await DeliveriesAsync(webhookId)) is [{ } d] && (string)d["status"]! == "held", Patience, "a held delivery");
        Assert.Empty(_receiver.Received);

        var rotated = await ReadAsync(await Admin.PostAsync($"/api/webhooks/{webhookId}/secret", JsonBody(new { })));
        var newSecret = (string)rotated["secret"]!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(rotated["webhook"]!["previousSecretUntil"]);
        var listed = await ReadAsync(await Admin.GetAsync("/api/webhooks"));
        Assert.DoesNotContain(newSecret, listed.ToJsonString());
        Assert.DoesNotContain(oldSecret, listed.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/api/webhooks/{webhookId}/resume", JsonBody(new { }))).StatusCode);
        await UntilReceivedAsync(1, "the held delivery after resuming");
        var received = Assert.Single(_receiver.Received);
        Assert.Equal(2, received.Headers["webhook-signature"].ToString().Split(' ').Length);
        AssertSigned(received, newSecret);
        AssertSigned(received, oldSecret);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/webhooks/{webhookId}/deliveries")).StatusCode);
    }

    [Fact]
    public async Task a_commitment_that_turns_at_risk_is_announced()
    {
        var (_, secret) = await SubscribeAsync(WebhookEventTypes.CommitmentAtRisk);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 96)); // on track
        await RecordAsync(accountId, commitmentId, AMonth(2, 99)); // behind the path by more than the tolerance

        await UntilReceivedAsync(1, "the at-risk CloudEvent");
        var received = Assert.Single(_receiver.Received);
        AssertSigned(received, secret);
        var cloudEvent = JsonNode.Parse(received.Body)!;
        Assert.Equal(WebhookEventTypes.CommitmentAtRisk, (string)cloudEvent["type"]!);
        Assert.Equal(commitmentId, (Guid)cloudEvent["data"]!["commitmentId"]!);
        Assert.Equal("Scrap rate", (string)cloudEvent["data"]!["metric"]!);
    }

    [Fact]
    public async Task a_subscription_names_its_bad_fields_and_only_admins_manage_them()
    {
        var bad = await Admin.PostAsync("/api/webhooks", JsonBody(new { url = "ftp://crm.example/hook", events = new[] { "valueledger.nothing" } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadAsync(bad))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains(errors, e => e.StartsWith("events"));

        var badUrl = await Admin.PostAsync("/api/webhooks", JsonBody(new { url = "ftp://crm.example/hook", events = new[] { "*" } }));
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.NotNull((await ReadAsync(badUrl))["errors"]!["url"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Csm).PostAsync("/api/webhooks",
            JsonBody(new { url = _receiver.Url, events = new[] { "*" } }))).StatusCode);
    }
}

/// <summary>Production settings: destinations in private networks are refused, when subscribing and at each connection.</summary>
public sealed class when_a_webhook_points_into_a_private_network
{
    private readonly Destinations _production = new(allowPrivateNetworks: false);

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.0.0.7/hook")]
    [InlineData("http://172.20.1.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    public async Task subscribing_it_is_refused(string url) =>
        Assert.Contains("private, loopback or link-local", await _production.RefusalAsync(url, CancellationToken.None));

    [Fact]
    public async Task a_public_address_is_accepted_and_local_mode_accepts_loopback()
    {
        Assert.Null(await _production.RefusalAsync("https://93.184.215.14/hook", CancellationToken.None));
        Assert.Null(await new Destinations(allowPrivateNetworks: true).RefusalAsync("http://127.0.0.1:8080/hook", CancellationToken.None));
        Assert.NotNull(await _production.RefusalAsync("https://user:pw@93.184.215.14/hook", CancellationToken.None));
    }

    [Fact]
    public async Task a_delivery_connecting_to_a_private_address_is_refused_even_when_the_name_was_public_before()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = _production.ConnectAsync, AllowAutoRedirect = false });
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(receiver.Url.Replace("127.0.0.1", "localhost"), new StringContent("{}")));
        Assert.Contains("no public address", refused.Message + refused.InnerException?.Message);
        Assert.Empty(receiver.Received);
    }
}
