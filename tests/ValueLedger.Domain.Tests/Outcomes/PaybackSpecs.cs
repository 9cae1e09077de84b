namespace ValueLedger.Domain.Tests.Outcomes;

// Payback (domain.md, Time to value): the first date on which cumulative realized value reaches the investment, where
// one is known. Each point of scrap rate below 100 is worth 1,000 a month.

public class payback : OutcomeSpec
{
    private TimeToValue TimeToValue() => Figures().TimeToValue;

    [Fact]
    public void against_the_business_case_it_is_the_end_of_the_period_that_earns_the_investment_back()
    {
        Given(AnOutcomeAccount(), ACommitment() with { Investment = new Investment(25_000, "Business case 2025-11") },
            Measured(1, 90), Measured(2, 90)); // 10,000 + 10,000
        Assert.Null(TimeToValue().PaybackOn);
        Assert.Equal((25_000m, "business case: Business case 2025-11"), (TimeToValue().Investment, TimeToValue().InvestmentSource));

        Given(Measured(3, 85)); // + 15,000: 35,000 by the end of March
        Assert.Equal(EndOf(3), TimeToValue().PaybackOn);
        Assert.Equal(CadenceCalendar.Days(FirstOf(1), EndOf(3)), TimeToValue().DaysToPayback);
    }

    [Fact]
    public void without_an_investment_there_is_no_payback()
    {
        Given(AnOutcomeAccount(), ACommitment(), Measured(1, 50));
        Assert.Equal((null, null, null), (TimeToValue().PaybackOn, TimeToValue().Investment, TimeToValue().InvestmentSource));
    }

    [Fact]
    public void under_an_outcome_contract_the_fees_settled_to_date_are_the_investment()
    {
        Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(78, 76, 74)]); // R = 72,000 of P = 60,000
        Given(Settled(State, FirstOf(1), EndOf(3))); // fee 100,000 + 0.5 × 60,000 × 0.025 + 60,000 × 0.175 = 111,250
        Assert.Equal((111_250m, "contract fees settled to date"), (TimeToValue().Investment, TimeToValue().InvestmentSource));
        Assert.Null(TimeToValue().PaybackOn);

        Given(Measured(4, 70)); // 102,000
        Assert.Null(TimeToValue().PaybackOn);
        Given(Measured(5, 70)); // 132,000 by the end of May, against the 111,250 paid
        Assert.Equal(EndOf(5), TimeToValue().PaybackOn);
    }
}
