using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Services;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// Stands in for a process that dies after PostgreSQL committed a command but before the client got the answer:
/// for an Idempotency-Key whose text starts with <see cref="KeyPrefix"/>, the first commit that records its answer
/// throws once the transaction is durable, so the client never hears what happened.
/// </summary>
public sealed class CrashAfterCommit : DocumentSessionListenerBase
{
    public const string KeyPrefix = "crash-after-commit-";
    private static readonly ConcurrentDictionary<string, bool> Crashed = new();

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var answer in commit.Inserted.OfType<IdempotentRequest>())
            if (answer.Id.Contains($"|{KeyPrefix}", StringComparison.Ordinal) && Crashed.TryAdd(answer.Id, true))
                throw new SimulatedCrashException();
        return Task.CompletedTask;
    }
}

public sealed class SimulatedCrashException() : Exception("Simulated crash between the commit and the answer");

public sealed class when_a_command_is_retried_with_its_idempotency_key(AppFixture app) : IntegrationContext(app)
{
    private static Action<HttpRequestMessage> Key(string key) => r => r.Headers.Add(IdempotencyMiddleware.Header, key);

    private async Task<int> MeasurementCountAsync(Guid accountId, Guid commitmentId) =>
        (await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurements"]!.AsArray().Count;

    [Fact]
    public async Task a_retry_after_a_crash_between_commit_and_answer_gets_the_first_answer()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";
        var key = Key($"{CrashAfterCommit.KeyPrefix}{Guid.NewGuid()}");

        var lost = await PostAsync(url, AMonth(1, 90), key);
        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode); // the client never learns the outcome
        Assert.Equal(1, await MeasurementCountAsync(accountId, commitmentId)); // yet it was written

        var retry = await PostAsync(url, AMonth(1, 90), key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotentAnswers.ReplayedHeader).Single());
        var measurement = await GetJsonAsync(retry.Headers.Location!.ToString());
        Assert.Equal(90m, (decimal)measurement["value"]!);
        Assert.Equal("\"3\"", retry.Headers.ETag!.Tag);
        Assert.Equal(1, await MeasurementCountAsync(accountId, commitmentId));
    }

    [Fact]
    public async Task a_customer_sign_off_retried_after_a_crash_gets_the_first_answer_and_signs_once()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation";
        var key = $"{CrashAfterCommit.KeyPrefix}{Guid.NewGuid()}";
        HttpRequestMessage Confirm()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(new { comment = "Matches our books" }) };
            request.Headers.Add(IdempotencyMiddleware.Header, key);
            return request;
        }

        var lost = await customer.SendAsync(Confirm());
        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        var retry = await customer.SendAsync(Confirm());

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotentAnswers.ReplayedHeader).Single());
        var answer = JsonNode.Parse(await retry.Content.ReadAsStringAsync())!;
        Assert.Equal(4, (long)answer["version"]!);
        Assert.Equal("Jane Buyer", (string)answer["signer"]!["name"]!);
        Assert.Equal(4, (long)answer["receipt"]!["version"]!);
        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        Assert.Single(history, e => (string)e!["type"]! == "measurement_confirmed");
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_write_once_and_answer_alike()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(url, AMonth(2, 88), Key("same-moment"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.Location).Distinct());
        Assert.Equal(1, await MeasurementCountAsync(accountId, commitmentId));
    }

    [Fact]
    public async Task a_refusal_is_the_first_answer_too()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";
        await RecordAsync(accountId, commitmentId, AMonth(3, 85));

        var overlap = await PostAsync(url, AMonth(3, 80), Key("overlap"));
        var retry = await PostAsync(url, AMonth(3, 80), Key("overlap"));

        Assert.Equal(HttpStatusCode.Conflict, overlap.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotentAnswers.ReplayedHeader).Single());
        Assert.Equal(1, await MeasurementCountAsync(accountId, commitmentId));
    }

    [Fact]
    public async Task a_key_belongs_to_its_user_and_route()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";
        TimePassesUntilEnded(new DateOnly(2026, 5, 31));
        await PostAsync(url, AMonth(4, 84), Key("shared-key"));

        var otherUser = App.ClientFor(Roles.Csm, "robin.csm");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(AMonth(5, 83)) };
        Key("shared-key")(request);
        var theirs = await otherUser.SendAsync(request);
        var otherRoute = await PostAsync($"/api/accounts/{accountId}/prioritisation",
            new { abilityToPay = "high", willingnessToPay = "low", note = "review" }, Key("shared-key"));

        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains(IdempotentAnswers.ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, otherRoute.StatusCode);
        Assert.False(otherRoute.Headers.Contains(IdempotentAnswers.ReplayedHeader));
        Assert.Equal(2, await MeasurementCountAsync(accountId, commitmentId));
    }

    [Fact]
    public async Task an_expired_key_is_a_new_request()
    {
        var accountUrl = "/api/accounts";
        var first = await PostAsync(accountUrl, AnAccount(), Key("open-once"));
        App.Clock.Now = App.Clock.Now.AddHours(25);

        var later = await PostAsync(accountUrl, AnAccount(), Key("open-once"));

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.NotEqual(first.Headers.Location, later.Headers.Location);
        Assert.Equal(2, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task the_answer_is_stored_without_any_credential()
    {
        await PostAsync("/api/accounts", AnAccount(), Key("no-secrets"));

        await using var session = await SessionAsync();
        var stored = Assert.Single(await session.Query<IdempotentRequest>().ToListAsync());
        var token = Http.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.DoesNotContain(token, System.Text.Json.JsonSerializer.Serialize(stored));
        Assert.StartsWith("valueledger-local|casey.csm|POST /api/accounts|", stored.Id); // issuer|subject, route, key
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, JsonOptions), System.Text.Encoding.UTF8, "application/json");
}
