using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace ValueLedger.Api.Tests;

public sealed class when_a_measurement_is_recorded(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task the_account_view_follows_the_formulas_of_the_domain()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var view = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(240000m, (decimal)view["promisedValue"]!);
        Assert.Equal(20000m, (decimal)view["promisedToDate"]!);
        Assert.Equal(10000m, (decimal)view["realizedValue"]!);
        Assert.Equal(0.5m, (decimal)view["realizationRate"]!);
        var commitment = view["commitments"]![0]!;
        Assert.Equal(0.5m, (decimal)commitment["progress"]!);
        Assert.Equal("onTrack", (string)commitment["status"]!);
        Assert.Equal(3, (long)view["version"]!);
    }

    [Fact]
    public async Task an_overlapping_period_is_409_pointing_to_the_correction_route()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var first = await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-15", periodEnd = "2026-02-15", value = 88 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ReadAsync(response);
        Assert.Equal($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{first}/corrections", (string)problem["correctionRoute"]!);
    }

    [Fact]
    public async Task a_period_outside_the_commitment_is_422_and_bad_fields_400()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var outside = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2025-12-01", periodEnd = "2025-12-31", value = 95 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);

        var bad = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-01", evidenceUrl = "not a link" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var keys = (await ReadAsync(bad))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("value", keys);
        Assert.Contains("periodend", keys);
        Assert.Contains("evidenceurl", keys);

        var hugeNumber = await PostRawAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            "{\"periodStart\":\"2026-01-01\",\"periodEnd\":\"2026-01-31\",\"value\":1e400}");
        Assert.Equal(HttpStatusCode.BadRequest, hugeNumber.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound,
            (await PostAsync($"/api/accounts/{accountId}/commitments/{Guid.NewGuid()}/measurements", AMonth(1, 90))).StatusCode);
    }

    [Fact]
    public async Task a_commitment_that_goes_unmeasured_for_two_periods_turns_stale_and_at_risk()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        App.Clock.Now = new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await bus.InvokeAsync<Written>(new CheckFreshness(accountId, commitmentId));
        Assert.Equal("onTrack", (string)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);

        App.Clock.Now = new DateTimeOffset(2026, 4, 1, 0, 0, 1, TimeSpan.Zero);
        await bus.InvokeAsync<Written>(new CheckFreshness(accountId, commitmentId));

        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal("atRisk", (string)commitment["status"]!);
        Assert.Contains("Stale", (string)commitment["statusReason"]!);
        Assert.Contains(commitment["gaps"]!.AsArray(), g => (string)g!["code"]! == "stale");
    }
}

public sealed class when_a_measurement_is_corrected(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_supersedes_the_old_value_keeps_it_in_history_and_needs_confirming_again()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}";
        Assert.Equal(HttpStatusCode.Created, (await App.ClientFor(Roles.Customer, "Jane Buyer", accountId).PostAsJsonAsync($"{route}/confirmation", new { })).StatusCode);

        var response = await PostAsync($"{route}/corrections", new { value = 85, reason = "Meter misread", evidenceUrl = "https://erp.example/fix" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var measurement = await GetJsonAsync(route);
        Assert.Equal(85m, (decimal)measurement["value"]!);
        Assert.Equal(2, (int)measurement["revision"]!);
        Assert.Equal([90m, 85m], measurement["history"]!.AsArray().Select(h => (decimal)h!["value"]!));
        Assert.Equal("unconfirmed", (string)measurement["verification"]!);
        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(15000m, (decimal)account["realizedValue"]!);
    }

    [Fact]
    public async Task a_correction_needs_a_reason_and_a_known_measurement()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        Assert.Equal(HttpStatusCode.BadRequest,
            (await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections", new { value = 85 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{Guid.NewGuid()}/corrections", new { value = 85, reason = "x" })).StatusCode);
    }
}

public sealed class when_the_customer_verifies_a_measurement(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task a_confirmation_shows_who_and_when_and_a_second_one_is_422()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}";

        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/confirmation", new { confirmedBy = "Jane Buyer", comment = "Matches our books" })).StatusCode);

        var measurement = await GetJsonAsync(route);
        Assert.Equal("confirmed", (string)measurement["verification"]!);
        Assert.Equal("jane@buyer.example", (string)measurement["verifiedBy"]!["by"]!);
        Assert.Equal(AppFixture.Today, (DateTimeOffset)measurement["verifiedBy"]!["at"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await customer.PostAsJsonAsync($"{route}/confirmation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await customer.PostAsJsonAsync($"{route}/confirmation", new { comment = new string('x', 2001) })).StatusCode);
    }

    [Fact]
    public async Task a_dispute_puts_the_commitment_at_risk()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}";

        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/dispute", new { reason = "Includes the pilot line" })).StatusCode);

        var view = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal("atRisk", (string)view["commitments"]![0]!["status"]!);
        Assert.Equal("low", (string)view["commitments"]![0]!["confidence"]!);
        Assert.True((decimal)view["atRiskValue"]! > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await customer.PostAsJsonAsync($"{route}/dispute", new { disputedBy = "Jane" })).StatusCode);
    }
}
