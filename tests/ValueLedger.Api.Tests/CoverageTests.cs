using System.Net;

namespace ValueLedger.Api.Tests;

/// <summary>
/// Honest coverage through the API (domain.md, More rules): a figure for a period that has not ended is refused unless
/// provisional, a provisional one counts in no total, and every realization rate comes with its coverage and the
/// unmeasured periods named. The test clock stands at 10 February 2026 unless a test moves it.
/// </summary>
public sealed class when_coverage_is_asked_for(AppFixture app) : IntegrationContext(app)
{
    private static string Measurements(Guid accountId, Guid commitmentId) => $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";

    [Fact]
    public async Task a_figure_for_this_month_is_422_unless_provisional_and_a_provisional_one_counts_in_no_total()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90)); // the clock moves to 1 February

        var early = await PostRawAsync(Measurements(accountId, commitmentId), """{"periodStart":"2026-02-01","periodEnd":"2026-02-28","value":85}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Equal("Period not ended", (string)(await ReadAsync(early))["title"]!);

        var provisional = await PostRawAsync(Measurements(accountId, commitmentId),
            """{"periodStart":"2026-02-01","periodEnd":"2026-02-28","value":85,"provisional":true}""");
        Assert.Equal(HttpStatusCode.Created, provisional.StatusCode);
        var provisionalId = (await ReadAsync(provisional))["id"]!.GetValue<Guid>();

        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(10_000m, (decimal)account["realizedValue"]!);   // January only
        Assert.Equal(20_000m, (decimal)account["promisedToDate"]!);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.True((bool)commitment["measurements"]!.AsArray().Single(m => (Guid)m!["id"]! == provisionalId)!["provisional"]!);
        Assert.Equal(0.5m, (decimal)commitment["progress"]!);          // 85 would be 0.75

        // After February has ended, a correction is the final figure and it counts.
        TimePassesUntilEnded(new DateOnly(2026, 2, 28));
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"{Measurements(accountId, commitmentId)}/{provisionalId}/corrections",
            new { value = 85, reason = "Final February reading" })).StatusCode);
        Assert.Equal(25_000m, (decimal)(await GetJsonAsync($"/api/accounts/{accountId}"))["realizedValue"]!);
    }

    [Fact]
    public async Task a_skipped_month_is_a_named_gap_and_coverage_stands_beside_each_rate()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        await RecordAsync(accountId, commitmentId, AMonth(3, 86));   // February skipped
        App.Clock.Now = new DateTimeOffset(2026, 4, 20, 9, 0, 0, TimeSpan.Zero);

        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        var coverage = commitment["coverage"]!;
        Assert.Equal("2026-03-31", (string)coverage["elapsedUntil"]!);
        Assert.Equal(3m, (decimal)coverage["elapsedWeight"]!);
        Assert.Equal(2m, (decimal)coverage["measuredWeight"]!);
        Assert.Equal(Math.Round(2m / 3m, 10), Math.Round((decimal)coverage["ratio"]!, 10));
        Assert.Equal("2026-02-01", (string)coverage["unmeasured"]![0]!["start"]!);
        var gap = commitment["gaps"]!.AsArray().Single(g => (string)g!["code"]! == "unmeasured")!;
        Assert.Contains("2026-02-01..2026-02-28", (string)gap["detail"]!);
        // The rate keeps its formula: missing is not zero. 10 + 14 points of 20 promised twice.
        Assert.Equal(0.6m, (decimal)commitment["realizationRate"]!);

        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(Math.Round(2m / 3m, 10), Math.Round((decimal)account["coverage"]!, 10));
        Assert.Equal(Math.Round(2m / 3m, 10), Math.Round((decimal)account["commitments"]![0]!["coverage"]!["ratio"]!, 10));

        // As of a moment, coverage is worked out for that moment's day, not for the clock's: the ledger's own moments
        // are the machine's (PostgreSQL stamps the events), so a moment a little ahead sees every month up to the last.
        var moment = DateTimeOffset.UtcNow.AddMinutes(1);
        var then = await GetJsonAsync($"/api/accounts/{accountId}?asOf={Uri.EscapeDataString(moment.ToString("O"))}");
        var lastEnded = new[] { new DateOnly(moment.Year, moment.Month, 1).AddDays(-1), new DateOnly(2026, 12, 31) }.Min();
        Assert.Equal(lastEnded.ToString("O"), (string)then["commitments"]![0]!["coverage"]!["elapsedUntil"]!);
        Assert.True((decimal)then["coverage"]! < 2m / 3m);
    }

    [Fact]
    public async Task the_portfolio_gives_coverage_per_currency_weighted_by_money()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        await RecordAsync(accountId, commitmentId, AMonth(2, 88));
        await RecordAsync(accountId, commitmentId, AMonth(4, 84));   // March skipped
        App.Clock.Now = new DateTimeOffset(2026, 5, 3, 9, 0, 0, TimeSpan.Zero);

        var portfolio = await GetJsonAsync("/api/portfolio");
        var eur = portfolio["totals"]!.AsArray().Single(t => (string)t!["currency"]! == "EUR")!;
        Assert.Equal(0.75m, (decimal)eur["coverage"]!);
        Assert.Equal(0.75m, (decimal)portfolio["byApproach"]!.AsArray().Single(b => (string)b!["currency"]! == "EUR")!["coverage"]!);
    }
}
