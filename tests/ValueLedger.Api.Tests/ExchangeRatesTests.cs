using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;

namespace ValueLedger.Api.Tests;

/// <summary>
/// Exchange rates as recorded facts and the portfolio in one reporting currency (issue 18, item 2; domain.md,
/// Reporting currency). The test clock stands at 10 February 2026: January's figures convert at the rate in force on
/// 31 January, the promised and at-risk values at the one in force on 10 February.
/// </summary>
public sealed class when_the_portfolio_is_reported_in_one_currency(AppFixture app) : IntegrationContext(app)
{
    private HttpClient Admin => App.ClientFor(Roles.Admin, "ada.admin");

    private Task<HttpResponseMessage> RecordRateAsync(object rate) => Admin.PostAsJsonAsync("/api/fx-rates", rate, JsonOptions);

    private static object ARate(string from = "USD", string to = "EUR", decimal rate = 0.90m, string validFrom = "2026-01-01",
        string? source = "ECB reference rate") => new { from, to, rate, validFrom, source };

    /// <summary>Acme (EUR): January 90, so 10,000 of 20,000 to date; Gamma (USD): January 82, so 18,000 of 20,000 to date.</summary>
    private async Task TwoCurrenciesMeasuredInJanuaryAsync()
    {
        var (acme, acmeScrap) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(acme, acmeScrap, AMonth(1, 90));
        var gamma = await OpenAccountAsync(new { name = "Gamma Inc", industry = "Retail", segment = "enterprise", currency = "USD", approach = "productCentric", owner = "li" });
        var gammaScrap = await CommitAsync(gamma, AScrapRateCommitment());
        await RecordAsync(gamma, gammaScrap, AMonth(1, 82));
    }

    private async Task<Guid> CommitAsync(Guid accountId, object commitment)
    {
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", commitment);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((string)(await ReadAsync(response))["id"]!);
    }

