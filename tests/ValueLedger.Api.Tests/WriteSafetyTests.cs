using System.Net;
using System.Net.Http.Headers;

namespace ValueLedger.Api.Tests;

public sealed class when_writes_race_or_repeat(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task concurrent_writers_on_one_account_lose_nothing()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var month = 0;
        var writes = Enumerable.Range(1, 12).Select(m => PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", AMonth(m, 100 - m)))
            .Concat(Enumerable.Range(1, 8).Select(_ => PostAsync($"/api/accounts/{accountId}/prioritisation",
                new { abilityToPay = "high", willingnessToPay = "high", note = $"review {Interlocked.Increment(ref month)}" })));

        var responses = await Task.WhenAll(writes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal(12, commitment["measurements"]!.AsArray().Count);
        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.True((long)account["version"]! >= 2 + 20);
    }

    [Fact]
    public async Task if_match_on_an_old_version_is_412_and_writes_nothing()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var current = await Http.GetAsync($"/api/accounts/{accountId}");
        var etag = current.Headers.ETag!.Tag;
        Assert.Equal("\"2\"", etag);

        var stale = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", AMonth(1, 90),
            r => r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"")));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        var fresh = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", AMonth(1, 90),
            r => r.Headers.IfMatch.Add(new EntityTagHeaderValue(etag)));
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Equal("\"3\"", fresh.Headers.ETag!.Tag);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Single(commitment["measurements"]!.AsArray());
    }

    [Fact]
    public async Task a_retried_idempotency_key_returns_the_first_answer_and_writes_once()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "import-2026-01-line-7");
        TimePassesUntilEnded(new DateOnly(2026, 2, 28)); // both months ended, and the key has not expired in between

        var first = await PostAsync(url, AMonth(1, 90), Key);
        var retry = await PostAsync(url, AMonth(1, 90), Key);
        var reused = await PostAsync(url, AMonth(2, 90), Key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Single(commitment["measurements"]!.AsArray());
    }

    [Fact]
    public async Task creating_an_account_twice_with_one_key_opens_one_account()
    {
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "open-acme");
        var first = await PostAsync("/api/accounts", AnAccount(), Key);
        var second = await PostAsync("/api/accounts", AnAccount(), Key);

        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var list = await GetJsonAsync("/api/accounts");
        Assert.Equal(1, (int)list["totalItems"]!);
    }
}

public sealed class when_the_past_is_asked_for(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task version_gives_the_account_as_it_stood_then()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var live = await GetJsonAsync($"/api/accounts/{accountId}");
        await RecordAsync(accountId, commitmentId, AMonth(2, 85));

        var then = await GetJsonAsync($"/api/accounts/{accountId}?version=3");

        Assert.Equal((decimal)live["realizedValue"]!, (decimal)then["realizedValue"]!);
        Assert.Equal(3, (long)then["version"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/accounts/{accountId}?asOf=yesterday")).StatusCode);
    }
}
