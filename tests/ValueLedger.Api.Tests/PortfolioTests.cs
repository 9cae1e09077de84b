using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

public sealed class when_executives_read_the_portfolio(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_sums_the_accounts_per_currency_and_rates_are_ratios_of_the_sums()
    {
        var (acme, acmeScrap) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(acme, acmeScrap, AMonth(1, 90)); // realized 10,000 of 20,000 to date
        var beta = await OpenAccountAsync(AnAccount("Beta Mills", "outcomeCentric", "midMarket", "li"));
        var betaScrap = await CommitAsync(beta, AScrapRateCommitment());
        await RecordAsync(beta, betaScrap, AMonth(1, 82)); // realized 18,000 of 20,000 to date
        var gamma = await OpenAccountAsync(new { name = "Gamma Inc", industry = "Retail", segment = "enterprise", currency = "USD", approach = "productCentric", owner = "li" });
        var gammaRevenue = await CommitAsync(gamma, ARevenueCommitment());
        await RecordAsync(gamma, gammaRevenue, AMonth(1, 1100));

        var portfolio = await PortfolioAsync();

        var eur = Totals(portfolio, "EUR");
        Assert.Equal(480000m, (decimal)eur["promisedValue"]!);
        Assert.Equal(40000m, (decimal)eur["promisedToDate"]!);
        Assert.Equal(28000m, (decimal)eur["realizedValue"]!);
        Assert.Equal(0.7m, (decimal)eur["realizationRate"]!); // 28,000 / 40,000, not the average of 0.5 and 0.9
        Assert.Equal(2, (int)eur["accounts"]!);
        var usd = Totals(portfolio, "USD");
        var gammaView = await GetJsonAsync($"/api/accounts/{gamma}");
        Assert.Equal((decimal)gammaView["promisedValue"]!, (decimal)usd["promisedValue"]!);
        Assert.Equal((decimal)gammaView["realizedValue"]!, (decimal)usd["realizedValue"]!);
        Assert.Equal(["EUR", "USD"], portfolio["currencies"]!.AsArray().Select(c => (string)c!));

        var processCentric = Row(portfolio["byApproach"]!, "processCentric", "EUR");
        Assert.Equal(10000m, (decimal)processCentric["realizedValue"]!);
        Assert.Equal(18000m, (decimal)Row(portfolio["byApproach"]!, "outcomeCentric", "EUR")["realizedValue"]!);
        Assert.Equal(28000m, (decimal)Row(portfolio["byDriver"]!, "cost", "EUR")["realizedValue"]!);
        Assert.Equal((decimal)gammaView["realizedValue"]!, (decimal)Row(portfolio["byDriver"]!, "revenue", "USD")["realizedValue"]!);
        Assert.Equal(18000m, (decimal)Row(portfolio["bySegment"]!, "midMarket", "EUR")["realizedValue"]!);
        Assert.Equal(10000m, (decimal)Row(portfolio["byOwner"]!, "maria", "EUR")["realizedValue"]!);
        Assert.Equal(3, (int)portfolio["accounts"]!);
    }

    [Fact]
    public async Task it_lists_the_at_risk_commitments_worst_first()
    {
        var (small, smallScrap) = await OpenAccountWithCommitmentAsync();
        var big = await OpenAccountAsync(AnAccount("Big Foods"));
        var bigScrap = await CommitAsync(big, AScrapRateCommitment(unitValue: 5000));
        var (fine, fineScrap) = await OpenAccountWithCommitmentAsync();
        // By the end of June the straight path is at about 50% of the improvement; 10% and 20% are far behind it.
        foreach (var month in Enumerable.Range(1, 6))
        {
            await RecordAsync(small, smallScrap, AMonth(month, 96));
            await RecordAsync(big, bigScrap, AMonth(month, 98));
            await RecordAsync(fine, fineScrap, AMonth(month, 100 - 2 * month));
        }

        var portfolio = await PortfolioAsync();

        var atRisk = portfolio["atRisk"]!.AsArray();
        Assert.Equal([bigScrap, smallScrap], atRisk.Select(c => (Guid)c!["commitmentId"]!));
        Assert.Equal("Big Foods", (string)atRisk[0]!["accountName"]!);
        Assert.Contains("Behind the path to target", (string)atRisk[0]!["reason"]!);
        var bigView = await GetJsonAsync($"/api/accounts/{big}");
        Assert.Equal((decimal)bigView["atRiskValue"]!, (decimal)atRisk[0]!["atRiskValue"]!);
        Assert.Equal((decimal)bigView["atRiskValue"]! + (decimal)(await GetJsonAsync($"/api/accounts/{small}"))["atRiskValue"]!,
            (decimal)Totals(portfolio, "EUR")["atRiskValue"]!);
    }

    [Fact]
    public async Task as_of_a_moment_it_replays_the_same_projection_over_the_events_recorded_until_then()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        await RecordAsync(accountId, commitmentId, AMonth(2, 80));
        var laterAccount = await OpenAccountAsync(AnAccount("Opened later"));

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var januaryRecordedAt = (await session.Events.FetchStreamAsync(accountId)).Single(e => e.Version == 3).Timestamp;
        var then = await GetJsonAsync($"/api/portfolio?asOf={Uri.EscapeDataString(januaryRecordedAt.ToString("O"))}");
        var now = await PortfolioAsync();

        Assert.Equal(10000m, (decimal)Totals(then, "EUR")["realizedValue"]!);
        Assert.Equal(1, (int)then["accounts"]!);
        Assert.Equal(30000m, (decimal)Totals(now, "EUR")["realizedValue"]!);
        Assert.Equal(2, (int)now["accounts"]!);
        Assert.DoesNotContain(laterAccount.ToString(), then.ToJsonString());

        var beforeAnything = await GetJsonAsync($"/api/portfolio?asOf=2020-01-01T00:00:00Z");
        Assert.Equal(0, (int)beforeAnything["accounts"]!);
        Assert.Empty(beforeAnything["totals"]!.AsArray());
    }

    [Fact]
    public async Task it_reflects_each_write_as_soon_as_it_is_answered_and_equals_a_replay_of_the_events()
    {
        App.Clock.FollowSystemClock(); // the replay is as of a moment of the ledger's clock, coverage for its day
        var (accountId, commitmentId) = await OpenAccountWithRecentCommitmentAsync();
        await RecordAsync(accountId, commitmentId, LastMonth(90));
        var other = await OpenAccountAsync(AnAccount("Second account"));
        await CommitAsync(other, ARecentCommitment(1000));

        // No waiting for a daemon: the summaries are committed with the events the answers acknowledged.
        var now = await GetJsonAsync("/api/portfolio");
        Assert.Equal(10000m, (decimal)Totals(now, "EUR")["realizedValue"]!);
        Assert.Equal(2, (int)now["accounts"]!);
        Assert.Equal(5, (long)now["position"]!); // 3 events of the first account, 2 of the second

        var replayed = await GetJsonAsync($"/api/portfolio?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
        now.AsObject().Remove("asOf");
        replayed.AsObject().Remove("asOf");
        Assert.True(JsonNode.DeepEquals(now, replayed), $"live:\n{now}\nreplayed:\n{replayed}");

        var listed = await GetJsonAsync("/api/accounts?status=onTrack");
        Assert.Equal([accountId], listed["items"]!.AsArray().Select(i => (Guid)i!["id"]!));
    }

    [Fact]
    public async Task customers_may_not_read_it_and_a_bad_point_in_time_is_400()
    {
        var accountId = await OpenAccountAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Customer, "jane", accountId).GetAsync("/api/portfolio")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ClientFor(null).GetAsync("/api/portfolio")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ClientFor(Roles.Auditor).GetAsync("/api/portfolio")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/portfolio?asOf=last-tuesday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/portfolio?version=3")).StatusCode);
    }

    private async Task<JsonNode> PortfolioAsync()
    {
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        return await GetJsonAsync("/api/portfolio");
    }

    private async Task<Guid> CommitAsync(Guid accountId, object commitment)
    {
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", commitment);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    private static JsonNode Totals(JsonNode portfolio, string currency) =>
        portfolio["totals"]!.AsArray().Single(t => (string)t!["currency"]! == currency)!;

    private static JsonNode Row(JsonNode breakdown, string key, string currency) =>
        breakdown.AsArray().Single(r => (string)r!["key"]! == key && (string)r["currency"]! == currency)!;

    public static object AScrapRateCommitment(decimal unitValue) => new
    {
        driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
        baseline = new { value = 100, asOf = "2025-12-31", source = "ERP" },
        target = 80, unitValue, periodStart = "2026-01-01", periodEnd = "2026-12-31",
        cadence = "monthly", owner = "joint", confidence = "medium"
    };

    public static object ARevenueCommitment() => new
    {
        driver = "revenue", metric = "Orders per month", unit = "orders", direction = "higherIsBetter",
        baseline = new { value = 1000, asOf = "2025-12-31", source = "CRM" },
        target = 1200, unitValue = 50, periodStart = "2026-01-01", periodEnd = "2026-12-31",
        cadence = "monthly", owner = "seller", confidence = "high"
    };
}