    [Fact]
    public async Task each_period_converts_at_the_rate_in_force_at_its_end_and_the_rates_used_are_listed()
    {
        await TwoCurrenciesMeasuredInJanuaryAsync();
        Assert.Equal(HttpStatusCode.Created, (await RecordRateAsync(ARate(rate: 0.90m, validFrom: "2026-01-01"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await RecordRateAsync(ARate(rate: 0.95m, validFrom: "2026-02-01", source: "ECB reference rate 2 Feb"))).StatusCode);

        var portfolio = await GetJsonAsync("/api/portfolio?currency=EUR");
        var eur = portfolio["reporting"]!;
        Assert.Equal("EUR", (string)eur["currency"]!);
        Assert.Equal(26_200m, (decimal)eur["realizedValue"]!);      // 10,000 + 18,000 × 0.90 (January's rate)
        Assert.Equal(38_000m, (decimal)eur["promisedToDate"]!);     // 20,000 + 20,000 × 0.90
        Assert.Equal(468_000m, (decimal)eur["promisedValue"]!);     // 240,000 + 240,000 × 0.95 (the rate on 10 February)
        Assert.Equal(26_200m / 38_000m, (decimal)eur["realizationRate"]!);
        Assert.Equal(2, (int)eur["accounts"]!);
        Assert.Equal(["EUR", "USD"], eur["convertedCurrencies"]!.AsArray().Select(c => (string)c!));
        Assert.Empty(eur["unconverted"]!.AsArray());
        var rates = portfolio["exchangeRates"]!.AsArray();
        Assert.Equal([0.90m, 0.95m], rates.Select(r => (decimal)r!["rate"]!));
        Assert.Equal(["2026-01-01", "2026-02-01"], rates.Select(r => (string)r!["asOf"]!));
        Assert.Equal("ECB reference rate 2 Feb", (string)rates[1]!["source"]!);
        // The per-currency figures stay as they were.
        var usd = portfolio["totals"]!.AsArray().Single(t => (string)t!["currency"]! == "USD")!;
        Assert.Equal(18_000m, (decimal)usd["realizedValue"]!);
        // Without ?currency= there is no conversion at all.
        Assert.Null((await GetJsonAsync("/api/portfolio"))["reporting"]);
    }

    [Fact]
    public async Task a_rate_recorded_one_way_converts_the_other_way_by_its_inverse()
    {
        await TwoCurrenciesMeasuredInJanuaryAsync();
        await RecordRateAsync(ARate(rate: 0.90m, validFrom: "2026-01-01"));

        var usd = (await GetJsonAsync("/api/portfolio?currency=USD"))["reporting"]!;
        Assert.Equal(Math.Round(10_000m / 0.90m + 18_000m, 2), (decimal)usd["realizedValue"]!);
    }

    [Fact]
    public async Task a_currency_without_a_rate_in_force_is_left_out_whole_and_named()
    {
        await TwoCurrenciesMeasuredInJanuaryAsync();
        // A rate from February only: January's USD figures have no rate in force at their period's end.
        await RecordRateAsync(ARate(rate: 0.95m, validFrom: "2026-02-01"));

        var eur = (await GetJsonAsync("/api/portfolio?currency=EUR"))["reporting"]!;
        Assert.Equal(10_000m, (decimal)eur["realizedValue"]!);
        Assert.Equal(240_000m, (decimal)eur["promisedValue"]!); // not 240,000 + USD converted in part
        Assert.Equal(1, (int)eur["accounts"]!);
        var missing = Assert.Single(eur["unconverted"]!.AsArray())!;
        Assert.Equal("USD", (string)missing["currency"]!);
        Assert.Equal("2026-01-31", (string)missing["missingOn"]!);

        var gbp = (await GetJsonAsync("/api/portfolio?currency=GBP"))["reporting"]!;
        Assert.Equal(0m, (decimal)gbp["realizedValue"]!);
        Assert.Equal(["EUR", "USD"], gbp["unconverted"]!.AsArray().Select(u => (string)u!["currency"]!));
    }

    [Fact]
    public async Task a_rate_recorded_again_for_the_same_day_supersedes_the_first_and_the_past_keeps_what_was_known_then()
    {
        await TwoCurrenciesMeasuredInJanuaryAsync();
        await RecordRateAsync(ARate(rate: 0.90m));
        DateTimeOffset firstRecordedAt;
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            firstRecordedAt = (await session.Events.FetchStreamAsync(ExchangeRateLedger.StreamId)).Single().Timestamp;
        Assert.Equal(HttpStatusCode.Created, (await RecordRateAsync(ARate(rate: 0.92m, source: "ECB reference rate, corrected"))).StatusCode);

        Assert.Equal(26_560m, (decimal)(await GetJsonAsync("/api/portfolio?currency=EUR"))["reporting"]!["realizedValue"]!); // 10,000 + 18,000 × 0.92
        var then = await GetJsonAsync($"/api/portfolio?currency=EUR&asOf={Uri.EscapeDataString(firstRecordedAt.ToString("O"))}");
        Assert.Equal(26_200m, (decimal)then["reporting"]!["realizedValue"]!);

        var list = (await GetJsonAsync("/api/fx-rates?from=usd"))["items"]!.AsArray();
        Assert.Equal([0.90m, 0.92m], list.Select(r => (decimal)r!["rate"]!));
        Assert.Equal([true, false], list.Select(r => (bool)r!["superseded"]!));
        Assert.All(list, r => Assert.Contains("ada.admin", (string)r!["recordedBy"]!));
    }

    [Fact]
    public async Task rates_come_as_csv_all_or_nothing_with_each_bad_line_named()
    {
        const string bad = "from,to,rate,validFrom,source\nUSD,EUR,0.91,2026-01-01,ECB\nGBP,EUR,abc,2026-01-01,ECB\nGBP,GBP,1.2,2026-13-01,\n";
        var refused = await Admin.PostAsync("/api/fx-rates", new StringContent(bad, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await ReadAsync(refused))["errors"]!.AsObject();
        Assert.Contains("line 3.rate", errors.Select(e => e.Key));
        Assert.Contains("line 4.to", errors.Select(e => e.Key));
        Assert.Contains("line 4.validFrom", errors.Select(e => e.Key));
        Assert.Contains("line 4.source", errors.Select(e => e.Key));
        Assert.Empty((await GetJsonAsync("/api/fx-rates"))["items"]!.AsArray());

        const string good = "from,to,rate,validFrom,source\nUSD,EUR,0.91,2026-01-01,ECB\ngbp,eur,1.17,2026-01-01,ECB\n";
        var recorded = await Admin.PostAsync("/api/fx-rates", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Equal(2, (int)(await ReadAsync(recorded))["recorded"]!);
        var items = (await GetJsonAsync("/api/fx-rates"))["items"]!.AsArray();
        Assert.Equal(["GBP>EUR", "USD>EUR"], items.Select(r => $"{r!["from"]}>{r["to"]}"));
    }

    [Theory]
    [InlineData("""{"from":"USD","to":"usd","rate":1.1,"validFrom":"2026-01-01","source":"ECB"}""", "to")]
    [InlineData("""{"from":"USD","to":"EUR","rate":"abc","validFrom":"2026-01-01","source":"ECB"}""", "rate")]
    [InlineData("""{"from":"USD","to":"EUR","rate":0,"validFrom":"2026-01-01","source":"ECB"}""", "rate")]
    [InlineData("""{"from":"USD","to":"EUR","rate":1.1,"validFrom":"2028-01-01","source":"ECB"}""", "validFrom")]
    [InlineData("""{"from":"USD","to":"EUR","rate":1.1,"validFrom":"2026-01-01"}""", "source")]
    [InlineData("""{"from":"US","to":"EUR","rate":1.1,"validFrom":"2026-01-01","source":"ECB"}""", "from")]
    public async Task a_bad_rate_is_refused_naming_its_field_and_nothing_is_recorded(string body, string field)
    {
        var response = await Admin.PostAsync("/api/fx-rates", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ReadAsync(response))["errors"]!.AsObject().ContainsKey(field));
        Assert.Empty((await GetJsonAsync("/api/fx-rates"))["items"]!.AsArray());
    }

    [Fact]
    public async Task other_formats_and_bad_currencies_are_refused_and_the_rates_stream_is_no_account()
    {
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Admin.PostAsync("/api/fx-rates", new StringContent("USD EUR 0.9", Encoding.UTF8, "text/plain"))).StatusCode);
        var lower = await Http.GetAsync("/api/portfolio?currency=eur");
        Assert.Equal(HttpStatusCode.BadRequest, lower.StatusCode);
        Assert.True((await ReadAsync(lower))["errors"]!.AsObject().ContainsKey("currency"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/portfolio/report?currency=euro")).StatusCode);

        await RecordRateAsync(ARate());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/accounts/{ExchangeRateLedger.StreamId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/accounts/{ExchangeRateLedger.StreamId}?version=1")).StatusCode);
        Assert.Equal(0, (int)(await GetJsonAsync("/api/portfolio"))["accounts"]!);
        // The rates are sealed into the ledger like every event, and the chain holds.
        var verification = await App.ClientFor(Roles.Auditor).GetFromJsonAsync<JsonNode>("/api/audit/verification");
        Assert.True((bool)verification!["verified"]!);
        Assert.Equal(1, (int)verification["streamsChecked"]!);
    }

    [Fact]
    public async Task the_portfolio_report_gives_the_converted_totals_and_the_rates_it_used()
    {
        await TwoCurrenciesMeasuredInJanuaryAsync();
        await RecordRateAsync(ARate(rate: 0.90m));

        var html = await Http.GetStringAsync("/api/portfolio/report?currency=EUR");
        Assert.Contains("data-reporting=\"EUR\"", html);
        Assert.Contains("26,200 EUR", html);
        Assert.Contains("ECB reference rate", html);
        Assert.Contains("0.9", html);
    }
}
