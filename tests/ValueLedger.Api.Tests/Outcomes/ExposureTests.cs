namespace ValueLedger.Api.Tests.Outcomes;

/// <summary>Gain-share exposure on the contract and summed for executives on the portfolio (issue 18, item 3).</summary>
public sealed class when_an_outcome_contract_is_part_way_through_a_period(AppFixture app) : OutcomeContext(app)
{
    [Fact]
    public async Task the_contract_and_the_portfolio_show_what_the_open_quarter_would_pay_now()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        await RecordQuarterAsync(accountId, commitmentId, [78, 76], confirm: false);

        var exposure = (await GetJsonAsync($"{Commitment(accountId, commitmentId)}/contract"))["exposure"]!;
        // P = 40,000 (Jan–Feb), R = 46,000, p = 1.15: 0.5 × 40,000 × 0.025 + 40,000 × 0.125 = 5,500.
        Assert.Equal(("2026-01-01", "2026-03-31", "2026-02-28"),
            ((string)exposure["periodStart"]!, (string)exposure["periodEnd"]!, (string)exposure["measuredUntil"]!));
        Assert.Equal((5_500m, -30_000m, 30_000m), ((decimal)exposure["variableAmount"]!, (decimal)exposure["floor"]!, (decimal)exposure["cap"]!));

        var (other, otherCommitment) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(other, otherCommitment, BandedTerms(cap: null));
        await RecordQuarterAsync(other, otherCommitment, [79], confirm: false); // p = 1.05: 0.5 × 20,000 × 0.025 + 20,000 × 0.025 = 750

        var total = (await GetJsonAsync("/api/portfolio"))["exposure"]!.AsArray().Single()!;
        Assert.Equal(("EUR", 2), ((string)total["currency"]!, (int)total["contracts"]!));
        Assert.Equal(6_250m, (decimal)total["variableAmount"]!);
        Assert.Equal(-60_000m, (decimal)total["floor"]!);
        Assert.Null(total["cap"]); // one contract has no cap: the range is open above
    }
}
