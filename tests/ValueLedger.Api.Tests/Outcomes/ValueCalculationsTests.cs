using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Outcomes;

public sealed class when_a_seller_compares_an_offer_with_the_next_best_alternative(AppFixture app) : OutcomeContext(app)
{
    private static object APumpComparison(int years = 5) => new
    {
        currency = "EUR", years, discountRate = 0.08m, startDate = "2026-03-01",
        offer = new { name = "Pump X9", purchasePrice = 120_000, yearlyOperatingCost = 20_000, yearlyBenefit = 7_000 },
        alternative = new { name = "Incumbent pump", purchasePrice = 100_000, yearlyOperatingCost = 30_000, yearlyBenefit = 5_000 }
    };

    [Fact]
    public async Task it_answers_tco_npv_payback_and_commitments_the_caller_may_create()
    {
        var response = await PostAsync("/api/value-calculations", APumpComparison());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ReadAsync(response);
        Assert.Equal((220_000m, 250_000m), ((decimal)result["offer"]!["tcoNominal"]!, (decimal)result["alternative"]!["tcoNominal"]!));
        Assert.True((decimal)result["offer"]!["tcoDiscounted"]! < 220_000m);
        Assert.Equal(6, result["byYear"]!.AsArray().Count);
        Assert.Equal(-20_000m, (decimal)result["byYear"]![0]!["netAdvantage"]!);
        Assert.Equal(Math.Round(1 + 8_000m / 12_000m, 10), Math.Round((decimal)result["paybackYears"]!, 10));
        Assert.Equal(Math.Round(-20_000m + 12_000m * 3.992710037m, 2), Math.Round((decimal)result["netPresentValue"]!, 2));

        var suggestions = result["suggestedCommitments"]!.AsArray();
        Assert.Equal(2, suggestions.Count);
        var accountId = await OpenAccountAsync(AnAccount(approach: "productCentric"));
        foreach (var suggestion in suggestions)
            Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{accountId}/commitments", suggestion!)).StatusCode);
        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal(60_000m, (decimal)account["promisedValue"]!);
    }

    [Fact]
    public async Task an_offer_that_never_pays_back_has_no_payback_period()
    {
        var response = await PostAsync("/api/value-calculations", new
        {
            currency = "EUR", years = 3, discountRate = 0,
            offer = new { purchasePrice = 500_000, yearlyOperatingCost = 29_000, yearlyBenefit = 0 },
            alternative = new { purchasePrice = 100_000, yearlyOperatingCost = 30_000, yearlyBenefit = 0 }
        });
        var result = await ReadAsync(response);
        Assert.Null(result["paybackYears"]);
        Assert.Equal("Offer", (string)result["offer"]!["name"]!);
    }

    [Fact]
    public async Task bad_input_is_400_and_customers_may_not_use_it()
    {
        var bad = await PostAsync("/api/value-calculations", new { currency = "E", years = 0, discountRate = 2, offer = new { purchasePrice = -1 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var keys = ErrorKeys(await ReadAsync(bad));
        Assert.Contains("currency", keys);
        Assert.Contains("years", keys);
        Assert.Contains("discountrate", keys);
        Assert.Contains("offer.purchaseprice", keys);
        Assert.Contains("offer.yearlyoperatingcost", keys);
        Assert.Contains("alternative", keys);

        var accountId = await OpenAccountAsync();
        Assert.Equal(HttpStatusCode.Forbidden,
            (await App.ClientFor(Roles.Customer, "jane", accountId).PostAsJsonAsync("/api/value-calculations", APumpComparison())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ClientFor(Roles.Executive).PostAsJsonAsync("/api/value-calculations", APumpComparison())).StatusCode);
    }
}
