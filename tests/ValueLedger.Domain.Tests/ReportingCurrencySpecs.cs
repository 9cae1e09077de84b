namespace ValueLedger.Domain.Tests;

/// <summary>
/// Reporting currency (domain.md, More rules): rates are facts with a day they take effect; a money figure of a period
/// converts at the rate in force at the period's end, figures to date at the as-of day's; the rates used are listed and
/// a currency without a rate is left out whole.
/// </summary>
public sealed class a_rate_is_in_force_from_its_day_until_the_next
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static ExchangeRateRecorded Rate(string from, string to, decimal rate, DateOnly from_, string source = "ECB") =>
        new(from, to, rate, from_, source, Recorded);

    [Fact]
    public void the_latest_rate_on_or_before_the_day_applies_and_none_before_the_first()
    {
        var table = RateTable.Of([Rate("USD", "EUR", 0.90m, new(2026, 1, 1)), Rate("USD", "EUR", 0.95m, new(2026, 2, 1))]);
        Assert.Null(table.On("USD", "EUR", new(2025, 12, 31)));
        Assert.Equal(0.90m, table.On("USD", "EUR", new(2026, 1, 31))!.Factor);
        Assert.Equal(0.95m, table.On("USD", "EUR", new(2026, 2, 1))!.Factor);
        Assert.Equal(0.95m, table.On("USD", "EUR", new(2027, 6, 1))!.Factor);
    }

    [Fact]
    public void a_pair_recorded_one_way_is_used_inverted_and_the_later_direction_wins()
    {
        var table = RateTable.Of([Rate("USD", "EUR", 0.80m, new(2026, 1, 1)), Rate("EUR", "USD", 1.25m, new(2026, 3, 1))]);
        var january = table.On("EUR", "USD", new(2026, 1, 31))!;
        Assert.True(january.Inverted);
        Assert.Equal(1.25m, january.Factor); // 1 ÷ 0.80
        Assert.False(table.On("EUR", "USD", new(2026, 3, 31))!.Inverted);
        Assert.Null(table.On("GBP", "USD", new(2026, 3, 31))); // never chained through a third currency
    }

    [Fact]
    public void a_rate_recorded_again_for_the_same_pair_and_day_supersedes_the_first()
    {
        var table = RateTable.Of([Rate("USD", "EUR", 0.90m, new(2026, 1, 1)), Rate("USD", "EUR", 0.92m, new(2026, 1, 1), "corrected")]);
        Assert.Equal(0.92m, table.On("USD", "EUR", new(2026, 1, 15))!.Factor);
        Assert.Equal("corrected", Assert.Single(table.All).Source);
    }

    private static CommitmentLine Line(decimal promised, decimal atRisk, params PeriodMoney[] periods) =>
        new(Guid.NewGuid(), "Scrap rate", "%", ValueDriver.Cost, Approach.ProcessCentric, atRisk > 0 ? CommitmentStatus.AtRisk : CommitmentStatus.OnTrack,
            "", null, promised, periods.Sum(p => p.Promised), periods.Sum(p => p.Realized), null, atRisk, Level.Medium, null)
        {
            Periods = periods
        };

    [Fact]
    public void each_period_converts_at_its_end_and_the_whole_term_at_the_as_of_day()
    {
        var table = RateTable.Of([Rate("USD", "EUR", 0.90m, new(2026, 1, 1)), Rate("USD", "EUR", 1.00m, new(2026, 2, 1)),
            Rate("USD", "EUR", 0.80m, new(2026, 3, 1))]);
        var usd = Line(120_000m, 50_000m, new PeriodMoney(new(2026, 1, 31), 10_000m, 5_000m), new PeriodMoney(new(2026, 2, 28), 10_000m, 8_000m));
        var eur = Line(60_000m, 0m, new PeriodMoney(new(2026, 1, 31), 5_000m, 5_000m));

        var totals = ReportingConversion.Of([new(Guid.NewGuid(), "USD", usd), new(Guid.NewGuid(), "EUR", eur)], "EUR", new DateOnly(2026, 3, 10), table);

        Assert.Equal(5_000m * 0.90m + 8_000m * 1.00m + 5_000m, totals.RealizedValue);   // 17,500
        Assert.Equal(10_000m * 0.90m + 10_000m * 1.00m + 5_000m, totals.PromisedToDate); // 24,000
        Assert.Equal(17_500m / 24_000m, totals.RealizationRate);
        Assert.Equal(120_000m * 0.80m + 60_000m, totals.PromisedValue);                  // at 10 March's rate
        Assert.Equal(50_000m * 0.80m, totals.AtRiskValue);
        Assert.Equal(1, totals.AtRiskCommitments);
        Assert.Equal([0.80m, 0.90m, 1.00m], totals.RatesUsed.Select(r => r.Rate).Order());
        Assert.Empty(totals.Unconverted);
    }

    [Fact]
    public void a_currency_with_a_day_without_a_rate_is_left_out_whole()
    {
        var table = RateTable.Of([Rate("USD", "EUR", 1.00m, new(2026, 2, 1))]);
        var usd = Line(120_000m, 0m, new PeriodMoney(new(2026, 1, 31), 10_000m, 5_000m), new PeriodMoney(new(2026, 2, 28), 10_000m, 8_000m));

        var totals = ReportingConversion.Of([new(Guid.NewGuid(), "USD", usd)], "EUR", new DateOnly(2026, 3, 10), table);

        Assert.Equal(0m, totals.RealizedValue);
        Assert.Equal(0m, totals.PromisedValue);
        Assert.Null(totals.RealizationRate);
        var missing = Assert.Single(totals.Unconverted);
        Assert.Equal(("USD", new DateOnly(2026, 1, 31)), (missing.Currency, missing.MissingOn));
        Assert.Empty(totals.RatesUsed); // nothing was converted, so no rate was used
    }

    [Fact]
    public void sums_are_rounded_to_the_cent_once()
    {
        var table = RateTable.Of([Rate("EUR", "USD", 3m, new(2026, 1, 1))]);
        var eur = Line(100m, 0m, new PeriodMoney(new(2026, 1, 31), 100m, 100m));
        var totals = ReportingConversion.Of([new(Guid.NewGuid(), "USD", eur)], "EUR", new DateOnly(2026, 2, 1), table);
        Assert.Equal(33.33m, totals.RealizedValue); // 100 ÷ 3
    }
}
