using System.Net;

namespace ValueLedger.Api.Tests;

public sealed class when_value_is_committed(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task the_commitment_shows_its_terms_and_promised_value()
    {
        var accountId = await OpenAccountAsync();
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", AScrapRateCommitment());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var commitment = await GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal("Scrap rate", (string)commitment["metric"]!);
        Assert.Equal(240000m, (decimal)commitment["promisedValue"]!);
        Assert.Equal("notStarted", (string)commitment["status"]!);
        Assert.Null(commitment["progress"]);
        Assert.Equal(1, commitment["revisions"]!.AsArray().Count);
        Assert.Equal("processCentric", (string)commitment["approach"]!);
    }

    [Fact]
    public async Task a_target_that_is_no_improvement_is_422()
    {
        var accountId = await OpenAccountAsync();
        var body = new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = "2025-12-31", source = "ERP" }, target = 120, unitValue = 1000,
            periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
        };
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task bad_fields_are_400_and_an_unknown_account_404()
    {
        var accountId = await OpenAccountAsync();
        var bad = await PostAsync($"/api/accounts/{accountId}/commitments", new { driver = "cost", metric = "x", unitValue = -5, periodStart = "2026-05-01", periodEnd = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadAsync(bad))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("unitvalue", errors);
        Assert.Contains("periodend", errors);
        Assert.Contains("baseline", errors);

        var impossibleDate = await PostRawAsync($"/api/accounts/{accountId}/commitments", "{\"periodStart\":\"2026-02-30\"}");
        Assert.Equal(HttpStatusCode.BadRequest, impossibleDate.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"/api/accounts/{Guid.NewGuid()}/commitments", AScrapRateCommitment())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/accounts/{accountId}/commitments/{Guid.NewGuid()}")).StatusCode);
    }
}

public sealed class when_a_commitment_is_revised(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task earlier_measurements_keep_the_terms_in_force_then_and_every_version_stays_visible()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/revisions",
            new { unitValue = 2000, effectiveFrom = "2026-02-01", reason = "New energy prices from February" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await RecordAsync(accountId, commitmentId, AMonth(2, 90));

        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal(2, commitment["revisions"]!.AsArray().Count);
        Assert.Equal("New energy prices from February", (string)commitment["revisions"]![1]!["reason"]!);
        Assert.Equal(10000m + 20000m, (decimal)commitment["realizedValue"]!);
        Assert.Equal(20000m + 11 * 40000m, (decimal)commitment["promisedValue"]!);
    }

    [Fact]
    public async Task a_revision_needs_a_reason_and_a_change()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/revisions", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var keys = (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("reason", keys);
        Assert.Contains("terms", keys);
    }
}

public sealed class when_a_commitment_is_withdrawn(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_is_withdrawn_with_its_reason_and_takes_no_more_measurements()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();

        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/withdrawal", new { reason = "Line closed" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal("withdrawn", (string)commitment["status"]!);
        Assert.Equal("Line closed", (string)commitment["withdrawal"]!["reason"]!);
        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(0m, (decimal)account["promisedValue"]!);

        var measurement = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", AMonth(1, 90));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, measurement.StatusCode);
        var again = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/withdrawal", new { reason = "Twice" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/withdrawal", new { })).StatusCode);
    }
}
