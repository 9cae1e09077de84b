using System.Net;
using System.Text.Json.Nodes;

namespace ValueLedger.Api.Tests;

/// <summary>Payback as a time to value, against the business case's investment (issue 18, item 4).</summary>
public sealed class when_a_commitment_has_a_business_case(AppFixture app) : IntegrationContext(app)
{
    private static JsonObject WithInvestment(object investment)
    {
        var commitment = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(AScrapRateCommitment(), JsonOptions))!.AsObject();
        commitment["investment"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(investment, JsonOptions));
        return commitment;
    }

    [Fact]
    public async Task the_commitment_view_says_when_the_investment_was_earned_back()
    {
        var accountId = await OpenAccountAsync();
        var added = await PostAsync($"/api/accounts/{accountId}/commitments", WithInvestment(new { amount = 25_000, source = "Business case v3" }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var commitmentId = (Guid)(await ReadAsync(added))["id"]!;
        await RecordAsync(accountId, commitmentId, AMonth(1, 90)); // 10,000
        var timeToValue = (await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["timeToValue"]!;
        Assert.Null(timeToValue["paybackOn"]);
        Assert.Equal((25_000m, "business case: Business case v3"), ((decimal)timeToValue["investment"]!, (string)timeToValue["investmentSource"]!));
        Assert.Contains("not yet paid back: 10,000 EUR of the investment of 25,000 EUR (business case: Business case v3) realized",
            await Http.GetStringAsync($"/api/accounts/{accountId}/report"));

        await RecordAsync(accountId, commitmentId, AMonth(2, 85)); // + 15,000
        timeToValue = (await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["timeToValue"]!;
        Assert.Equal("2026-02-28", (string)timeToValue["paybackOn"]!);
        Assert.Equal((int)timeToValue["daysToPayback"]!, (int)(new DateOnly(2026, 2, 28).DayNumber - new DateOnly(2026, 1, 1).DayNumber) + 1);
        // The account's value report says it in words.
        Assert.Contains($"paid back the investment of 25,000 EUR (business case: Business case v3) by 2026-02-28 ({(int)timeToValue["daysToPayback"]!} days)",
            await Http.GetStringAsync($"/api/accounts/{accountId}/report"));
    }

    [Fact]
    public async Task a_bad_investment_is_named_field_by_field()
    {
        var accountId = await OpenAccountAsync();
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", WithInvestment(new { amount = -5 }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("investment.amount", errors);
        Assert.Contains("investment.source", errors);
    }
}
