namespace ValueLedger.Domain.Tests.Outcomes;

// Gain-share exposure (domain.md, More rules): what the unfinished settlement period would pay if it ended on what is
// realized to date. The commitment promises 20 points of scrap rate a month at 1,000 each (20,000 a month); the
// banded contract shares nothing below 97.5 %, half between 97.5 % and 102.5 %, all above, within [-30,000, 30,000].

public class gain_share_exposure : OutcomeSpec
{
    private GainShareExposure? Exposure() => GainShareExposure.Of(State, Commitment());

    [Fact]
    public void two_months_into_a_quarter_it_is_the_quarters_share_on_those_two_months()
    {
        Given(AnOutcomeAccount(), ACommitment(), Agreed(), Measured(1, 78), Measured(2, 76));
        var exposure = Exposure()!;
        // P = 40,000 (Jan–Feb), R = 22,000 + 24,000 = 46,000, p = 1.15:
        // V = 0.5 × 40,000 × (1.025 − 1) + 1 × 40,000 × (1.15 − 1.025) = 500 + 5,000 = 5,500.
        Assert.Equal((FirstOf(1), EndOf(3), EndOf(2)), (exposure.PeriodStart, exposure.PeriodEnd, exposure.MeasuredUntil));
        Assert.Equal((40_000m, 46_000m, 1.15m), (exposure.PromisedToDate, exposure.RealizedToDate, exposure.PerformanceRatio));
        Assert.Equal(5_500m, exposure.VariableAmount);
        Assert.Equal(("EUR", -30_000m, 30_000m), (exposure.Currency, exposure.Floor, exposure.Cap));
    }

    [Fact]
    public void the_cap_and_the_floor_bound_it_as_they_bound_a_settlement()
    {
        Given(AnOutcomeAccount(), ACommitment(), Agreed(Banded(floor: -300, cap: 5_000)), Measured(1, 60));
        Assert.Equal(5_000m, Exposure()!.VariableAmount); // unbounded 250 + 19,500

        Given(Measured(2, 130)); // Jan–Feb: R = 40,000 − 30,000 = 10,000 of P = 40,000, p = 0.25
        Assert.Equal(-300m, Exposure()!.VariableAmount); // unbounded −0.5 × 40,000 × (1 − 0.975) = −500
    }

    [Fact]
    public void a_settled_period_has_none_and_the_next_one_starts_again()
    {
        Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(78, 76, 74)]);
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Assert.Null(Exposure());

        Given(Measured(4, 80)); // on target in April
        var exposure = Exposure()!;
        Assert.Equal((FirstOf(4), EndOf(6), 0m), (exposure.PeriodStart, exposure.PeriodEnd, exposure.VariableAmount));
    }

    [Fact]
    public void there_is_none_without_a_contract()
    {
        Given(AnOutcomeAccount(), ACommitment(), Measured(1, 78));
        Assert.Null(Exposure());
    }

    [Fact]
    public void before_the_first_measurement_there_is_none()
    {
        Given(AnOutcomeAccount(), ACommitment(), Agreed());
        Assert.Null(Exposure());
    }

    [Fact]
    public void a_contract_in_another_currency_needs_the_rate_a_settlement_recorded()
    {
        Given(AnOutcomeAccount(), ACommitment(), Agreed(Banded(currency: "USD")), Measured(1, 78));
        Assert.Null(Exposure());
    }
}
