namespace ValueLedger.Domain.Tests.Outcomes;

// The value calculator of product-centric selling: the offer costs 120,000 to buy (the alternative 100,000) but
// 10,000 a year less to run and brings 2,000 a year more, over 5 years at 8%.

public class comparing_an_offer_with_the_next_best_alternative
{
    private static ValueCalculationInput Input(decimal rate = 0.08m, int years = 5, CostProfile? offer = null, CostProfile? alternative = null) =>
        new("EUR", offer ?? new CostProfile("Pump X9", 120_000, 20_000, 7_000), alternative ?? new CostProfile("Incumbent pump", 100_000, 30_000, 5_000),
            years, rate, new DateOnly(2026, 3, 1), Level.Medium);

    private static decimal R(decimal value) => Math.Round(value, 6);

    [Fact]
    public void totals_the_cost_of_ownership_of_each_side_nominal_and_discounted()
    {
        var result = ValueCalculator.Compare(Input());
        Assert.Equal(220_000m, result.Offer.TcoNominal);
        Assert.Equal(250_000m, result.Alternative.TcoNominal);
        Assert.Equal(30_000m, result.TcoDifferenceNominal);
        var annuity = Enumerable.Range(1, 5).Sum(t => 1m / Pow(1.08m, t));
        Assert.Equal(R(120_000 + 20_000 * annuity), R(result.Offer.TcoDiscounted));
        Assert.Equal(R(35_000m), R(result.Offer.BenefitNominal));
        Assert.Equal(R(35_000m - 220_000m), R(result.Offer.NetValueNominal));
    }

    [Fact]
    public void shows_the_difference_year_by_year_from_the_purchase_on()
    {
        var years = ValueCalculator.Compare(Input()).ByYear;
        Assert.Equal(6, years.Count);
        Assert.Equal((0, -20_000m, 0m, -20_000m, 1m), (years[0].Year, years[0].CostSaving, years[0].BenefitGain, years[0].NetAdvantage, years[0].DiscountFactor));
        Assert.Equal((10_000m, 2_000m, 12_000m), (years[1].CostSaving, years[1].BenefitGain, years[1].NetAdvantage));
        Assert.Equal(R(12_000m / 1.08m), R(years[1].DiscountedNetAdvantage));
        Assert.Equal(40_000m, years[^1].CumulativeNetAdvantage);
    }

    [Fact]
    public void the_net_present_value_of_choosing_the_offer_sums_the_discounted_advantages()
    {
        var result = ValueCalculator.Compare(Input());
        var annuity = Enumerable.Range(1, 5).Sum(t => 1m / Pow(1.08m, t));
        Assert.Equal(R(-20_000 + 12_000 * annuity), R(result.NetPresentValue));
    }

    [Fact]
    public void the_payback_is_fractional_years_until_the_premium_is_earned_back()
    {
        var result = ValueCalculator.Compare(Input());
        Assert.Equal(R(1 + 8_000m / 12_000m), R(result.PaybackYears!.Value));
        Assert.True(result.DiscountedPaybackYears > result.PaybackYears);
    }

    [Fact]
    public void an_offer_that_never_earns_its_premium_back_has_no_payback()
    {
        var result = ValueCalculator.Compare(Input(offer: new CostProfile("Gold plated", 500_000, 29_000, 5_000)));
        Assert.Null(result.PaybackYears);
        Assert.Null(result.DiscountedPaybackYears);
        Assert.True(result.NetPresentValue < 0);
    }

    [Fact]
    public void an_offer_without_a_premium_pays_back_at_once()
    {
        var result = ValueCalculator.Compare(Input(offer: new CostProfile("Cheaper", 90_000, 25_000, 5_000)));
        Assert.Equal(0m, result.PaybackYears);
    }

    [Fact]
    public void without_discounting_the_discounted_figures_are_the_nominal_ones()
    {
        var result = ValueCalculator.Compare(Input(rate: 0));
        Assert.Equal(result.Offer.TcoNominal, result.Offer.TcoDiscounted);
        Assert.Equal(40_000m, result.NetPresentValue);
        Assert.Equal(result.PaybackYears, result.DiscountedPaybackYears);
    }

    [Fact]
    public void suggests_the_commitments_that_hold_the_offer_to_its_promise()
    {
        var suggestions = ValueCalculator.Compare(Input()).SuggestedCommitments;
        Assert.Equal(2, suggestions.Count);
        var cost = suggestions[0];
        Assert.Equal((ValueDriver.Cost, Direction.LowerIsBetter, 30_000m, 20_000m, 1m), (cost.Driver, cost.Direction, cost.Baseline.Value, cost.Target, cost.UnitValue));
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2031, 2, 28), Cadence.Yearly), (cost.PeriodStart, cost.PeriodEnd, cost.Cadence));
        Assert.Equal((Approach.ProductCentric, CommitmentOwner.Customer, "EUR"), (cost.Approach, cost.Owner, cost.Unit));
        Assert.Equal(new DateOnly(2026, 2, 28), cost.Baseline.AsOf);
        var benefit = suggestions[1];
        Assert.Equal((ValueDriver.Revenue, Direction.HigherIsBetter, 5_000m, 7_000m), (benefit.Driver, benefit.Direction, benefit.Baseline.Value, benefit.Target));
    }

    [Fact]
    public void suggests_nothing_that_is_no_improvement()
    {
        var suggestions = ValueCalculator.Compare(Input(offer: new CostProfile("Same", 100_000, 30_000, 4_000))).SuggestedCommitments;
        Assert.Empty(suggestions);
    }

    [Fact]
    public void a_suggested_commitment_is_accepted_as_it_stands()
    {
        var account = Account.From([new AccountOpened(Guid.NewGuid(), "Acme", "Food", "Mid", "EUR", Approach.ProductCentric, "maria", DateTimeOffset.UnixEpoch)]);
        foreach (var suggestion in ValueCalculator.Compare(Input()).SuggestedCommitments)
            Assert.True(CommitmentDecisions.Commit(account, Guid.NewGuid(), suggestion, 0.1m, DateTimeOffset.UnixEpoch).IsAccepted);
    }

    private static decimal Pow(decimal x, int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++) result *= x;
        return result;
    }
}
